// The contract between the local bridge and the upstream connectors.
import type { Duplex } from 'node:stream';
import { PortholeError, type FailureHop, type Failure } from '../../../../shared/errors.ts';
import { UPSTREAM_FAILURES, type UpstreamFailureCode } from '../../../../shared/failures.ts';
import type { Destination } from '../../net/destination.ts';

export type { Destination };

export interface ConnectOptions {
  signal?: AbortSignal;
  /** Bound on the whole connect + handshake. */
  timeoutMs?: number;
}

/** Why an upstream failed: a code of the one failure table (shared/failures.ts, UPSTREAM_FAILURES). */
export type UpstreamErrorKind = UpstreamFailureCode;

/**
 * Which hop failed: 'proxy' = the upstream proxy itself (unreachable, bad credentials, garbage), so
 * another upstream may do better; 'destination' = the proxy works but could not reach the destination
 * (e.g. a SOCKS5 reply "connection refused"), so the proxy is not to blame. Unknown when absent.
 */
export type UpstreamErrorStage = FailureHop;

/** An upstream's failure: the one error class, with an upstream kind and the upstream it happened on. */
export type UpstreamError = Failure<UpstreamErrorKind>;

/** Whether `err` is an upstream's failure (a PortholeError that names its upstream). */
export function isUpstreamError(err: unknown): err is UpstreamError {
  return err instanceof PortholeError && err.upstream !== undefined && isUpstreamKind(err.code);
}

export function isUpstreamKind(code: string): code is UpstreamErrorKind {
  return (UPSTREAM_FAILURES as readonly string[]).includes(code);
}

/** A UDP relay through an upstream (SOCKS5 UDP ASSOCIATE). */
export interface UdpRelay {
  send(dest: Destination, payload: Buffer): void;
  onMessage(handler: (from: Destination, payload: Buffer) => void): void;
  close(): void;
  /** Called once when the relay closes: by close(), or because the upstream dropped it (with the error). */
  onClose?(handler: (err?: UpstreamError) => void): void;
}

export interface Upstream {
  /** Stable id, e.g. the entry id plus port, used by counters and failure reports. */
  readonly id: string;
  /** Human-readable, e.g. "socks5 127.0.0.1:1080". Never contains credentials. */
  readonly describe: string;
  /** Opens a stream to dest through this upstream; resolves once payload can flow. */
  connect(dest: Destination, options?: ConnectOptions): Promise<Duplex>;
  /** Present only when the upstream can relay UDP. */
  associateUdp?(options?: ConnectOptions): Promise<UdpRelay>;
}
