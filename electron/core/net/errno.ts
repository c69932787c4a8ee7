// The one errno → failure-kind table: what a socket, DNS or TLS error code (ECONNREFUSED,
// EAI_AGAIN, CERT_HAS_EXPIRED, …) means as a code of shared/failures.ts, for the prober, the
// bridge's upstreams and the channels alike. Also: which codes are this computer's own trouble,
// which are timeouts, which are worth a retry, and which usually mean someone in the path interfered.
import { PortholeError } from '../../../shared/errors.ts';
import type { FailureCode } from '../../../shared/failures.ts';

/** The kinds a system error code can mean. */
export type ErrnoFailure = Extract<FailureCode, 'refused' | 'timeout' | 'reset' | 'unreachable' | 'dns' | 'local' | 'aborted' | 'bad-reply'>;

/**
 * Each code: the kind it means, and `retry` when the same request a moment later may work (a
 * dropped or refused connection, a route or a name server briefly gone): the channels retry on
 * those. Never a timeout (the deadline is spent), a name that does not exist, or this computer's trouble.
 */
const ERRNO: Readonly<Record<string, { kind: ErrnoFailure; retry?: true }>> = {
  ECONNREFUSED: { kind: 'refused', retry: true },
  ETIMEDOUT: { kind: 'timeout' },
  ETIMEOUT: { kind: 'timeout' },
  ESOCKETTIMEDOUT: { kind: 'timeout' },
  UND_ERR_CONNECT_TIMEOUT: { kind: 'timeout' },
  ECONNRESET: { kind: 'reset', retry: true },
  EPIPE: { kind: 'reset', retry: true },
  ECONNABORTED: { kind: 'reset' },
  ERR_STREAM_PREMATURE_CLOSE: { kind: 'reset' },
  ENETUNREACH: { kind: 'unreachable', retry: true },
  EHOSTUNREACH: { kind: 'unreachable', retry: true },
  ENETDOWN: { kind: 'unreachable' },
  EHOSTDOWN: { kind: 'unreachable' },
  ENOTFOUND: { kind: 'dns' },
  EAI_AGAIN: { kind: 'dns', retry: true },
  EAI_FAIL: { kind: 'dns' },
  EAI_NONAME: { kind: 'dns' },
  EAI_NODATA: { kind: 'dns' },
  // This computer is out of sockets, file descriptors or ports: says nothing about the server.
  EMFILE: { kind: 'local' },
  ENFILE: { kind: 'local' },
  EADDRNOTAVAIL: { kind: 'local' },
  ENOBUFS: { kind: 'local' },
  ENOMEM: { kind: 'local' },
  ABORT_ERR: { kind: 'aborted' },
};

/** Codes that usually mean someone in the path interfered (a reset, a forged TLS certificate, a
 * refused DNS query), not that the server is down: a channel reports them as 'blocked'. */
const INTERFERENCE: ReadonlySet<string> = new Set([
  'ECONNRESET', 'EPROTO', 'EREFUSED', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
]);

/** The codes a request is retried on (for got's `retry.errorCodes`). */
export function transientCodes(): string[] {
  return Object.keys(ERRNO).filter((code) => ERRNO[code]?.retry === true);
}

/** A TLS certificate or handshake code (the peer's TLS is not acceptable). */
export function isTlsCode(code: string): boolean {
  return code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_') || code.includes('CERT') || code.includes('SELF_SIGNED') || code.includes('UNABLE_TO_VERIFY');
}

/** What a system error code means, or undefined when it says nothing we know. TLS codes are 'bad-reply'. */
export function errnoFailure(code: unknown): ErrnoFailure | undefined {
  if (typeof code !== 'string') return undefined;
  return ERRNO[code]?.kind ?? (isTlsCode(code) ? 'bad-reply' : undefined);
}

/**
 * The system error code anywhere in the cause chain (connectors and libraries wrap the socket
 * error): the first string `code` of an error that is not a PortholeError. `skip` lists wrapper
 * codes that say nothing (e.g. got's ERR_GOT_REQUEST_ERROR). At most `depth` links are followed.
 */
// Stryker disable next-line ArrayDeclaration: a default skip list holding any string that is no error code skips nothing, like the empty one.
export function systemCodeOf(err: unknown, skip: readonly string[] = [], depth = 5): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < depth && e !== null && typeof e === 'object'; i++) {
    const code = (e as { code?: unknown }).code;
    if (!(e instanceof PortholeError) && typeof code === 'string' && !skip.includes(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The errno-style code (E + capitals) anywhere in the cause chain. */
export function errnoOf(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 5 && e !== null && typeof e === 'object'; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** This computer is out of sockets, file descriptors or ports (anywhere in the cause chain). */
export function isLocalError(err: unknown): boolean {
  const code = errnoOf(err);
  return code !== undefined && ERRNO[code]?.kind === 'local';
}

export function isTimeoutCode(code: string): boolean {
  return ERRNO[code]?.kind === 'timeout';
}

export function isInterferenceCode(code: string): boolean {
  return INTERFERENCE.has(code);
}

/** An AbortError or ABORT_ERR (a cancelled operation). */
export function isAbort(err: unknown): boolean {
  const e = err as { name?: unknown; code?: unknown } | null;
  return e?.name === 'AbortError' || e?.code === 'ABORT_ERR';
}
