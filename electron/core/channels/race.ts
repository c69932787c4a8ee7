// Staggered racing ("happy eyeballs"): start the first task; start the next one when the
// running ones fail or after `staggerMs`; the first success wins and the rest are aborted.
import { PortholeError, type Failure } from '../../../shared/errors.ts';

/** Every task failed: a PortholeError 'all-failed' whose `errors` holds one error per task, in task order. */
export type AllFailedError = Failure<'all-failed'> & { readonly errors: readonly unknown[] };

function allFailed(errors: readonly unknown[]): AllFailedError {
  return new PortholeError('all-failed', 'every attempt failed', { errors }) as AllFailedError;
}

export function isAllFailed(err: unknown): err is AllFailedError {
  return err instanceof PortholeError && err.code === 'all-failed' && err.errors !== undefined;
}

export function raceStaggered<T>(
  tasks: ReadonlyArray<(signal: AbortSignal) => Promise<T>>,
  staggerMs: number,
  signal: AbortSignal,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (tasks.length === 0) {
      reject(allFailed([]));
      return;
    }
    const controllers: AbortController[] = [];
    const errors: unknown[] = new Array<unknown>(tasks.length);
    let started = 0;
    let failed = 0;
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const finish = (): void => {
      settled = true;
      if (timer) clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      for (const c of controllers) c.abort();
    };
    const onAbort = (): void => {
      if (settled) return;
      finish();
      reject(signal.reason);
    };
    const startNext = (): void => {
      if (settled || started >= tasks.length) return;
      const i = started++;
      const controller = new AbortController();
      controllers.push(controller);
      const task = tasks[i];
      if (!task) return;
      if (timer) clearTimeout(timer);
      timer = started < tasks.length ? setTimeout(startNext, staggerMs) : undefined;
      task(AbortSignal.any([signal, controller.signal])).then(
        (value) => {
          if (settled) return;
          finish();
          resolve(value);
        },
        (err: unknown) => {
          if (settled) return;
          errors[i] = err;
          failed++;
          if (failed === tasks.length) {
            finish();
            reject(allFailed(errors));
          } else if (failed === started) {
            startNext();
          }
        },
      );
    };
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    startNext();
  });
}
