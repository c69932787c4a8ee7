import { describe, expect, it } from 'vitest';
import { AdaptiveLimit } from './concurrency.ts';

describe('AdaptiveLimit', () => {
  it('halves once per epoch on local errors, not once per failed probe', () => {
    const t = 0;
    const limit = new AdaptiveLimit({ initial: 64, min: 4, max: 64 }, { now: () => t, cooldownMs: 100 });
    const epoch = limit.epoch;
    for (let i = 0; i < 50; i++) limit.localError(epoch);
    expect(limit.limit).toBe(32);
    limit.localError(limit.epoch);
    expect(limit.limit).toBe(16);
    for (let i = 0; i < 10; i++) limit.localError(limit.epoch);
    expect(limit.limit).toBe(4); // the floor
  });

  it('grows back by one slot per `limit` completions, only after the cooldown', () => {
    let t = 0;
    const limit = new AdaptiveLimit({ initial: 16, min: 2, max: 20 }, { now: () => t, cooldownMs: 100 });
    limit.localError(limit.epoch);
    expect(limit.limit).toBe(8);
    for (let i = 0; i < 100; i++) limit.completed();
    expect(limit.limit).toBe(8); // still cooling down
    t = 200;
    for (let i = 0; i < 8; i++) limit.completed();
    expect(limit.limit).toBe(9);
    for (let i = 0; i < 1000; i++) limit.completed();
    expect(limit.limit).toBe(20); // the ceiling
  });

  it('before any local error, grows by one slot per completion up to the ceiling (slow start)', () => {
    const limit = new AdaptiveLimit({ initial: 8, min: 2, max: 20 }, { now: () => 0, cooldownMs: 100 });
    for (let i = 0; i < 8; i++) limit.completed();
    expect(limit.limit).toBe(16);
    for (let i = 0; i < 100; i++) limit.completed();
    expect(limit.limit).toBe(20);
  });

  it('keeps options in range', () => {
    const l = new AdaptiveLimit({ initial: 1000, min: 0, max: 50 });
    expect(l.limit).toBe(50);
    expect(new AdaptiveLimit({ initial: 0, min: 3 }).limit).toBe(3);
  });
});
