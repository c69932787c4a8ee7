// A probe round over many servers: bounded, adaptive concurrency; results stream out as they arrive
// (events and an async iterator, for a progress bar); 'first-ok' fires on the first server that works
// end to end while the rest continue; an optional throughput sample for the fastest few at the end.
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { Entry } from '../../../shared/entry.ts';
import { upstreamFor as realUpstreamFor } from '../bridge/upstreams/index.ts';
import { AdaptiveTimeout } from './adaptive-timeout.ts';
import { describeFailure } from './classify.ts';
import { AdaptiveLimit } from './concurrency.ts';
import { probeEntry } from './probe-entry.ts';
import { DEFAULT_MAX_PROBE_URLS, DEFAULT_PROBE_URLS, probeUrlsFor } from './probe-url.ts';
import { rankResults } from '../selection/rank.ts';
import { tcpCheck as realTcpCheck } from './tcp-check.ts';
import { sampleThroughput } from './throughput.ts';
import type { ProbeOptions, ProbeProgress, ProbeResult, StageTimeouts, ThroughputOptions } from './types.ts';

export const DEFAULT_TIMEOUTS: StageTimeouts = { connectMs: 3000, handshakeMs: 3000, requestMs: 5000 };
const DEFAULT_THROUGHPUT: ThroughputOptions = { top: 3, bytes: 256 * 1024, timeoutMs: 5000 };
/** Retries of one entry after local resource errors before it is reported as 'local'. */
const MAX_LOCAL_RETRIES = 8;

interface ProbeEvents {
  result: [ProbeProgress];
  'first-ok': [ProbeResult];
  throughput: [ProbeResult];
  done: [ProbeResult[]];
}

export class ProbeRun extends EventEmitter<ProbeEvents> implements AsyncIterable<ProbeProgress> {
  readonly total: number;
  tested = 0;
  /** The first server that passed end to end, or null when the round ended without one. */
  readonly firstOk: Promise<ProbeResult | null>;
  /** Every result, ranked best first, once the round (and any throughput sample) is over. */
  readonly done: Promise<ProbeResult[]>;
  /** How many probes ran at once at most, and how often the limit was cut (for benchmarks). */
  readonly stats = { peakActive: 0, backOffs: 0, finalLimit: 0 };

  private readonly controller = new AbortController();
  private readonly progress: ProbeProgress[] = [];
  private readonly waiters: ((r: IteratorResult<ProbeProgress>) => void)[] = [];
  private finished = false;

  constructor(entries: readonly Entry[], options: ProbeOptions = {}) {
    super();
    this.total = entries.length;
    let resolveFirst: (r: ProbeResult | null) => void = () => {};
    this.firstOk = new Promise((resolve) => (resolveFirst = resolve));
    if (options.signal) {
      if (options.signal.aborted) this.controller.abort();
      else options.signal.addEventListener('abort', () => this.controller.abort(), { once: true });
    }
    this.done = new Promise<ProbeResult[]>((resolve) => {
      // Start on the next turn so callers can attach listeners first.
      setImmediate(() => {
        void this.run(entries, options, resolveFirst).then(resolve);
      });
    });
  }

  /** Stops the round: nothing new starts, running probes are aborted; `done` still resolves. */
  cancel(): void {
    this.controller.abort();
  }

