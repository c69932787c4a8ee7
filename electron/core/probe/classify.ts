// Turns whatever a probe stage threw into a failure kind and a one-line message.
import { PortholeError } from '../../../shared/errors.ts';
import { FAILURES, PROBE_FAILURES } from '../../../shared/failures.ts';
import { errnoFailure, errnoOf, isLocalError } from '../net/errno.ts';
import type { ProbeFailure, ProbeFailureKind, ProbeStage } from './types.ts';

export function failureKind(err: unknown): ProbeFailureKind {
  if (isLocalError(err)) return 'local';
  if (err instanceof PortholeError) {
    // The proxy answered but could not reach the probe URL (e.g. SOCKS5 "host unreachable").
    if (err.hop === 'destination' && err.code !== 'aborted') return 'blocked';
    return isProbeKind(err.code) ? err.code : 'other';
  }
  // Only errno-style codes (E + capitals) count: a library's own codes are not socket errors.
  const kind = errnoFailure(errnoOf(err));
  if (kind) return kind;
  if ((err as { name?: unknown } | null)?.name === 'AbortError') return 'aborted';
  return 'other';
}

const PROBE_KINDS: ReadonlySet<string> = new Set(PROBE_FAILURES);
function isProbeKind(code: string): code is ProbeFailureKind {
  return PROBE_KINDS.has(code);
}

/** One line: "<what> (<stage>): <detail>", with the detail cut short and free of line breaks. */
export function describeFailure(kind: ProbeFailureKind, stage: ProbeStage, detail?: string): string {
  const base = `${FAILURES[kind].text} (${stage})`;
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
