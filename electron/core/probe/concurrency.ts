// How many probes may run at once: start wide and grow quickly up to the ceiling; halve on local
// resource errors (EMFILE, ENFILE, EADDRNOTAVAIL, ENOBUFS); after that, grow back slowly, by one slot
// per round of completions (AIMD), after a short pause following each cut.
import type { ConcurrencyOptions } from './types.ts';

export const DEFAULT_CONCURRENCY: ConcurrencyOptions = { initial: 128, min: 4, max: 256 };

export class AdaptiveLimit {
  private readonly min: number;
  private readonly max: number;
  private readonly now: () => number;
  private readonly cooldownMs: number;
  private value: number;
  private credit = 0;
  private lastBackOff = -Infinity;
  /** How many times the limit was cut. */
  backOffs = 0;

  constructor(options: Partial<ConcurrencyOptions> = {}, clock: { now: () => number; cooldownMs?: number } = { now: () => performance.now() }) {
    const max = Math.max(1, Math.floor(options.max ?? Math.max(DEFAULT_CONCURRENCY.max, options.initial ?? 0)));
    const min = Math.max(1, Math.min(max, Math.floor(options.min ?? DEFAULT_CONCURRENCY.min)));
    this.min = min;
    this.max = max;
    this.value = Math.min(max, Math.max(min, Math.floor(options.initial ?? DEFAULT_CONCURRENCY.initial)));
    this.now = clock.now;
    this.cooldownMs = clock.cooldownMs ?? 250;
  }

  get limit(): number {
    return this.value;
  }

  /** Bumped at every cut; a probe remembers the epoch it started in. */
  get epoch(): number {
    return this.backOffs;
  }

  /**
   * A probe that started in `startedEpoch` hit a local resource error. Halves the limit, once per
   * epoch: the other probes of the same burst that fail too were started under the old limit and say
   * nothing new (as TCP cuts its window once per round trip, not once per lost packet).
   */
  localError(startedEpoch: number): void {
    if (startedEpoch < this.backOffs) return;
    this.lastBackOff = this.now();
    this.backOffs++;
    this.value = Math.max(this.min, Math.floor(this.value / 2));
    this.credit = 0;
  }

  /**
   * A probe finished without a local error. Until the first cut, +1 slot per completion (the limit
   * doubles per round, as TCP's slow start: nothing says the computer is short of sockets); after a
   * cut, +1 slot per `limit` completions.
   */
  completed(): void {
    if (this.value >= this.max) return;
    if (this.now() - this.lastBackOff < this.cooldownMs) return;
    if (this.backOffs === 0) {
      this.value++;
      return;
    }
    this.credit += 1 / this.value;
    if (this.credit >= 1) {
      this.credit -= 1;
      this.value++;
    }
  }
}
