// The ranker's order for one probe round, as `porthole probe` prints it and the prober samples
// throughput from it: working servers fastest first, then failures by what they say about the
// server. (The order of candidates from many samples is in policy.test.ts.)
import { describe, expect, it } from 'vitest';
import { failureRank, rankResults, type ProbeOutcome } from './rank.ts';

function ok(id: string, latencyMs: number | null, firstRequestMs: number | null = null): ProbeOutcome {
  return { id, ok: true, port: 1080, latencyMs, firstRequestMs, error: null };
}

function failed(id: string, kind: string | null): ProbeOutcome {
  return { id, ok: false, port: 1080, latencyMs: null, firstRequestMs: null, error: kind === null ? null : { kind, message: `${kind} (connect)` } };
}

describe('one probe round, best first', () => {
  it('working servers by latency, then by the first request, then by id; failures after them all', () => {
    const round = [failed('dead', 'refused'), ok('slow', 300), ok('b-tie', 100, 50), ok('a-tie', 100, 50), ok('fast', 20), ok('first-faster', 100, 10), ok('untimed', null)];
    expect(rankResults(round).map((r) => r.id)).toEqual(['fast', 'first-faster', 'a-tie', 'b-tie', 'slow', 'untimed', 'dead']);
  });

  it('failures: the most telling first (a wrong password says more than a timeout), then by id', () => {
    const round = [failed('t', 'timeout'), failed('a2', 'auth'), failed('r', 'refused'), failed('x', 'aborted'), failed('a1', 'auth'), failed('n', null), failed('q', 'no-such-kind')];
    expect(rankResults(round).map((r) => r.id)).toEqual(['a1', 'a2', 't', 'r', 'x', 'n', 'q']);
  });

  it('returns a new array and keeps each result whole', () => {
    const round = [failed('dead', 'timeout'), { ...ok('fast', 5), extra: 'kept' }];
    const ranked = rankResults(round);
    expect(ranked).not.toBe(round);
    expect(round.map((r) => r.id)).toEqual(['dead', 'fast']);
    expect(ranked[0]).toBe(round[1]);
  });

  it('failure kinds outside the table rank below every known one', () => {
    expect(failureRank('no-such-kind')).toBe(-1);
    expect(failureRank('aborted')).toBeGreaterThan(failureRank('no-such-kind'));
    expect(failureRank('auth')).toBeGreaterThan(failureRank('blocked'));
  });
});
