// The rules of automatic selection as pure functions: what state a server is in, when another server
// is "clearly better", which servers count as near-equal (for spreading load). The order of
// candidates is the ranker's (rank.ts).
import type { Score } from './scoring.ts';

export interface SelectionPolicy {
  /** A challenger must beat the current server by at least this share of its effective latency... */
  relativeMargin: number;
  /** ...and by at least this many ms. */
  absoluteMarginMs: number;
  /** ...for at least this long (clock ms), re-checked at every new sample. */
  sustainMs: number;
  /** ...with at least this many samples in its window. */
  minSamples: number;
  /** Consecutive successes a server that failed needs before it can be chosen again. */
  recoverySuccesses: number;
  /** Below this windowed success ratio the current server counts as failing. */
  minSuccessRatio: number;
  /**
   * After the very first choice, for this long (the first probe round), a clearly better server
   * takes over at once on a single sample.
   */
  settleMs: number;
}

export const DEFAULT_SELECTION: SelectionPolicy = {
  relativeMargin: 0.3,
  absoluteMarginMs: 50,
  sustainMs: 30_000,
  minSamples: 3,
  recoverySuccesses: 3,
  minSuccessRatio: 0.5,
  settleMs: 20_000,
};

/**
 * untested   – no sample in the window;
 * ok         – working, may be chosen;
 * recovering – works again after a failure, but has fewer than `recoverySuccesses` successes in a row;
 * degraded   – the proxy answers, but no probe URL could be fetched through it (and no real traffic
 *              through it has worked yet): used only when nothing better exists;
 * failing    – its last sample failed (or its success ratio is too low: selection still uses such a
 *              server whose last sample worked when nothing else does, see selection.ts).
 */
export type ServerStatus = 'untested' | 'ok' | 'recovering' | 'degraded' | 'failing';

export function statusOf(score: Score, policy: SelectionPolicy): ServerStatus {
  if (score.last === null || score.samples === 0) return 'untested';
  if (!score.last.ok) return 'failing';
  if (score.successRatio !== null && score.successRatio < policy.minSuccessRatio) return 'failing';
  if (score.degraded) return 'degraded';
  if (score.failedInWindow && score.consecutiveOk < policy.recoverySuccesses) return 'recovering';
  return 'ok';
}

/** The margin a server must beat `ms` by to count as clearly better (and the width of "near-equal"). */
export function marginFor(ms: number, policy: SelectionPolicy): number {
  return Math.max(policy.absoluteMarginMs, policy.relativeMargin * ms);
}

/** Whether `challenger` is clearly better than `current` (both effective latencies, lower is better). */
export function clearlyBetter(challenger: Score, current: Score, policy: SelectionPolicy): boolean {
  if (challenger.samples < policy.minSamples || !Number.isFinite(challenger.effectiveMs)) return false;
  if (!Number.isFinite(current.effectiveMs)) return true;
  return current.effectiveMs - challenger.effectiveMs >= marginFor(current.effectiveMs, policy);
}

/** Servers within the margin of the best one: any of them is a fine choice. */
export function nearBest<T extends { score: Score }>(servers: readonly T[], policy: SelectionPolicy): T[] {
  const finite = servers.filter((s) => Number.isFinite(s.score.effectiveMs));
  if (finite.length === 0) return [...servers];
  const best = Math.min(...finite.map((s) => s.score.effectiveMs));
  return finite.filter((s) => s.score.effectiveMs - best < marginFor(best, policy));
}

/** Uniform choice with an injectable RNG in [0, 1). */
export function chooseOne<T>(items: readonly T[], rng: () => number): T | undefined {
  // Stryker disable next-line ConditionalExpression: without it an empty list reads items[-1], which is undefined too; this says it plainly.
  if (items.length === 0) return undefined;
  const i = Math.min(items.length - 1, Math.floor(rng() * items.length));
  return items[i];
}
