// Servers the bridge never carries: MTProto proxies (Telegram speaks them itself; probed so "Open
// Telegram" can hand over the best working one) and kinds Porthole does not speak yet (listed with
// their reason, never dialled). Keeps their latest probe results apart from the bridge's selection.
import type { Entry } from '../../../shared/entry.ts';
import { startProbe } from '../probe/index.ts';
import type { ProbeOptions, ProbeResult } from '../probe/types.ts';

export class UnbridgedServers {
  private readonly results = new Map<string, ProbeResult>();
  private running: Promise<void> | null = null;

  /** `onAnswered` runs after a round that probed MTProto proxies (the engine re-sends its list). */
  private readonly onAnswered: () => void;
  constructor(onAnswered: () => void = () => {}) {
    this.onAnswered = onAnswered;
  }

  /** Probes the MTProto entries (others need no probe); resolves when all answered. */
  probe(entries: readonly Entry[], options: ProbeOptions): Promise<void> {
    const mtproto = entries.filter((e) => e.protocol === 'mtproto');
    if (mtproto.length === 0) return Promise.resolve();
    const run = startProbe(mtproto, { ...options, throughput: undefined });
    run.on('result', ({ result }) => this.results.set(result.id, result));
    const done = run.done.then(() => this.onAnswered());
    this.running = done;
    return done;
  }

  result(id: string): ProbeResult | undefined {
    return this.results.get(id);
  }

  /** The working MTProto proxy with the lowest latency, if any. */
  bestMtproto(): ProbeResult | null {
    let best: ProbeResult | null = null;
    for (const r of this.results.values()) {
      if (r.ok && r.latencyMs !== null && (!best || r.latencyMs < (best.latencyMs ?? Infinity))) best = r;
    }
    return best;
  }

  /** Waits for a running probe round (tests, "Open Telegram" right after start). */
  settled(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  forget(keep: ReadonlySet<string>): void {
    for (const id of this.results.keys()) if (!keep.has(id)) this.results.delete(id);
  }
}
