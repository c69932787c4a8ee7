// Staggered racing ("happy eyeballs"): start the first task; start the next one when the
// running ones fail or after `staggerMs`; the first success wins and the rest are aborted.

export class AllFailedError extends Error {
  /** One error per task, in task order. */
  readonly errors: unknown[];
  constructor(errors: unknown[]) {
    super('every attempt failed');
    this.name = 'AllFailedError';
    this.errors = errors;
  }
}

export function raceStaggered<T>(
  tasks: ReadonlyArray<(signal: AbortSignal) => Promise<T>>,
  staggerMs: number,
  signal: AbortSignal,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (tasks.length === 0) {
      reject(new AllFailedError([]));
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
            reject(new AllFailedError(errors));
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
