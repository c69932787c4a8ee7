// The rules of automatic selection, as a user would notice them: a faster server only takes over
// when it is faster by both 30 % and 50 ms, with at least three samples behind it; near-equal
// servers share the load; broken and recovering servers go to the back of the queue.
import { describe, expect, it } from 'vitest';
import type { Entry } from '../../../shared/entry.ts';
import type { ProbeResult } from '../probe/types.ts';
import type { Score } from './scoring.ts';
import { Selection } from './selection.ts';
import {
  chooseOne, clearlyBetter, DEFAULT_SELECTION, marginFor, nearBest, statusOf,
} from './policy.ts';
import { compareCandidates, type Rankable } from './rank.ts';

const P = DEFAULT_SELECTION;
const sample = (ok: boolean, at = 1) => ({ at, ok, latencyMs: ok ? 100 : null, source: 'probe' as const });
function score(s: Partial<Score> & { effectiveMs: number }): Score {
  return {
    samples: 5, medianMs: s.effectiveMs, successRatio: 1, consecutiveOk: 5, consecutiveFail: 0,
    failedInWindow: false, last: sample(true), lastFailure: null, ...s,
  };
}

function entry(id: string): Entry {
  return { id, protocol: 'socks5', host: '127.0.0.1', ports: [1080], label: id.toUpperCase() };
}
function ok(e: Entry, latencyMs: number): ProbeResult {
  return { id: e.id, entry: e, port: 1080, ok: true, connectMs: 1, handshakeMs: 1, firstRequestMs: latencyMs, latencyMs, reused: true, probeUrl: 'http://x/', status: 204, error: null, at: 0 };
}
const A = entry('a');
const B = entry('b');

/** A settled selection on A (sampled at `aMs`), past the first round. */
function settledOn(aMs: number) {
  const clock = { t: 1_000_000 };
  const sel = new Selection({ clock: () => clock.t, rng: () => 0.5 });
  sel.setEntries([A, B]);
  for (let i = 0; i < 4; i++) sel.recordProbe(ok(A, aMs));
  clock.t += 60_000;
  return { sel, clock };
}

describe('when another server takes over', () => {
  it('a gain of more than 50 ms but under 30 % never switches, however long it lasts', () => {
    const { sel, clock } = settledOn(1000);
    for (let i = 0; i < 30; i++) {
      sel.recordProbe(ok(A, 1000));
      sel.recordProbe(ok(B, 720)); // 280 ms faster: over 50 ms, under 30 % of 1000 ms
      clock.t += 20_000;
    }
    expect(sel.current()?.id).toBe('a');
  });

  it('a gain of 30 % (and over 50 ms) switches once it has held for the sustain time', () => {
    const { sel, clock } = settledOn(1000);
    for (let i = 0; i < 3; i++) {
      sel.recordProbe(ok(A, 1000));
      sel.recordProbe(ok(B, 700)); // exactly 30 % faster
      clock.t += 20_000;
    }
    expect(sel.current()?.id).toBe('a'); // clearly faster since its third sample, 20 s ago
    clock.t += 15_000;
    sel.recordProbe(ok(B, 700));
    expect(sel.current()?.id).toBe('b');
  });

  it('a challenger needs three samples: two fast ones, however far apart, are not enough', () => {
    const { sel, clock } = settledOn(400);
    sel.recordProbe(ok(B, 50));
    clock.t += 45_000; // longer than the sustain time
    sel.recordProbe(ok(A, 400));
    sel.recordProbe(ok(B, 50));
    expect(sel.current()?.id).toBe('a');
    clock.t += 45_000;
    sel.recordProbe(ok(B, 50)); // the third sample: from now on it is clearly better…
    expect(sel.current()?.id).toBe('a');
    clock.t += 31_000;
    sel.recordProbe(ok(B, 50)); // …and after the sustain time it takes over
    expect(sel.current()?.id).toBe('b');
  });
});

