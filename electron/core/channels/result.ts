// Building results and turning thrown errors into a status and a one-line detail.
import type { ChannelFetchResult, ChannelStatus } from './types.ts';

/** Thrown (internally) when an answer goes over the byte cap. */
export class TooLargeError extends Error {
  readonly code = 'ETOOLARGE';
  constructor(maxBytes: number) {
    super(`exceeded ${formatBytes(maxBytes)}`);
    this.name = 'TooLargeError';
  }
}

/** Thrown (internally) for a failure whose status and detail are already known. */
export class ChannelError extends Error {
  readonly status: ChannelStatus;
  constructor(status: ChannelStatus, detail: string) {
    super(detail);
    this.name = 'ChannelError';
    this.status = status;
  }
}

export function formatBytes(n: number): string {
  if (n >= 1 << 20 && n % (1 << 20) === 0) return `${n / (1 << 20)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

/** Starts the clock of one fetch; `done` fills in the time fields. */
export function startFetch(channel: string): (r: Omit<ChannelFetchResult, 'channel' | 'fetchedAt' | 'elapsedMs'>) => ChannelFetchResult {
  const started = Date.now();
  const t0 = performance.now();
  const fetchedAt = new Date(started).toISOString();
  return (r) => {
    const out: ChannelFetchResult = { channel, status: r.status, blobs: r.blobs.map(plainBytes), fetchedAt, elapsedMs: Math.round(performance.now() - t0) };
    if (r.detail !== undefined) out.detail = oneLine(r.detail);
    if (r.etag !== undefined) out.etag = r.etag;
    return out;
  };
}

/** A plain Uint8Array that owns its memory (not a Buffer, not a view into a pool or a page). */
export function plainBytes(b: Uint8Array): Uint8Array {
  if (Object.getPrototypeOf(b) === Uint8Array.prototype && b.byteOffset === 0 && b.byteLength === b.buffer.byteLength) return b;
  return new Uint8Array(b);
}

export function oneLine(s: string, max = 200): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ETIMEOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT']);
/** Codes that usually mean someone in the path interfered, not that the server is down. */
const BLOCKED_CODES = new Set([
  'ECONNRESET', 'EPROTO', 'EREFUSED', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
]);

function codeOf(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'ERR_GOT_REQUEST_ERROR') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Classifies a failure. `signal` is the caller's: when it fired, the result is 'timeout'
 * (a deadline) or 'error: aborted' (a cancel), whatever the low-level error says.
 */
export function classifyError(err: unknown, signal?: AbortSignal): { status: ChannelStatus; detail: string } {
  if (signal?.aborted) {
    const reason: unknown = signal.reason;
    const isTimeout = reason instanceof Error && reason.name === 'TimeoutError';
    return isTimeout ? { status: 'timeout', detail: 'deadline passed' } : { status: 'error', detail: 'aborted' };
  }
  if (err instanceof ChannelError) return { status: err.status, detail: err.message };
  if (err instanceof TooLargeError) return { status: 'too-large', detail: err.message };
  const code = codeOf(err);
  const name = err instanceof Error ? err.name : '';
  if (name === 'TimeoutError' || (code !== undefined && TIMEOUT_CODES.has(code))) {
    const event = (err as { event?: unknown }).event;
    return { status: 'timeout', detail: typeof event === 'string' ? `timed out (${event})` : 'timed out' };
  }
  if (code !== undefined && BLOCKED_CODES.has(code)) return { status: 'blocked', detail: code };
  if (code !== undefined) return { status: 'error', detail: code };
  return { status: 'error', detail: err instanceof Error ? err.message || err.name : String(err) };
}
