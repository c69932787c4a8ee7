// Turns whatever a probe stage threw into a failure kind and a one-line message.
import { UpstreamError } from '../bridge/upstreams/types.ts';
import type { ProbeFailure, ProbeFailureKind, ProbeStage } from './types.ts';

/** Errors that mean this computer is out of sockets, file descriptors or ports. */
export const LOCAL_ERROR_CODES: ReadonlySet<string> = new Set(['EMFILE', 'ENFILE', 'EADDRNOTAVAIL', 'ENOBUFS', 'ENOMEM']);

const CODE_KINDS: Record<string, ProbeFailureKind> = {
  ECONNREFUSED: 'refused',
  ETIMEDOUT: 'timeout',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  ECONNABORTED: 'reset',
  ENETUNREACH: 'unreachable',
  EHOSTUNREACH: 'unreachable',
  ENETDOWN: 'unreachable',
  EHOSTDOWN: 'unreachable',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EAI_NONAME: 'dns',
  ABORT_ERR: 'aborted',
};

/** A failure raised by the prober itself (timeouts, HTTP-level problems). */
export class ProbeError extends Error {
  readonly kind: ProbeFailureKind;
  constructor(kind: ProbeFailureKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProbeError';
    this.kind = kind;
  }
}

/** The errno-style code anywhere in the cause chain (connectors may wrap the socket error). */
export function errorCode(err: unknown): string | undefined {
  for (let e = err, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export function isLocalError(err: unknown): boolean {
  const code = errorCode(err);
  return code !== undefined && LOCAL_ERROR_CODES.has(code);
}

export function failureKind(err: unknown): ProbeFailureKind {
  if (isLocalError(err)) return 'local';
  if (err instanceof ProbeError) return err.kind;
  // The proxy answered but could not reach the probe URL (e.g. SOCKS5 "host unreachable").
  if (err instanceof UpstreamError) return err.stage === 'destination' && err.kind !== 'aborted' ? 'blocked' : err.kind;
  const code = errorCode(err);
  if (code && code in CODE_KINDS) return CODE_KINDS[code] as ProbeFailureKind;
  if ((err as { name?: unknown } | null)?.name === 'AbortError') return 'aborted';
  return 'other';
}

const KIND_TEXT: Record<ProbeFailureKind, string> = {
  refused: 'connection refused',
  timeout: 'timed out',
  reset: 'connection reset',
  auth: 'authentication failed',
  'bad-reply': 'not a working proxy (bad reply)',
  blocked: 'proxy works, but the probe URL is blocked',
  unreachable: 'network unreachable',
  dns: 'name not found',
  local: 'out of local sockets (not the server\'s fault)',
  aborted: 'cancelled',
  other: 'failed',
};

/** One line: "<what> at <stage>: <detail>", with the detail cut short and free of line breaks. */
export function describeFailure(kind: ProbeFailureKind, stage: ProbeStage, detail?: string): string {
  const base = `${KIND_TEXT[kind]} (${stage})`;
  if (!detail) return base;
  const clean = detail.replace(/\s+/g, ' ').trim();
  const short = clean.length > 160 ? `${clean.slice(0, 157)}…` : clean;
  return `${base}: ${short}`;
}

export function toFailure(err: unknown, stage: ProbeStage, kindOverride?: ProbeFailureKind): ProbeFailure {
  const kind = kindOverride ?? failureKind(err);
  const detail = err instanceof Error ? err.message : String(err);
  // "blocked" means the proxy part worked: what failed is the way on to the probe URL.
  const where: ProbeStage = kind === 'blocked' ? 'request' : stage;
  return { kind, stage: where, message: describeFailure(kind, where, detail) };
}