describe('the rules as functions', () => {
  it('the margin is the larger of 50 ms and 30 % of the current latency', () => {
    expect(marginFor(100, P)).toBe(50);
    expect(marginFor(166, P)).toBe(50);
    expect(marginFor(1000, P)).toBe(300);
    expect(marginFor(1000, { ...P, relativeMargin: 0.5 })).toBe(500);
    expect(marginFor(10, { ...P, absoluteMarginMs: 5 })).toBe(5);
  });

  it('clearly better: faster by at least the margin, with enough samples, against a current that may have failed', () => {
    const cur = score({ effectiveMs: 1000 });
    expect(clearlyBetter(score({ effectiveMs: 700 }), cur, P)).toBe(true);
    expect(clearlyBetter(score({ effectiveMs: 701 }), cur, P)).toBe(false);
    expect(clearlyBetter(score({ effectiveMs: 700, samples: 2 }), cur, P)).toBe(false);
    expect(clearlyBetter(score({ effectiveMs: 700, samples: 3 }), cur, P)).toBe(true);
    expect(clearlyBetter(score({ effectiveMs: Infinity }), score({ effectiveMs: Infinity }), P)).toBe(false);
    expect(clearlyBetter(score({ effectiveMs: 5000 }), score({ effectiveMs: Infinity }), P)).toBe(true);
    // A current server with no usable latency at all is beaten by any timed challenger.
    expect(clearlyBetter(score({ effectiveMs: 5000 }), score({ effectiveMs: NaN }), P)).toBe(true);
    expect(clearlyBetter(score({ effectiveMs: 50 }), score({ effectiveMs: 100 }), P)).toBe(true);
    expect(clearlyBetter(score({ effectiveMs: 51 }), score({ effectiveMs: 100 }), P)).toBe(false);
  });

  it('a server\'s state: untested, ok, recovering after a failure, failing', () => {
    expect(statusOf(score({ effectiveMs: 100, samples: 0 }), P)).toBe('untested');
    expect(statusOf(score({ effectiveMs: 100, last: null }), P)).toBe('untested');
    expect(statusOf(score({ effectiveMs: 100 }), P)).toBe('ok');
    expect(statusOf(score({ effectiveMs: 100, last: sample(false) }), P)).toBe('failing');
    expect(statusOf(score({ effectiveMs: 100, successRatio: 0.49 }), P)).toBe('failing');
    expect(statusOf(score({ effectiveMs: 100, successRatio: 0.5 }), P)).toBe('ok');
    expect(statusOf(score({ effectiveMs: 100, successRatio: null }), P)).toBe('ok');
    expect(statusOf(score({ effectiveMs: 100, failedInWindow: true, consecutiveOk: 2 }), P)).toBe('recovering');
    expect(statusOf(score({ effectiveMs: 100, failedInWindow: true, consecutiveOk: 3 }), P)).toBe('ok');
    expect(statusOf(score({ effectiveMs: 100, failedInWindow: false, consecutiveOk: 0 }), P)).toBe('ok');
    // The proxy answers but no probe URL came through: degraded, unless it is failing outright.
    expect(statusOf(score({ effectiveMs: 100, degraded: true }), P)).toBe('degraded');
    expect(statusOf(score({ effectiveMs: 100, degraded: true, failedInWindow: true, consecutiveOk: 1 }), P)).toBe('degraded');
    expect(statusOf(score({ effectiveMs: 100, degraded: true, last: sample(false) }), P)).toBe('failing');
  });

  it('near-equal servers are those within the margin of the best; with none timed, all are', () => {
    const s = (id: string, ms: number) => ({ id, score: score({ effectiveMs: ms }) });
    expect(nearBest([s('a', 100), s('b', 149), s('c', 150), s('d', Infinity)], P).map((x) => x.id)).toEqual(['a', 'b']);
    expect(nearBest([s('a', 1000), s('b', 1299), s('c', 1300)], P).map((x) => x.id)).toEqual(['a', 'b']);
    expect(nearBest([s('x', Infinity), s('y', Infinity)], P).map((x) => x.id)).toEqual(['x', 'y']);
    expect(nearBest([], P)).toEqual([]);
  });

  it('chooses uniformly with the given random numbers, and nothing from nothing', () => {
    const items = ['a', 'b', 'c', 'd'];
    expect([0, 0.25, 0.5, 0.99].map((r) => chooseOne(items, () => r))).toEqual(['a', 'b', 'c', 'd']);
    expect(chooseOne(items, () => 1)).toBe('d'); // an RNG at its bound still picks a real item
    expect(chooseOne([], () => 0)).toBeUndefined();
  });

  it('candidate order: working by latency, then untested (remembered first), recovering, failing (oldest failure first)', () => {
    const r = (id: string, status: Rankable['status'], ms: number, extra: Partial<Rankable> = {}, failedAt?: number): Rankable => ({
      id, status, remembered: Infinity, index: 0,
      score: score({ effectiveMs: ms, ...(failedAt === undefined ? {} : { lastFailure: sample(false, failedAt) }) }), ...extra,
    });
    const list = [
      r('fail-new', 'failing', Infinity, { index: 0 }, 2000),
      r('untested-2', 'untested', NaN, { index: 1 }),
      r('slow', 'ok', 300, { index: 2 }),
      r('recovering', 'recovering', 50, { index: 3 }),
      r('fail-old', 'failing', Infinity, { index: 4 }, 1000),
      r('untested-remembered', 'untested', NaN, { index: 5, remembered: 0 }),
      r('fast', 'ok', 100, { index: 6 }),
      r('fast-too', 'ok', 100, { index: 7 }),
      r('fail-never', 'failing', Infinity, { index: 8 }),
    ];
    expect([...list].sort(compareCandidates).map((x) => x.id)).toEqual([
      'fast', 'fast-too', 'slow', 'untested-remembered', 'untested-2', 'recovering', 'fail-never', 'fail-old', 'fail-new',
    ]);
    // Pairwise, both ways round: ties are broken by the network's memory, then the list order.
    const pairs: [Rankable, Rankable][] = [
      [r('f1', 'failing', Infinity, { index: 5 }, 1000), r('f2', 'failing', Infinity, { index: 6 }, 1000)],
      [r('u1', 'untested', 50, { remembered: 0, index: 9 }), r('u2', 'untested', 10, { remembered: 1, index: 1 })],
      [r('o1', 'ok', 100, { remembered: 2, index: 9 }), r('o2', 'ok', 100, { remembered: 2, index: 1 })].reverse() as [Rankable, Rankable],
    ];
    for (const [first, second] of pairs) {
      expect(compareCandidates(first, second), `${first.id} before ${second.id}`).toBeLessThan(0);
      expect(compareCandidates(second, first), `${second.id} after ${first.id}`).toBeGreaterThan(0);
    }
    // Same latency: the network's memory, then the list order decide.
    expect([r('y', 'ok', 100, { index: 1 }), r('x', 'ok', 100, { index: 2, remembered: 1 })].sort(compareCandidates).map((x) => x.id)).toEqual(['x', 'y']);
  });
});
