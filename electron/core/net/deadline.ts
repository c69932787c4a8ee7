// The one deadline wrapper: runs work that takes an abort signal under a time limit and the caller's
// signal, and gives up at the limit even when the work ignores its signal. Used by the probe's
// stages, the bridge's dial attempts and the DNS TXT look-ups. The limit may be a function: it is
// re-read while the work runs, so a limit that shrinks (probe/adaptive-timeout.ts) also cuts work
// already waiting.

/** How often a live limit is re-read. */
const RECHECK_MS = 100;

export interface DeadlineOptions<T> {
  /** The caller's signal; its abort aborts the work's signal (with the same reason). */
  signal?: AbortSignal | undefined;
  /** The limit in ms, or a function re-read while the work runs. */
  limitMs: number | (() => number);
  /** Extra time before giving up, so work that honours the limit itself reports first, in its own words. */
  slackMs?: number;
  /** The error for a passed limit (`ms`: the limit then); it is also the work signal's abort reason. */
  timeoutError: (ms: number) => Error;
  /** The error for the caller's abort. */
  abortError: () => Error;
  /**
   * On the caller's abort, wait for the work to settle (it sees its signal aborted): its failure is
   * passed on as it is, a value is disposed of and abortError rejects. Default: reject at once.
   */
  abortWaits?: boolean;
  /** Takes a value that arrives after the wrapper gave up (e.g. a stream that must not leak). */
  dispose?: (late: T) => void;
}

/** Runs `work` with a child signal that fires on the caller's abort or when the limit passes. */
export function withinDeadline<T>(work: (signal: AbortSignal) => Promise<T>, o: DeadlineOptions<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const ac = new AbortController();
    const started = performance.now();
    const live = typeof o.limitMs === 'function';
    const limit = typeof o.limitMs === 'function' ? o.limitMs : (): number => o.limitMs as number;
    const parent = o.signal;
    let done = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = (): boolean => {
      if (done) return false;
      done = true;
      clearTimeout(timer);
      parent?.removeEventListener('abort', onAbort);
      return true;
    };
    const onAbort = (): void => {
      ac.abort(parent?.reason);
      if (!o.abortWaits && finish()) reject(o.abortError());
    };
    const check = (): void => {
      const ms = limit();
      const left = ms + (o.slackMs ?? 0) - (performance.now() - started);
      if (left > 0) {
        timer = setTimeout(check, live ? Math.min(left, RECHECK_MS) : left);
        return;
      }
      const err = o.timeoutError(ms);
      ac.abort(err);
      if (finish()) reject(err);
    };
    if (parent?.aborted) {
      onAbort();
      if (!o.abortWaits) return;
    } else {
      parent?.addEventListener('abort', onAbort, { once: true });
    }
    check();
    let pending: Promise<T>;
    try {
      pending = work(ac.signal);
    } catch (err) {
      pending = Promise.reject(err as Error);
    }
    pending.then(
      (value) => {
        if (parent?.aborted && o.abortWaits && finish()) {
          o.dispose?.(value);
          reject(o.abortError());
        } else if (finish()) {
          resolve(value);
        } else {
          o.dispose?.(value);
        }
      },
      (err: unknown) => {
        if (finish()) reject(err as Error);
      },
    );
  });
}
