// Scores servers from several samples, never from the last one alone: a recency-weighted median
// latency and success ratio over a bounded window, kept in a bounded history per server id.

export interface Sample {
  /** Clock time (ms) of the sample. */
  at: number;
  ok: boolean;
  /** End-to-end latency; null for failures and for successes without a timing (bridge reports). */
  latencyMs: number | null;
  /** Failure kind (probe or upstream kinds) for failed samples. */
  kind?: string;
  /** One line about the failure. */
  message?: string;
  source: 'probe' | 'bridge';
  /**
   * A probe whose proxy answered but could not fetch any probe URL (ok is true: the server is not
   * dead; latencyMs is null: nothing end to end was timed).
   */
  degraded?: boolean;
}

export interface ScoringPolicy {
  /** Samples kept per server (default 32). */
  maxSamples: number;
  /** Success ratios use the last N samples, latencies the last N timed ones (default 8)... */
  windowSamples: number;
  /** ...no older than this (default 10 min). */
  windowMs: number;
  /** A sample this old counts half as much as a fresh one (default 5 min). */
  halfLifeMs: number;
  /** What a 100 % failure ratio adds to the effective latency (default 2000 ms: about a failed attempt). */
  failurePenaltyMs: number;
}

export const DEFAULT_SCORING: ScoringPolicy = {
  maxSamples: 32,
  windowSamples: 8,
  windowMs: 10 * 60_000,
  halfLifeMs: 5 * 60_000,
  failurePenaltyMs: 2000,
};

export interface Score {
  /** Samples inside the window. */
  samples: number;
  /** Recency-weighted median of the successful latencies in the window. */
  medianMs: number | null;
  /** Recency-weighted share of successes in the window, 0..1; null without samples. */
  successRatio: number | null;
  /** medianMs + (1 - successRatio) × failurePenaltyMs; Infinity when nothing succeeded. Lower is better. */
  effectiveMs: number;
  /** Successes since the last failure (over the whole history). */
  consecutiveOk: number;
  consecutiveFail: number;
  /** Whether a failure is inside the window. */
  failedInWindow: boolean;
  last: Sample | null;
  lastFailure: Sample | null;
  /**
   * The last probe found the server degraded (see Sample.degraded), and no real traffic through it
   * has worked since its last failure.
   */
  degraded?: boolean;
  /** Real traffic through it worked after its last probe said degraded (within the window). */
  promoted?: boolean;
}

/** Bounded sample history per server id (oldest first), and a bound on how many servers are kept. */
export class SampleHistory {
  private readonly maxSamples: number;
  private readonly maxServers: number;
  private readonly byId = new Map<string, Sample[]>();

  constructor(maxSamples = DEFAULT_SCORING.maxSamples, maxServers = 20_000) {
    this.maxSamples = maxSamples;
    this.maxServers = maxServers;
  }

  add(id: string, sample: Sample): void {
    let list = this.byId.get(id);
    if (!list) {
      if (this.byId.size >= this.maxServers) {
        const oldest = this.byId.keys().next().value;
        if (oldest !== undefined) this.byId.delete(oldest);
      }
      list = [];
      this.byId.set(id, list);
    }
    list.push(sample);
    if (list.length > this.maxSamples) list.splice(0, list.length - this.maxSamples);
  }

  get(id: string): readonly Sample[] {
    return this.byId.get(id) ?? [];
  }

  forget(id: string): void {
    this.byId.delete(id);
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }
}

/** The weighted median: the smallest value whose cumulative weight reaches half the total. */
export function weightedMedian(points: readonly { value: number; weight: number }[]): number | null {
  const sorted = points.filter((p) => p.weight > 0).sort((a, b) => a.value - b.value);
  const total = sorted.reduce((s, p) => s + p.weight, 0);
  if (total <= 0) return null;
  let acc = 0;
  for (let i = 0; i < sorted.length; i++) {
    acc += sorted[i]!.weight;
    // Exactly half: average with the next value, as the plain median does for even counts.
    if (Math.abs(acc - total / 2) < 1e-9 && i + 1 < sorted.length) return (sorted[i]!.value + sorted[i + 1]!.value) / 2;
    if (acc > total / 2) return sorted[i]!.value;
  }
  return sorted[sorted.length - 1]!.value;
}

export function scoreSamples(all: readonly Sample[], now: number, policy: ScoringPolicy = DEFAULT_SCORING): Score {
  let consecutiveOk = 0;
  let consecutiveFail = 0;
  for (let i = all.length - 1; i >= 0; i--) {
    if (all[i]!.ok) {
      if (consecutiveFail > 0) break;
      consecutiveOk++;
    } else {
      if (consecutiveOk > 0) break;
      consecutiveFail++;
    }
  }
  let lastFailure: Sample | null = null;
  for (let i = all.length - 1; i >= 0 && !lastFailure; i--) if (!all[i]!.ok) lastFailure = all[i]!;
  const fresh = (x: Sample): boolean => now - x.at <= policy.windowMs;
  const window = all.slice(-policy.windowSamples).filter(fresh);
  const weight = (s: Sample): number => Math.pow(0.5, Math.max(0, now - s.at) / policy.halfLifeMs);
  let total = 0;
  let okWeight = 0;
  for (const s of window) {
    const w = weight(s);
    total += w;
    if (s.ok) okWeight += w;
  }
  // Latency from the last N timed successes: untimed ones (bridge reports) must not crowd them out.
  const latencies: { value: number; weight: number }[] = [];
  for (let i = all.length - 1; i >= 0 && latencies.length < policy.windowSamples; i--) {
    const s = all[i]!;
    if (!fresh(s)) break;
    if (s.ok && s.latencyMs !== null) latencies.push({ value: s.latencyMs, weight: weight(s) });
  }
  let lastProbe: Sample | null = null;
  for (let i = all.length - 1; i >= 0 && !lastProbe; i--) if (all[i]!.source === 'probe') lastProbe = all[i]!;
  const since = Math.max(lastFailure?.at ?? -Infinity, now - policy.windowMs);
  const realTraffic = all.some((s) => s.source === 'bridge' && s.ok && s.at >= since);
  const degradedProbe = lastProbe?.degraded === true;
  const successRatio = window.length === 0 || total <= 0 ? null : okWeight / total;
  const medianMs = weightedMedian(latencies);
  const effectiveMs = medianMs === null || successRatio === null ? Infinity : medianMs + (1 - successRatio) * policy.failurePenaltyMs;
  return {
    samples: window.length,
    medianMs,
    successRatio,
    effectiveMs,
    consecutiveOk,
    consecutiveFail,
    failedInWindow: window.some((s) => !s.ok),
    last: all[all.length - 1] ?? null,
    lastFailure,
    degraded: degradedProbe && !realTraffic,
    promoted: degradedProbe && realTraffic,
  };
}
