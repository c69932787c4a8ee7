// Maps low-level failures (socket error codes, TLS errors) to UpstreamError kinds.
import { UpstreamError } from './types.ts';
import type { UpstreamErrorKind, UpstreamErrorStage } from './types.ts';

const CODE_KINDS: Readonly<Record<string, UpstreamErrorKind>> = {
  ECONNREFUSED: 'refused',
  ETIMEDOUT: 'timeout',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  ECONNABORTED: 'reset',
  ERR_STREAM_PREMATURE_CLOSE: 'reset',
  ENETUNREACH: 'unreachable',
  EHOSTUNREACH: 'unreachable',
  EHOSTDOWN: 'unreachable',
  EADDRNOTAVAIL: 'unreachable',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EAI_FAIL: 'dns',
  EAI_NONAME: 'dns',
  EAI_NODATA: 'dns',
  ABORT_ERR: 'aborted',
};

/** The kind for an error's `code`, or null when the code says nothing we know. */
export function kindForCode(code: unknown): UpstreamErrorKind | null {
  if (typeof code !== 'string') return null;
  const kind = CODE_KINDS[code];
  if (kind) return kind;
  // TLS: the proxy's certificate or handshake is not acceptable.
  if (code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_') || /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) return 'bad-reply';
  return null;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Wraps any error as an UpstreamError of `upstream` (kept as is when it already is one).
 * `fallback` is the kind when nothing better is known.
 */
export function toUpstreamError(err: unknown, upstream: string, fallback: UpstreamErrorKind = 'other', stage?: UpstreamErrorStage): UpstreamError {
  if (err instanceof UpstreamError) return err;
  const e = err as { code?: unknown; name?: unknown } | null;
  let kind = kindForCode(e?.code);
  if (kind === null && e?.name === 'AbortError') kind = 'aborted';
  return new UpstreamError(kind ?? fallback, upstream, `${upstream}: ${errorMessage(err)}`, { cause: err, ...(stage ? { stage } : {}) });
}
