// Building results and turning thrown errors into a status and a one-line detail.
import { PortholeError, type Failure, failure } from '../../../shared/errors.ts';
import type { FailureCode } from '../../../shared/failures.ts';
import { isInterferenceCode, isTimeoutCode, systemCodeOf } from '../net/errno.ts';
import type { ChannelFetchResult, ChannelStatus } from './types.ts';

/** A failure of one fetch, thrown internally: a PortholeError whose code gives the channel status
 * ('timeout', 'blocked', 'too-large', 'http-error'; any other code is 'error') and whose message is the detail. */
export type ChannelFailure = Failure<ChannelFailureCode>;
export type ChannelFailureCode = Extract<FailureCode, 'timeout' | 'blocked' | 'too-large' | 'http-error' | 'other'>;

/** The failure of an answer over the byte cap. */
export function tooLarge(maxBytes: number): ChannelFailure {
  return failure('too-large', `exceeded ${formatBytes(maxBytes)}`);
}

/** A failure whose status and detail are already known. `cause` may carry the system code (ENOTFOUND). */
export function channelFailure(status: ChannelStatus, detail: string, cause?: unknown): ChannelFailure {
  const code: ChannelFailureCode = status === 'ok' || status === 'not-modified' || status === 'error' ? 'other' : status;
  return failure(code, detail, cause === undefined ? {} : { cause });
}

const CHANNEL_CODES: ReadonlySet<FailureCode> = new Set<ChannelFailureCode>(['timeout', 'blocked', 'too-large', 'http-error', 'other']);

function statusOf(code: FailureCode): ChannelStatus {
  return code === 'timeout' || code === 'blocked' || code === 'too-large' || code === 'http-error' ? code : 'error';
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
function plainBytes(b: Uint8Array): Uint8Array {
  if (Object.getPrototypeOf(b) === Uint8Array.prototype && b.byteOffset === 0 && b.byteLength === b.buffer.byteLength) return b;
  return new Uint8Array(b);
}

function oneLine(s: string, max = 200): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
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
  if (err instanceof PortholeError && err.upstream === undefined && CHANNEL_CODES.has(err.code)) return { status: statusOf(err.code), detail: err.message };
  const code = systemCodeOf(err, ['ERR_GOT_REQUEST_ERROR'], 4);
  const name = err instanceof Error ? err.name : '';
  if (name === 'TimeoutError' || (code !== undefined && isTimeoutCode(code))) {
    const event = (err as { event?: unknown }).event;
    return { status: 'timeout', detail: typeof event === 'string' ? `timed out (${event})` : 'timed out' };
  }
  if (code !== undefined && isInterferenceCode(code)) return { status: 'blocked', detail: code };
  if (code !== undefined) return { status: 'error', detail: code };
  return { status: 'error', detail: err instanceof Error ? err.message || err.name : String(err) };
}
