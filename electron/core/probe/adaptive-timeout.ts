// A stage timeout that learns from the round (as TCP's retransmission timer learns from RTTs): once
// enough servers have passed a stage, waiting much longer than they took only delays the ranking, so
// the limit drops to `factor` × their 90th percentile, never below `floorMs` nor above the configured
// limit. With few working servers (a real shutdown) it stays at the configured limit.

export interface AdaptiveTimeoutOptions {
  /** Successful samples needed before the limit adapts (default 8). */
  minSamples: number;
  /** Multiple of the 90th percentile (default 4). */
  factor: number;
  /** Never below this (default 1000 ms). */
  floorMs: number;
}

export const DEFAULT_ADAPTIVE: AdaptiveTimeoutOptions = { minSamples: 8, factor: 4, floorMs: 1000 };
const KEEP = 64;

export class AdaptiveTimeout {
  private readonly configuredMs: number;
  private readonly options: AdaptiveTimeoutOptions;
  private readonly samples: number[] = [];
  private next = 0;
  private cached: number | null = null;

  constructor(configuredMs: number, options: Partial<AdaptiveTimeoutOptions> = {}) {
    this.configuredMs = configuredMs;
    this.options = { ...DEFAULT_ADAPTIVE, ...options };
  }

  /** A server passed the stage in `ms`. */
  observe(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    if (this.samples.length < KEEP) this.samples.push(ms);
    else this.samples[this.next++ % KEEP] = ms;
    this.cached = null;
  }

  /** The limit for a stage starting now. */
  get ms(): number {
    if (this.cached !== null) return this.cached;
    if (this.samples.length < this.options.minSamples) return (this.cached = this.configuredMs);
    const sorted = [...this.samples].sort((a, b) => a - b);
    const p90 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.9))]!;
    return (this.cached = Math.round(Math.min(this.configuredMs, Math.max(this.options.floorMs, this.options.factor * p90))));
  }

  /** Whether the limit is below the configured one right now. */
  get shortened(): boolean {
    return this.ms < this.configuredMs;
  }
}
