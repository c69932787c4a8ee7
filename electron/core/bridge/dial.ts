// Per-connection failover: tries the current candidate upstreams in order until one connects.
// A failure is reported (and the next candidate tried) only while no payload byte has moved;
// once a stream is handed to the relay nothing is ever re-sent. A failure the upstream puts on the
// destination (stage 'destination', e.g. a SOCKS5 "connection refused" reply) ends the dial at once
// and is not reported against the upstream.
import type { Duplex } from 'node:stream';
import type { Counters, UpstreamStats } from './counters.ts';
import type { BridgeLimits } from './limits.ts';
import { PortholeError, type Failure, failure } from '../../../shared/errors.ts';
import { DIAL_FAILURES, type DialFailureCode } from '../../../shared/failures.ts';
import { withinDeadline } from '../net/deadline.ts';
import { errnoFailure } from '../net/errno.ts';
import { isUpstreamError, type Destination, type UdpRelay, type Upstream, type UpstreamErrorKind } from './upstreams/types.ts';

/** What the bridge reports for each failed upstream attempt ('upstream-failure' event). */
export interface UpstreamFailure {
  upstreamId: string;
  describe: string;
  kind: UpstreamErrorKind;
  message: string;
}

/** Why a whole dial failed: the last upstream's error kind, or a bridge-side reason. */
export type DialFailureKind = DialFailureCode;
export type DialError = Failure<DialFailureKind>;

/** A failure of the whole dial (not of one upstream): a PortholeError that names no upstream. */
export function isDialError(err: unknown): err is DialError {
  return err instanceof PortholeError && err.upstream === undefined && (DIAL_FAILURES as readonly string[]).includes(err.code);
}

function dialError(kind: DialFailureKind, message: string, cause?: unknown): DialError {
  return failure(kind, message, cause === undefined ? {} : { cause });
}

export interface Dialed {
  stream: Duplex;
  upstream: Upstream;
  stats: UpstreamStats;
  /** The relay calls this once bytes moved both ways through the upstream: real traffic worked. */
  carried?: () => void;
}

/** What the bridge reports when a tunnel through an upstream carried bytes both ways. */
export interface UpstreamSuccess {
  upstreamId: string;
  describe: string;
}

export interface DialedUdp {
  relay: UdpRelay;
  upstream: Upstream;
  stats: UpstreamStats;
}

export interface DialerOptions {
  candidates: () => readonly Upstream[];
  counters: Counters;
  limits: BridgeLimits;
  onFailure: (failure: UpstreamFailure) => void;
  onSuccess?: (success: UpstreamSuccess) => void;
}

/** The failure kind of any error an upstream may throw. */
export function errorKind(err: unknown): UpstreamErrorKind {
  if (isUpstreamError(err)) return err.code;
  if (isDialError(err)) return err.code === 'no-upstream' || err.code === 'unsupported' ? 'other' : err.code;
  const e = err as { code?: unknown; name?: unknown } | null;
  const kind = e instanceof PortholeError ? undefined : errnoFailure(e?.code);
  if (kind) return kind;
  if (e && e.name === 'AbortError') return 'aborted';
  return 'other';
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class Dialer {
  private readonly opts: DialerOptions;

  constructor(opts: DialerOptions) {
    this.opts = opts;
  }

  setCandidates(candidates: () => readonly Upstream[]): void {
    this.opts.candidates = candidates;
  }

  /** Reports a failure of `upstream` (also used by the relay for streams that die before any payload). */
  report(upstream: Upstream, err: unknown): void {
    const stats = this.opts.counters.upstream(upstream.id, upstream.describe);
    stats.failures++;
    this.opts.onFailure({ upstreamId: upstream.id, describe: upstream.describe, kind: errorKind(err), message: errorMessage(err) });
  }

  /** Opens a stream to dest through the first candidate that works. `skip` lists upstreams already tried. */
  async dial(dest: Destination, signal: AbortSignal, skip: ReadonlySet<Upstream> = new Set()): Promise<Dialed> {
    const list = this.opts.candidates().filter((u) => !skip.has(u)).slice(0, this.opts.limits.maxAttempts);
    if (list.length === 0) throw dialError('no-upstream', 'no upstream available');
    let last: unknown;
    for (const upstream of list) {
      if (signal.aborted) break;
      try {
        const stream = await this.attempt(signal, (s) => upstream.connect(dest, { signal: s, timeoutMs: this.opts.limits.connectTimeoutMs }));
        const onSuccess = this.opts.onSuccess;
        return {
          stream, upstream, stats: this.opts.counters.upstream(upstream.id, upstream.describe),
          ...(onSuccess ? { carried: () => onSuccess({ upstreamId: upstream.id, describe: upstream.describe }) } : {}),
        };
      } catch (err) {
        last = err;
        if (signal.aborted) break;
        // The proxy works but could not reach the destination: another proxy would not do better,
        // and this one is not to blame.
        if (isUpstreamError(err) && err.hop === 'destination') break;
        this.report(upstream, err);
      }
    }
    if (signal.aborted) throw dialError('aborted', 'client went away');
    throw dialError(errorKind(last), errorMessage(last), last);
  }

  /** Opens a UDP relay through the first candidate that supports UDP and works. */
  async associate(signal: AbortSignal): Promise<DialedUdp> {
    const list = this.opts.candidates().filter((u) => typeof u.associateUdp === 'function').slice(0, this.opts.limits.maxAttempts);
    if (list.length === 0) throw dialError('unsupported', 'no upstream relays UDP');
    let last: unknown;
    for (const upstream of list) {
      if (signal.aborted) break;
      try {
        const relay = await this.attempt(signal, (s) => (upstream.associateUdp as NonNullable<Upstream['associateUdp']>)({ signal: s, timeoutMs: this.opts.limits.connectTimeoutMs }), (r) => r.close());
        return { relay, upstream, stats: this.opts.counters.upstream(upstream.id, upstream.describe) };
      } catch (err) {
        last = err;
        if (signal.aborted) break;
        this.report(upstream, err);
      }
    }
    if (signal.aborted) throw dialError('aborted', 'client went away');
    throw dialError(errorKind(last), errorMessage(last), last);
  }

  /**
   * Runs one attempt with its own abort signal, bounded by connectTimeoutMs even if the upstream
   * ignores its timeout; a result that arrives after we gave up is disposed of.
   */
  private attempt<T>(outer: AbortSignal, start: (signal: AbortSignal) => Promise<T>, dispose: (value: T) => void = (v) => (v as Duplex).destroy()): Promise<T> {
    return withinDeadline(start, {
      signal: outer,
      limitMs: this.opts.limits.connectTimeoutMs,
      slackMs: 250,
      timeoutError: (ms) => new PortholeError('timeout', `no answer within ${ms} ms`, { upstream: '' }),
      abortError: () => dialError('aborted', 'client went away'),
      abortWaits: true,
      dispose,
    });
  }
}
