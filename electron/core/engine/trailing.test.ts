import { afterEach, describe, expect, it, vi } from 'vitest';
import { Trailing } from './trailing.ts';

describe('Trailing', () => {
  afterEach(() => { vi.useRealTimers(); });

  it('folds the calls of one interval into one trailing run', () => {
    vi.useFakeTimers();
    let runs = 0;
    const t = new Trailing(100, () => { runs++; });
    t.soon();
    t.soon();
    t.soon();
    expect(runs).toBe(0);
    vi.advanceTimersByTime(99);
    expect(runs).toBe(0);
    vi.advanceTimersByTime(1);
    expect(runs).toBe(1);
    vi.advanceTimersByTime(1000);
    expect(runs).toBe(1);
    t.soon();
    vi.advanceTimersByTime(100);
    expect(runs).toBe(2);
  });

  it('runs at once on now() and drops the pending run', () => {
    vi.useFakeTimers();
    let runs = 0;
    const t = new Trailing(100, () => { runs++; });
    t.soon();
    t.now();
    expect(runs).toBe(1);
    vi.advanceTimersByTime(500);
    expect(runs).toBe(1);
  });

  it('drops the pending run on cancelPending() and schedules again later', () => {
    vi.useFakeTimers();
    let runs = 0;
    const t = new Trailing(100, () => { runs++; });
    t.soon();
    t.cancelPending();
    vi.advanceTimersByTime(500);
    expect(runs).toBe(0);
    t.soon();
    vi.advanceTimersByTime(100);
    expect(runs).toBe(1);
  });

  it('never runs again after cancel()', () => {
    vi.useFakeTimers();
    let runs = 0;
    const t = new Trailing(100, () => { runs++; });
    t.soon();
    t.cancel();
    t.soon();
    t.now();
    vi.advanceTimersByTime(500);
    expect(runs).toBe(0);
  });
});
