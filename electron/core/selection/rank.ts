// The one ranker: in which order servers come, best first. From many samples (selection's
// candidates and the order to probe in) and from a single probe round (the prober's results);
// both put working servers first, fastest first, and order the rest by what their failure says.
import type { Score } from './scoring.ts';
import type { ServerStatus } from './policy.ts';

/** Failure kinds from the least to the most telling about the server (unknown kinds rank lowest). */
const FAILURE_ORDER: readonly string[] = ['aborted', 'local', 'other', 'dns', 'unreachable', 'refused', 'timeout', 'reset', 'bad-reply', 'blocked', 'auth'];

/** How telling a failure is, to pick the one to report when several ports failed. */
export function failureRank(kind: string): number {
  return FAILURE_ORDER.indexOf(kind);
}

const STATUS_ORDER: Record<ServerStatus, number> = { ok: 0, degraded: 1, untested: 2, recovering: 3, failing: 4 };

export interface Rankable {
  id: string;
  status: ServerStatus;
  score: Score;
  /** Position in the network memory for this network (lower = tried first), or Infinity. */
  remembered: number;
  /** Position in the lists, for a stable order. */
  index: number;
}

/**
 * Candidate order after the current/overridden server: working ones by effective latency, then
 * degraded ones (the proxy answers), then untested ones (those that worked on this network before first), then recovering, then failing
 * ones, the one that failed longest ago first.
 */
export function compareCandidates(a: Rankable, b: Rankable): number {
  const s = STATUS_ORDER[a.status] - STATUS_ORDER[b.status];
  if (s !== 0) return s;
  if (a.status === 'failing') {
    const fa = a.score.lastFailure?.at ?? 0;
    const fb = b.score.lastFailure?.at ?? 0;
    if (fa !== fb) return fa - fb;
  } else if (a.status !== 'untested') {
    const d = a.score.effectiveMs - b.score.effectiveMs;
    if (d !== 0 && !Number.isNaN(d)) return d;
  }
  return a.remembered - b.remembered || a.index - b.index;
}

/** What selection reads from one probe of a server (probe/types.ts's ProbeResult has all of it). */
export interface ProbeOutcome {
  id: string;
  ok: boolean;
  /** The port that won (or whose failure is reported). */
  port: number;
  latencyMs: number | null;
  firstRequestMs: number | null;
  /** The proxy answers but no probe URL could be fetched through it (failed results only). */
  degraded?: boolean;
  error: { kind: string; message: string } | null;
}

function byId(a: ProbeOutcome, b: ProbeOutcome): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** One probe round's results: working servers by latency, then failures, the most telling first. */
export function rankResults<T extends ProbeOutcome>(results: readonly T[]): T[] {
  return [...results].sort((a, b) => {
    if (a.ok !== b.ok) return a.ok ? -1 : 1;
    if (a.ok && b.ok) return (a.latencyMs ?? Infinity) - (b.latencyMs ?? Infinity) || (a.firstRequestMs ?? 0) - (b.firstRequestMs ?? 0) || byId(a, b);
    const ka = a.error ? failureRank(a.error.kind) : -1;
    const kb = b.error ? failureRank(b.error.kind) : -1;
    return kb - ka || byId(a, b);
  });
}
