// An ApiBackend that answers from the first call: every Api call waits until the real engine is
// loaded and started, then goes through. A failed start is retried by the next call and reported
// as "unavailable" in words, never as an internal error. Subscriptions made early are kept and
// carried over when the engine behind is replaced (the engine process restarted after a crash).
import { PortholeError, failure } from '../../../shared/errors.ts';
import { type ApiError, METHOD_NAMES, isApiError } from '../../../shared/api.ts';
import type { ApiEvent, ApiMethods, Unsubscribe } from '../../../shared/api.ts';
import type { ApiBackend } from '../../../shared/api-backend.ts';
import { looksImportable } from '../../../shared/sniff.ts';

export interface ReadyEngineOptions {
  /** Loads (or spawns) the engine and starts it; called again after a failure. */
  open(): Promise<ApiBackend>;
  /** Told about failed starts (the shell logs them). */
  onError?(err: unknown): void;
}

/**
 * How a failed start reaches the person: what happened and that it will be tried again. The error
 * itself stays the cause (the CLI tells it as it would have without an engine process).
 */
export function startFailure(err: unknown): ApiError {
  const why = err instanceof Error && err.message ? `: ${err.message.slice(0, 300)}` : '';
  return failure('unavailable', `Porthole's engine could not start${why}. It will try again; if it keeps failing, restart Porthole.`, { cause: err });
}

export class ReadyEngine {
  private readonly options: ReadyEngineOptions;
  private current: ApiBackend | null = null;
  private opening: Promise<ApiBackend> | null = null;
  private stopped = false;
  private stopping: Promise<void> | null = null;
  private readonly listeners = new Set<(event: ApiEvent) => void>();
  private detach: Unsubscribe | null = null;
  /** The stop of an engine that finished starting after stop() was called. */
  private lateStop: Promise<void> | null = null;
  /** The Api methods, each waiting for readiness. */
  readonly api: ApiBackend;

  constructor(options: ReadyEngineOptions) {
    this.options = options;
    const methods: Record<string, (request?: unknown) => Promise<unknown>> = {};
    for (const name of METHOD_NAMES) {
      methods[name] = async (request?: unknown) => {
        const engine = await this.ready();
        return (engine[name] as (req?: unknown) => Promise<unknown>).call(engine, request);
      };
    }
    this.api = {
      ...(methods as unknown as ApiMethods),
      subscribe: (listener) => {
        this.listeners.add(listener);
        return () => void this.listeners.delete(listener);
      },
      start: async () => void (await this.ready()),
      stop: () => this.stop(),
      isImportable: (text) => looksImportable(text),
    };
  }

  /** The started engine; starts it if nobody has yet. Rejects with a person-readable ApiError. */
  ready(): Promise<ApiBackend> {
    if (this.stopped) return Promise.reject(new PortholeError('unavailable', 'Porthole is quitting'));
    if (this.current) return Promise.resolve(this.current);
    if (!this.opening) {
      this.opening = this.options.open().then((engine) => {
        this.opening = null;
        if (this.stopped) {
          this.lateStop = engine.stop().catch(() => {});
          throw new PortholeError('unavailable', 'Porthole is quitting');
        }
        this.use(engine);
        return engine;
      }, (err: unknown) => {
        this.opening = null;
        this.options.onError?.(err);
        throw isApiError(err) ? err : startFailure(err);
      });
    }
    return this.opening;
  }

  /** Whether an engine is started and answering now. */
  get isReady(): boolean {
    return this.current !== null;
  }

  /** Forget the engine (its process died): the next call starts a new one. */
  lost(engine?: ApiBackend): void {
    if (engine && engine !== this.current) return;
    this.detach?.();
    this.detach = null;
    this.current = null;
  }

  /** Sends an event of the shell's own (an engine crash, say) to every subscriber. */
  notify(event: ApiEvent): void {
    this.deliver(event);
  }

  /** Stops the engine (restoring the system proxy); waits for a start in progress first. Idempotent. */
  stop(): Promise<void> {
    if (!this.stopping) this.stopping = this.stopNow();
    return this.stopping;
  }

  private async stopNow(): Promise<void> {
    const pending = this.opening;
    this.stopped = true;
    const engine = this.current ?? (pending ? await pending.catch(() => null) : null);
    this.current = null;
    this.detach?.();
    this.detach = null;
    await Promise.all([engine?.stop(), this.lateStop]);
  }

  private use(engine: ApiBackend): void {
    this.detach?.();
    this.current = engine;
    this.detach = engine.subscribe((event) => this.deliver(event));
  }

  private deliver(event: ApiEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // one broken listener must not stop the others
      }
    }
  }
}
