import { describe, expect, it } from 'vitest';
import { AdaptiveTimeout } from './adaptive-timeout.ts';
import { withDeadline } from './deadline.ts';

describe('AdaptiveTimeout', () => {
  it('keeps the configured limit until enough servers passed, then uses factor × p90 within [floor, configured]', () => {
    const t = new AdaptiveTimeout(3000, { minSamples: 4, factor: 4, floorMs: 100 });
    for (const ms of [10, 20, 30]) t.observe(ms);
    expect(t.ms).toBe(3000);
    t.observe(50);
    expect(t.ms).toBe(200); // p90 of [10,20,30,50] = 50
    expect(t.shortened).toBe(true);
    for (let i = 0; i < 64; i++) t.observe(5);
    expect(t.ms).toBe(100); // the floor
    for (let i = 0; i < 64; i++) t.observe(2000);
    expect(t.ms).toBe(3000); // never above the configured limit
  });
});

describe('withDeadline', () => {
  it('a live limit that shrinks also cuts a stage already waiting', async () => {
    let limit = 5000;
    const started = Date.now();
    const pending = withDeadline(new AbortController().signal, () => limit, 'stage', () => new Promise<never>(() => {}));
    setTimeout(() => (limit = 100), 50);
    await expect(pending).rejects.toMatchObject({ code: 'timeout', message: 'stage: no answer within 100 ms' });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('aborts the work\'s signal on timeout and on the parent\'s abort; late values are disposed', async () => {
    let seen: AbortSignal | null = null;
    let late: string | null = null;
    const slow = (signal: AbortSignal): Promise<string> => {
      seen = signal;
      return new Promise((resolve) => setTimeout(() => resolve('late'), 150));
    };
    await expect(withDeadline(new AbortController().signal, 20, 'x', slow, (v) => (late = v))).rejects.toMatchObject({ code: 'timeout' });
    expect(seen!.aborted).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    expect(late).toBe('late');
    const parent = new AbortController();
    const pending = withDeadline(parent.signal, 5000, 'x', slow);
    parent.abort();
    await expect(pending).rejects.toMatchObject({ code: 'aborted' });
  });
});
