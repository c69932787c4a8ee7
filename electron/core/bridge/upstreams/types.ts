// The contract between the local bridge and the upstream connectors.
import type { Duplex } from 'node:stream';

/** Where a client wants to go. `host` is a name, IPv4 or IPv6 literal: names are never resolved locally. */
export interface Destination {
  host: string;
  port: number;
}

export interface ConnectOptions {
  signal?: AbortSignal;
  /** Bound on the whole connect + handshake. */
  timeoutMs?: number;
}

/** Why an upstream failed, classified for selection and the UI. */
export type UpstreamErrorKind = 'refused' | 'timeout' | 'reset' | 'auth' | 'bad-reply' | 'unreachable' | 'dns' | 'aborted' | 'other';

export class UpstreamError extends Error {
  readonly kind: UpstreamErrorKind;
  readonly upstream: string;
  constructor(kind: UpstreamErrorKind, upstream: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UpstreamError';
    this.kind = kind;
    this.upstream = upstream;
  }
}

/** A UDP relay through an upstream (SOCKS5 UDP ASSOCIATE). */
export interface UdpRelay {
  send(dest: Destination, payload: Buffer): void;
  onMessage(handler: (from: Destination, payload: Buffer) => void): void;
  close(): void;
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
