import { describe, expect, it } from 'vitest';
import { SampleHistory, scoreSamples, weightedMedian, DEFAULT_SCORING, type Sample } from './scoring.ts';

const ok = (at: number, latencyMs: number): Sample => ({ at, ok: true, latencyMs, source: 'probe' });
const fail = (at: number): Sample => ({ at, ok: false, latencyMs: null, kind: 'timeout', source: 'probe' });

describe('scoring', () => {
  it('weighted median: plain median for equal weights, pulled towards heavy points', () => {
    expect(weightedMedian([1, 2, 3, 4, 100].map((value) => ({ value, weight: 1 })))).toBe(3);
    expect(weightedMedian([10, 20].map((value) => ({ value, weight: 1 })))).toBe(15);
    expect(weightedMedian([{ value: 10, weight: 1 }, { value: 20, weight: 1 }, { value: 30, weight: 5 }])).toBe(30);
    expect(weightedMedian([])).toBeNull();
  });

  it('one spike does not move the score; the median of several samples does', () => {
    const now = 1_000_000;
    const s = scoreSamples([ok(now - 4000, 100), ok(now - 3000, 110), ok(now - 2000, 2000), ok(now - 1000, 105)], now);
    expect(s.medianMs).toBeGreaterThanOrEqual(105);
    expect(s.medianMs).toBeLessThanOrEqual(110);
    expect(s.successRatio).toBe(1);
  });

  it('recent samples weigh more than old ones', () => {
    const now = 10 * 60_000;
    // Old samples were slow; the last ones are fast: the median follows the recent ones.
    const samples = [ok(0, 500), ok(60_000, 500), ok(120_000, 500), ok(now - 2000, 100), ok(now - 1000, 100)];
    expect(scoreSamples(samples, now, { ...DEFAULT_SCORING, halfLifeMs: 60_000, windowMs: Infinity }).medianMs).toBe(100);
    expect(scoreSamples(samples, now, { ...DEFAULT_SCORING, halfLifeMs: 1e12, windowMs: Infinity }).medianMs).toBe(500);
  });

  it('success ratio and effective latency count failures; streaks are tracked', () => {
    const now = 100_000;
    const s = scoreSamples([ok(now - 4, 100), fail(now - 3), ok(now - 2, 100), ok(now - 1, 100)], now);
    expect(s.successRatio).toBeCloseTo(0.75, 3);
    expect(s.effectiveMs).toBeCloseTo(100 + 0.25 * DEFAULT_SCORING.failurePenaltyMs, 0);
    expect(s.consecutiveOk).toBe(2);
    expect(s.failedInWindow).toBe(true);
    expect(scoreSamples([fail(1), fail(2)], 3)).toMatchObject({ consecutiveFail: 2, effectiveMs: Infinity, medianMs: null });
  });

  it('only the last N samples within T count', () => {
    const now = 10_000_000;
    const old = Array.from({ length: 20 }, (_, i) => fail(now - 3_600_000 + i));
    const s = scoreSamples([...old, ok(now - 10, 80)], now);
    expect(s.samples).toBe(1);
    expect(s.successRatio).toBe(1);
    expect(s.failedInWindow).toBe(false);
    const many = Array.from({ length: 20 }, (_, i) => ok(now - 100 + i, i < 12 ? 500 : 50));
    expect(scoreSamples(many, now).medianMs).toBe(50); // the last 8 only
  });

  it('keeps a bounded history per server and a bounded number of servers', () => {
    const h = new SampleHistory(4, 2);
    for (let i = 0; i < 10; i++) h.add('a', ok(i, i));
    expect(h.get('a').map((s) => s.latencyMs)).toEqual([6, 7, 8, 9]);
    h.add('b', ok(0, 1));
    h.add('c', ok(0, 1));
    expect(h.ids()).toEqual(['b', 'c']);
  });
});
