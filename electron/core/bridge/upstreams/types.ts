// The contract between the local bridge and the upstream connectors.
import type { Duplex } from 'node:stream';
import type { Destination } from '../../net/destination.ts';

export type { Destination };

export interface ConnectOptions {
  signal?: AbortSignal;
  /** Bound on the whole connect + handshake. */
  timeoutMs?: number;
}

/** Why an upstream failed, classified for selection and the UI. */
export type UpstreamErrorKind = 'refused' | 'timeout' | 'reset' | 'auth' | 'bad-reply' | 'unreachable' | 'dns' | 'aborted' | 'other';

/**
 * Which hop failed: 'proxy' = the upstream proxy itself (unreachable, bad credentials, garbage), so
 * another upstream may do better; 'destination' = the proxy works but could not reach the destination
 * (e.g. a SOCKS5 reply "connection refused"), so the proxy is not to blame. Unknown when absent.
 */
export type UpstreamErrorStage = 'proxy' | 'destination';

export class UpstreamError extends Error {
  readonly kind: UpstreamErrorKind;
  readonly upstream: string;
  readonly stage: UpstreamErrorStage | undefined;
  constructor(kind: UpstreamErrorKind, upstream: string, message: string, options?: { cause?: unknown; stage?: UpstreamErrorStage }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UpstreamError';
    this.kind = kind;
    this.upstream = upstream;
    this.stage = options?.stage;
  }
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
