// Runs one probe stage under a time limit and the round's abort signal, whatever the stage does with
// its own signal. The limit may be a function: it is re-read while the stage runs, so a limit that
// shrinks (adaptive-timeout.ts) also cuts stages already waiting.
import { PortholeError } from '../../../shared/errors.ts';

/** How often a live limit is re-read. */
const RECHECK_MS = 100;
/** A little slack so a connector that honours the limit itself reports first, in its own words. */
const SLACK_MS = 50;

/**
 * Runs `work` with a child signal that fires on the parent's abort or when the limit passes, and
 * rejects at that moment even when `work` ignores its signal. A value that arrives later goes to
 * `dispose` (e.g. a stream that must not leak).
 */
export function withDeadline<T>(
  parent: AbortSignal, limitMs: number | (() => number), what: string,
  work: (signal: AbortSignal) => Promise<T>, dispose?: (late: T) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const ac = new AbortController();
    const started = performance.now();
    const limit = typeof limitMs === 'function' ? limitMs : () => limitMs;
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (): boolean => {
      if (done) return false;
      done = true;
      clearTimeout(timer);
      parent.removeEventListener('abort', onAbort);
      return true;
    };
    const onAbort = (): void => {
      ac.abort(parent.reason);
      if (finish()) reject(new PortholeError('aborted', 'cancelled'));
    };
    const check = (): void => {
      const ms = limit();
      const left = ms + SLACK_MS - (performance.now() - started);
      if (left > 0) {
        timer = setTimeout(check, typeof limitMs === 'function' ? Math.min(left, RECHECK_MS) : left);
        return;
      }
      ac.abort();
      if (finish()) reject(new PortholeError('timeout', `${what}: no answer within ${Math.round(ms)} ms`));
    };
    if (parent.aborted) {
      onAbort();
      return;
    }
    check();
    parent.addEventListener('abort', onAbort, { once: true });
    work(ac.signal).then(
      (value) => {
        if (finish()) resolve(value);
        else dispose?.(value);
      },
      (err: unknown) => {
        if (finish()) reject(err as Error);
      },
    );
  });
}
