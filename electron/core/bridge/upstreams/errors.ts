// Wraps low-level failures (socket error codes, TLS errors) as an upstream's PortholeError; what
// each code means comes from the one errno table (electron/core/net/errno.ts).
import { PortholeError, failure } from '../../../../shared/errors.ts';
import { errnoFailure } from '../../net/errno.ts';
import { isUpstreamError, type UpstreamError, type UpstreamErrorKind, type UpstreamErrorStage } from './types.ts';

/** The kind for an error's `code`, or null when the code says nothing we know. */
export function kindForCode(code: unknown): UpstreamErrorKind | null {
  return errnoFailure(code) ?? null;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Wraps any error as a failure of `upstream` (kept as is when it already is an upstream's).
 * `fallback` is the kind when nothing better is known.
 */
export function toUpstreamError(err: unknown, upstream: string, fallback: UpstreamErrorKind = 'other', stage?: UpstreamErrorStage): UpstreamError {
  if (isUpstreamError(err)) return err;
  const e = err as { code?: unknown } | null;
  let kind = kindForCode(e instanceof PortholeError ? undefined : e?.code);
  if (kind === null && (err as { name?: unknown } | null)?.name === 'AbortError') kind = 'aborted';
  return failure(kind ?? fallback, `${upstream}: ${errorMessage(err)}`, { upstream, cause: err, ...(stage ? { hop: stage } : {}) });
}
