// Shapes shared by the prober, its callers (engine, CLI, UI) and its tests.
import type { Entry } from '../../../shared/entry.ts';
import type { ProbeFailureCode } from '../../../shared/failures.ts';
import type { Upstream } from '../bridge/upstreams/types.ts';
import type { AdaptiveTimeoutOptions } from './adaptive-timeout.ts';

/** Why a probe failed: a code of the one failure table (shared/failures.ts, PROBE_FAILURES). */
export type ProbeFailureKind = ProbeFailureCode;

/** Where in the probe it failed. */
export type ProbeStage = 'connect' | 'handshake' | 'request' | 'latency';

export interface ProbeFailure {
  kind: ProbeFailureKind;
  stage: ProbeStage;
  /** One line, no credentials. */
  message: string;
}

export interface ProbeResult {
  id: string;
  entry: Entry;
  /** The port that won the race, or for a failure, the port whose error is reported. */
  port: number;
  ok: boolean;
  /** Plain TCP connect to host:port (the pre-check). */
  connectMs: number | null;
  /** Proxy handshake and auth through the real connector, minus the TCP connect time. */
  handshakeMs: number | null;
  /** First HTTP request through the fresh tunnel: send to end of the response body. */
  firstRequestMs: number | null;
  /** Second request on the kept-alive tunnel (the "unified delay"); the first when the target closed. */
  latencyMs: number | null;
  /** True when latencyMs comes from a second request on the same tunnel. */
  reused: boolean;
  /** The probe URL that answered (or the last one tried). */
  probeUrl: string | null;
  /** HTTP status of the probe answer, when there was one. */
  status: number | null;
  error: ProbeFailure | null;
  /**
   * The proxy itself works (its handshake completed, or it answered that it could not reach the URL),
   * but no probe URL could be fetched through it: a candidate below fully working servers, used when
   * nothing better exists and promoted when real traffic through it works. Only on failed results.
   */
  degraded?: boolean;
  /** Download rate of the short throughput sample, when one was taken. */
  throughputBps?: number;
  /** Wall-clock time when the result was final (ms since epoch). */
  at: number;
}

export interface ProbeProgress {
  tested: number;
  total: number;
  result: ProbeResult;
}

export interface StageTimeouts {
  connectMs: number;
  handshakeMs: number;
  requestMs: number;
}

export interface ConcurrencyOptions {
  /** Limit at the start (default 128). */
  initial: number;
  /** Never below (default 4). */
  min: number;
  /** Never above (default 256). */
  max: number;
}

export interface ThroughputOptions {
  /** How many of the fastest working servers to sample (default 3). */
  top: number;
  /** Bytes to download at most (default 256 KiB). */
  bytes: number;
  /** URL to download; default: the probe URL that answered. */
  url?: string;
  timeoutMs: number;
}

/** Builds the real connector for an entry and port (electron/core/bridge/upstreams). */
export type UpstreamFactory = (entry: Entry, port: number) => Upstream;

/** A plain TCP connect used as the pre-check; injectable for tests. Resolves with the connect time. */
export type TcpCheck = (host: string, port: number, options: { signal: AbortSignal; timeoutMs: number }) => Promise<number>;

export interface ProbeOptions {
  /** URLs tried after each entry's own probeUrls (list-level or user-configured). */
  probeUrls?: readonly string[];
  /** Fallback probe URLs when an entry names none. */
  defaultProbeUrls?: readonly string[];
  /** How many probe URLs one entry may try before giving up (default 5, two of them defaults). */
  maxProbeUrls?: number;
  timeouts?: Partial<StageTimeouts>;
  concurrency?: Partial<ConcurrencyOptions>;
  /** Off unless given. */
  throughput?: Partial<ThroughputOptions>;
  /**
   * Connect and handshake limits shrink to a multiple of what the working servers of this round
   * took (see adaptive-timeout.ts); false keeps them fixed. On by default.
   */
  adaptiveTimeouts?: Partial<AdaptiveTimeoutOptions> | false;
  /**
   * The first `count` entries (what worked on this network before) are probed alone first; the rest
   * start once one of them works, all of them answered, or after `ms` (default 750), whichever
   * comes first. A round of 1,000 servers keeps the event loop busy with the failures of the others,
   * which delays a working server's answer by up to the whole round; most of the time the server
   * that worked last time still works.
   */
  headStart?: { count: number; ms?: number };
  signal?: AbortSignal;
  upstreamFor?: UpstreamFactory;
  tcpCheck?: TcpCheck;
  /** Monotonic clock in ms (default performance.now). */
  now?: () => number;
}
