// Runs one probe stage under a time limit and the round's abort signal, whatever the stage does with
// its own signal, with the probe's own error words. The limit may be a function: it is re-read while
// the stage runs, so a limit that shrinks (adaptive-timeout.ts) also cuts stages already waiting.
import { PortholeError } from '../../../shared/errors.ts';
import { withinDeadline } from '../net/deadline.ts';

/** A little slack so a connector that honours the limit itself reports first, in its own words. */
const SLACK_MS = 50;

/**
 * Runs `work` with a child signal that fires on the parent's abort or when the limit passes, and
 * rejects at that moment even when `work` ignores its signal. A value that arrives later goes to
 * `dispose` (e.g. a stream that must not leak). The mechanism is net/deadline.ts; this names the
 * probe's errors.
 */
export function withDeadline<T>(
  parent: AbortSignal, limitMs: number | (() => number), what: string,
  work: (signal: AbortSignal) => Promise<T>, dispose?: (late: T) => void,
): Promise<T> {
  return withinDeadline(work, {
    signal: parent,
    limitMs,
    slackMs: SLACK_MS,
    timeoutError: (ms) => new PortholeError('timeout', `${what}: no answer within ${Math.round(ms)} ms`),
    abortError: () => new PortholeError('aborted', 'cancelled'),
    ...(dispose ? { dispose } : {}),
  });
}