  [Symbol.asyncIterator](): AsyncIterator<ProbeProgress> {
    let next = 0;
    return {
      next: () => {
        if (next < this.progress.length) return Promise.resolve({ value: this.progress[next++]!, done: false });
        if (this.finished) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => this.waiters.push(() => resolve(
          next < this.progress.length ? { value: this.progress[next++]!, done: false } : { value: undefined, done: true },
        )));
      },
    };
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w({ value: undefined, done: true });
  }

  private async run(entries: readonly Entry[], options: ProbeOptions, resolveFirst: (r: ProbeResult | null) => void): Promise<ProbeResult[]> {
    const signal = this.controller.signal;
    const now = options.now ?? (() => performance.now());
    const timeouts: StageTimeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    const upstreamFor = options.upstreamFor ?? realUpstreamFor;
    const tcpCheck = options.tcpCheck ?? realTcpCheck;
    const limit = new AdaptiveLimit(options.concurrency, { now });
    const adaptive = options.adaptiveTimeouts === false ? { minSamples: Infinity } : options.adaptiveTimeouts;
    const connectLimit = new AdaptiveTimeout(timeouts.connectMs, adaptive);
    const handshakeLimit = new AdaptiveTimeout(timeouts.handshakeMs, adaptive);
    const queue: { entry: Entry; tries: number }[] = entries.map((entry) => ({ entry, tries: 0 }));
    const results: ProbeResult[] = [];
    let first: ProbeResult | null = null;
    let active = 0;
    let delayed = 0;
    // The head start (see ProbeOptions.headStart): while `holding`, only the first `headLeft` entries run.
    const head = new Set(entries.slice(0, Math.max(0, Math.floor(options.headStart?.count ?? 0))).map((e) => e.id));
    let holding = head.size > 0 && head.size < entries.length;
    let headTimer: ReturnType<typeof setTimeout> | undefined;

    await new Promise<void>((allDone) => {
      const release = (): void => {
        if (!holding) return;
        holding = false;
        clearTimeout(headTimer);
        pump();
      };
      if (holding) {
        headTimer = setTimeout(release, options.headStart?.ms ?? 750);
        headTimer.unref?.();
      }
      const settle = (result: ProbeResult): void => {
        results.push(result);
        this.tested++;
        const p: ProbeProgress = { tested: this.tested, total: this.total, result };
        this.progress.push(p);
        this.emit('result', p);
        if (result.ok && first === null) {
          first = result;
          resolveFirst(result);
          this.emit('first-ok', result);
        }
        this.wake();
        if (holding && head.delete(result.id) && (result.ok || head.size === 0)) release();
      };
      const pump = (): void => {
        while (active < limit.limit && queue.length > 0 && !signal.aborted) {
          if (holding && !head.has(queue[0]!.entry.id)) break;
          const item = queue.shift()!;
          const epoch = limit.epoch;
          active++;
          this.stats.peakActive = Math.max(this.stats.peakActive, active);
          const urls = probeUrlsFor(item.entry, options.probeUrls, options.defaultProbeUrls ?? DEFAULT_PROBE_URLS, options.maxProbeUrls ?? DEFAULT_MAX_PROBE_URLS);
          const limits = { connectMs: () => connectLimit.ms, handshakeMs: () => handshakeLimit.ms };
          void probeEntry(item.entry, { upstreamFor, tcpCheck, timeouts, limits, signal, now, urls }).catch((err: unknown) => crashed(item.entry, err)).then((result) => {
            active--;
            if (result.connectMs !== null) connectLimit.observe(result.connectMs);
            if (result.connectMs !== null && result.handshakeMs !== null) handshakeLimit.observe(result.connectMs + result.handshakeMs);
            if (result.error?.kind === 'local' && item.tries < MAX_LOCAL_RETRIES && !signal.aborted) {
              limit.localError(epoch);
              item.tries++;
              delayed++;
              // Back in line at the front, after a short pause for sockets to be released.
              setTimeout(() => {
                delayed--;
                queue.unshift(item);
                pump();
              }, 20 * item.tries);
              return;
            }
            limit.completed();
            settle(result);
            pump();
          });
        }
        if (active === 0 && delayed === 0 && (queue.length === 0 || signal.aborted)) {
          clearTimeout(headTimer);
          allDone();
        }
      };
      pump();
    });

    this.stats.backOffs = limit.backOffs;
    this.stats.finalLimit = limit.limit;
    const ranked = rankResults(results);
    if (options.throughput && !signal.aborted) await this.sampleTop(ranked, options, upstreamFor, timeouts);
    resolveFirst(first);
    this.finished = true;
    this.wake();
    this.emit('done', ranked);
    return ranked;
  }

  private async sampleTop(ranked: ProbeResult[], options: ProbeOptions, upstreamFor: NonNullable<ProbeOptions['upstreamFor']>, timeouts: StageTimeouts): Promise<void> {
    const t = { ...DEFAULT_THROUGHPUT, ...options.throughput };
    const top = ranked.filter((r) => r.ok).slice(0, t.top);
    // One after another: samples taken at the same time would share the bandwidth they measure.
    for (const r of top) {
      const url = t.url ?? r.probeUrl;
      if (!url || this.controller.signal.aborted) continue;
      try {
        r.throughputBps = await sampleThroughput(r.entry, r.port, url, t.bytes, {
          upstreamFor, signal: this.controller.signal, handshakeTimeoutMs: timeouts.handshakeMs, timeoutMs: t.timeoutMs,
        });
        this.emit('throughput', r);
      } catch {
        // A failed sample leaves throughputBps unset; the latency result stands.
      }
    }
  }
}

/** A result for a probe that threw (a bug, not a server failure): the round goes on. */
function crashed(entry: Entry, err: unknown): ProbeResult {
  return {
    id: entry.id, entry, port: entry.ports[0]!, ok: false, connectMs: null, handshakeMs: null, firstRequestMs: null,
    latencyMs: null, reused: false, probeUrl: null, status: null, at: Date.now(),
    error: { kind: 'other', stage: 'connect', message: describeFailure('other', 'connect', err instanceof Error ? err.message : String(err)) },
  };
}

/** Starts a probe round over `entries` (in the order given: put remembered servers first). */
export function startProbe(entries: readonly Entry[], options: ProbeOptions = {}): ProbeRun {
  return new ProbeRun(entries, options);
}
