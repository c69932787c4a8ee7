import { describe, expect, it } from 'vitest';
import { withinDeadline, type DeadlineOptions } from './deadline.ts';

const errors = { timeoutError: (ms: number) => new Error(`late after ${ms} ms`), abortError: () => new Error('caller left') };
const later = <T>(ms: number, value: T): Promise<T> => new Promise((r) => setTimeout(() => r(value), ms));

describe('withinDeadline (the one deadline wrapper)', () => {
  it('passes a value or a failure that comes in time, untouched', async () => {
    await expect(withinDeadline(() => later(5, 'ok'), { limitMs: 1000, ...errors })).resolves.toBe('ok');
    const own = new Error('own words');
    await expect(withinDeadline(() => Promise.reject(own), { limitMs: 1000, ...errors })).rejects.toBe(own);
    await expect(withinDeadline(() => { throw own; }, { limitMs: 1000, ...errors })).rejects.toBe(own);
  });

  it('gives up at limit + slack even when the work ignores its signal, which is aborted with the same error', async () => {
    let seen: AbortSignal | null = null;
    const disposed: string[] = [];
    const started = performance.now();
    const run = withinDeadline((s) => { seen = s; return later(300, 'late'); }, { limitMs: 30, slackMs: 20, ...errors, dispose: (v) => disposed.push(v) });
    await expect(run).rejects.toThrow('late after 30 ms');
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    expect(seen!.aborted).toBe(true);
    expect((seen!.reason as Error).message).toBe('late after 30 ms');
    await later(350, null);
    expect(disposed).toEqual(['late']);
  });

  it('on the caller\'s abort: rejects at once by default, and does not start work for a caller already gone', async () => {
    const parent = new AbortController();
    const run = withinDeadline(() => new Promise<never>(() => {}), { signal: parent.signal, limitMs: 5000, ...errors });
    parent.abort(new Error('why'));
    await expect(run).rejects.toThrow('caller left');
    let started = false;
    await expect(withinDeadline(async () => { started = true; }, { signal: parent.signal, limitMs: 5000, ...errors })).rejects.toThrow('caller left');
    expect(started).toBe(false);
  });

  it('abortWaits: the work sees the abort and settles; its failure passes, a value is disposed', async () => {
    const opts = (signal: AbortSignal, dispose?: (v: string) => void): DeadlineOptions<string> => ({ signal, limitMs: 5000, ...errors, abortWaits: true, ...(dispose ? { dispose } : {}) });
    const a = new AbortController();
    const failing = withinDeadline((s) => new Promise<string>((_, reject) => s.addEventListener('abort', () => reject(new Error(`stopped: ${(s.reason as Error).message}`)))), opts(a.signal));
    a.abort(new Error('client closed'));
    await expect(failing).rejects.toThrow('stopped: client closed');

    const b = new AbortController();
    const disposed: string[] = [];
    const valued = withinDeadline((s) => new Promise<string>((resolve) => s.addEventListener('abort', () => setTimeout(() => resolve('stream'), 10))), opts(b.signal, (v) => disposed.push(v)));
    b.abort();
    await expect(valued).rejects.toThrow('caller left');
    expect(disposed).toEqual(['stream']);
  });

  it('re-reads a live limit, so a shrinking limit cuts work already waiting', async () => {
    let limit = 5000;
    const started = performance.now();
    const run = withinDeadline(() => new Promise<never>(() => {}), { limitMs: () => limit, ...errors });
    setTimeout(() => (limit = 50), 20);
    await expect(run).rejects.toThrow('late after 50 ms');
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
