// The search that never stops: when a server fails (or the whole network fails), it is tried again
// with backoff, first within seconds and then about once a minute; channels are fetched again in the
// same rhythm while nothing works. Pure bookkeeping on an injectable clock: the engine's tick asks
// what is due and runs it, so an idle engine costs one timer callback every few seconds.

export interface BackoffPolicy {
  /** Delay after the first failure (default 2 s). */
  firstMs: number;
  /** The delay doubles per failure up to this (default 60 s: "about a minute"). */
  maxMs: number;
  /** ±share of random spread, so many clients do not retry in step (default 0.2). */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { firstMs: 2000, maxMs: 60_000, jitter: 0.2 };

/** The delay before attempt `failures + 1`: firstMs, 2×, 4×… up to maxMs, with jitter. */
export function backoffDelay(failures: number, policy: BackoffPolicy = DEFAULT_BACKOFF, rng: () => number = Math.random): number {
  const base = Math.min(policy.maxMs, policy.firstMs * 2 ** Math.max(0, failures - 1));
  return Math.round(base * (1 - policy.jitter + 2 * policy.jitter * rng()));
}

/** Per-server retry times: a server that did not pass is due again after its backoff delay. */
export class RetrySchedule {
  private readonly policy: BackoffPolicy;
  private readonly rng: () => number;
  private readonly byId = new Map<string, { failures: number; at: number }>();

  constructor(policy: Partial<BackoffPolicy> = {}, rng: () => number = Math.random) {
    this.policy = { ...DEFAULT_BACKOFF, ...policy };
    this.rng = rng;
  }

  /**
   * A probe of `id` ended: a pass clears it; 'confirm' (it worked, but is not trusted yet) asks for
   * another try soon, with the backoff started over; a failure schedules the next try later.
   */
  note(id: string, outcome: boolean | 'confirm', now: number): void {
    if (outcome === true) {
      this.byId.delete(id);
      return;
    }
    if (outcome === 'confirm') {
      this.byId.set(id, { failures: 0, at: now + backoffDelay(1, this.policy, this.rng) });
      return;
    }
    const failures = (this.byId.get(id)?.failures ?? 0) + 1;
    this.byId.set(id, { failures, at: now + backoffDelay(failures, this.policy, this.rng) });
  }

  /** The servers whose next try is due, soonest first. */
  due(now: number): string[] {
    return [...this.byId].filter(([, v]) => v.at <= now).sort((a, b) => a[1].at - b[1].at).map(([id]) => id);
  }

  /** When the next try of anything is due (null when nothing waits). */
  nextAt(): number | null {
    let next: number | null = null;
    for (const v of this.byId.values()) if (next === null || v.at < next) next = v.at;
    return next;
  }

  /** Everything that waits is due now, with the backoff started over ("Try again", a new network). */
  restart(now: number): void {
    for (const v of this.byId.values()) {
      v.failures = 0;
      v.at = now;
    }
  }

  /** Forgets servers that are gone. */
  keep(ids: ReadonlySet<string>): void {
    for (const id of [...this.byId.keys()]) if (!ids.has(id)) this.byId.delete(id);
  }

  get size(): number {
    return this.byId.size;
  }
}

/** One repeating job with backoff (the channel re-fetch while nothing works). */
export class BackoffTimer {
  private readonly policy: BackoffPolicy;
  private readonly rng: () => number;
  private failures = 0;
  private at: number | null = null;

  constructor(policy: Partial<BackoffPolicy> = {}, rng: () => number = Math.random) {
    this.policy = { ...DEFAULT_BACKOFF, ...policy };
    this.rng = rng;
  }

  /** Whether the job is due; the first call arms it (due after the first delay). */
  due(now: number): boolean {
    if (this.at === null) this.at = now + backoffDelay(1, this.policy, this.rng);
    return now >= this.at;
  }

  /** The job ran and did not help: the next run comes later. */
  ran(now: number): void {
    this.failures++;
    this.at = now + backoffDelay(this.failures + 1, this.policy, this.rng);
  }

  /** Something works: the next time nothing does, start from the short delay again. */
  reset(): void {
    this.failures = 0;
    this.at = null;
  }

  nextAt(): number | null {
    return this.at;
  }
}
