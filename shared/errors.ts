// The one error class: every expected failure is a PortholeError with a code from the one table
// (shared/failures.ts). `message` is the line written for people; when none is given it is built
// from the code's phrase (+ the detail). The CLI's exit code and the Api's wire error derive from
// the code's row.
import { FAILURES, type ApiWireCode, type FailureCode } from './failures.ts';

/** Which hop of a proxied connection failed: 'proxy' = the upstream itself (another upstream may do
 * better); 'destination' = the proxy works but could not reach where it was asked to go. */
export type FailureHop = 'proxy' | 'destination';

export interface PortholeErrorOptions {
  cause?: unknown;
  /** The upstream (proxy) it happened on, e.g. "socks5 127.0.0.1:1080"; never credentials. */
  upstream?: string;
  hop?: FailureHop;
  /** The errors of every attempt, when several were made and all failed. */
  errors?: readonly unknown[];
  /** The address the failure points to, for the caller to act on: an Outline dynamic key's https
   * address ('dynamic-key': its server is fetched from there). Never shown as the message. */
  url?: string;
}

export class PortholeError extends Error {
  readonly code: FailureCode;
  readonly upstream: string | undefined;
  readonly hop: FailureHop | undefined;
  readonly errors: readonly unknown[] | undefined;
  /** See PortholeErrorOptions.url. */
  readonly url: string | undefined;

  /** `message`: the one line for people; by default the code's phrase. */
  constructor(code: FailureCode, message?: string, options: PortholeErrorOptions = {}) {
    super(message ?? FAILURES[code].text, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PortholeError';
    this.code = code;
    this.upstream = options.upstream;
    this.hop = options.hop;
    this.errors = options.errors;
    this.url = options.url;
  }

  /** "<phrase of the code>: <detail>" — for failures whose detail alone would not say what happened. */
  static described<C extends FailureCode>(code: C, detail: string, options?: PortholeErrorOptions): Failure<C> {
    return failure(code, describeFailure(code, detail), options);
  }
}

/** A PortholeError known to carry one of the codes C (e.g. an upstream's kinds). */
export type Failure<C extends FailureCode> = PortholeError & { readonly code: C };

/** `new PortholeError(code, …)`, typed by its code. */
export function failure<C extends FailureCode>(code: C, message?: string, options?: PortholeErrorOptions): Failure<C> {
  return new PortholeError(code, message, options) as Failure<C>;
}

/** Whether `err` is a PortholeError, optionally of one of `codes`. */
export function isPortholeError<C extends FailureCode>(err: unknown, ...codes: C[]): err is Failure<C> {
  return err instanceof PortholeError && (codes.length === 0 || (codes as FailureCode[]).includes(err.code));
}

/** The code of any thrown value: its own for a PortholeError, else `fallback`. */
export function failureCodeOf(err: unknown, fallback: FailureCode = 'other'): FailureCode {
  return err instanceof PortholeError ? err.code : fallback;
}

/** "<phrase>: <detail>" on one line, the detail cut short (built from the code, for people). */
export function describeFailure(code: FailureCode, detail?: string, max = 160): string {
  const base = FAILURES[code].text;
  if (!detail) return base;
  const clean = detail.replace(/\s+/g, ' ').trim();
  const short = clean.length > max ? `${clean.slice(0, max - 3)}…` : clean;
  return `${base}: ${short}`;
}

/** The `porthole` exit code for a failure of this kind. */
export function exitCodeOf(code: FailureCode): number {
  return FAILURES[code].exit;
}

/** The Api wire code of a failure, or undefined when the Api treats it as unexpected. */
export function apiCodeOf(code: FailureCode): ApiWireCode | undefined {
  return FAILURES[code].api;
}
