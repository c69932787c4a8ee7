// The one interface every channel implements: deliver CANDIDATE bytes (signed lists or the
// bytes of armored blocks, found by lists/candidates.ts in what they fetched), never verify them.
// Verification happens after, when the catalog accepts them (catalog/accept.ts).
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';

/**
 * How one fetch ended, for the UI and the CLI.
 *  ok           the channel answered; `blobs` holds what it carried (may be empty: `detail` says why)
 *  not-modified the channel says nothing changed since `etag` (HTTP 304, same DNS list id, same file)
 *  timeout      no answer in time (per-request timeout or the caller's deadline)
 *  blocked      looks like interference: connection reset, TLS certificate mismatch, HTTP 451, DNS REFUSED
 *  too-large    the answer went over `maxBytes` (the download was stopped there)
 *  http-error   the server answered with a non-2xx status (after bounded retries for 5xx)
 *  error        anything else (refused, name not found, no records, incomplete DNS list, bad path…)
 */
export type ChannelStatus = 'ok' | 'not-modified' | 'timeout' | 'blocked' | 'too-large' | 'http-error' | 'error';

export interface ChannelFetchResult {
  /** The channel's canonical spec. */
  channel: string;
  status: ChannelStatus;
  /** One line, e.g. 'HTTP 404', 'ECONNREFUSED', 'exceeded 1 MiB'. */
  detail?: string;
  /** Candidate bytes: each a raw signed-list file or the bytes of one armored block. Unverified. */
  blobs: Uint8Array[];
  /** Pass back as `etag` next time to get 'not-modified' cheaply. */
  etag?: string;
  /** ISO time the fetch started. */
  fetchedAt: string;
  elapsedMs: number;
}

/** got-compatible agents that send requests through an already-working local proxy. */
export interface ProxyAgentOption {
  http?: HttpAgent;
  https?: HttpsAgent;
}

export interface ChannelFetchOptions {
  /** Aborts the whole fetch (the caller's deadline or a cancel). */
  signal: AbortSignal;
  /** Cap on the bytes one answer may carry; enforced while the bytes arrive. */
  maxBytes: number;
  /** The `etag` of the previous result of this channel. */
  etag?: string;
  /** Fetch HTTP(S) through this proxy (e.g. the bridge's HTTP proxy on 127.0.0.1). */
  proxy?: ProxyAgentOption;
}

export interface Channel {
  /** Canonical spec: parseChannelSpec(channel.spec).spec === channel.spec. */
  readonly spec: string;
  /** Never throws: every failure is a status. */
  fetch(opts: ChannelFetchOptions): Promise<ChannelFetchResult>;
}

/** Settings shared by the channels that parseChannelSpec builds. Defaults in settings.ts. */
export interface ChannelSettings {
  /** Per-request timeout (one HTTP attempt, one DNS query). */
  timeoutMs: number;
  /** Retries after a network error or HTTP 5xx (not after a timeout). */
  retries: number;
  /** Base of the jittered exponential retry delay. */
  retryBaseMs: number;
  /** Extra CA certificates (PEM) to trust, e.g. a test CA. The system CAs stay trusted. */
  ca?: string | string[];
  userAgent: string;
  /** DNS servers for `dns:` channels ('127.0.0.1:5353', '[::1]:53'); empty = the system's. */
  dnsServers: string[];
  /** DoH: delay before the next endpoint is tried alongside the ones still running. */
  dohStaggerMs: number;
  /** Folder channels: at most this many files are read. */
  maxFiles: number;
}
