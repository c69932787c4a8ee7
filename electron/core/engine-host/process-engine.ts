// The shell's side of the engine process: spawns it (through an injected spawner: Electron's
// utilityProcess in the app, child_process.fork under Node), waits until the engine has started,
// and returns an ApiBackend whose Api calls and events travel as messages. Electron-free.
import { PortholeError } from '../../../shared/errors.ts';
import { type ApiError } from '../../../shared/api.ts';
import type { ApiEvent, Unsubscribe } from '../../../shared/api.ts';
import type { ApiBackend } from '../../../shared/api-backend.ts';
import { createApiClient } from '../../../shared/api-client.ts';
import { looksImportable } from '../../../shared/sniff.ts';
import { fromErrorWire } from './error-wire.ts';
import { FromEngineBatchSchema, FromEngineSchema } from './protocol.ts';
import type { CliRequest, CliResult, ToEngine } from './protocol.ts';
import type { UpEvent } from './up-events.ts';

/** A started engine process, whatever started it. */
export interface ChildHandle {
  readonly pid: number | undefined;
  send(message: ToEngine): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once when the process is gone (exit code, or null when killed by a signal or it never started). */
  onExit(listener: (code: number | null, signal?: string | null) => void): void;
  kill(): void;
}

export type Spawner = () => ChildHandle;

export interface EngineExit {
  code: number | null;
  /** The signal that ended it, when the spawner can tell (a forked child can). */
  signal?: string | null;
  /** True when the shell asked it to stop; false for a crash. */
  expected: boolean;
}

export interface ProcessEngineOptions {
  init: Extract<ToEngine, { t: 'init' }>;
  /** Called once when the process ends, expected or not. */
  onExit?(exit: EngineExit): void;
  /** How long a stop (bridge closed, system proxy restored) may take before the process is killed. */
  stopTimeoutMs?: number;
  /** A message that failed the protocol's checks (dropped; the shell or CLI may say so). */
  onInvalid?(raw: unknown): void;
}

export interface ProcessEngine extends ApiBackend {
  readonly pid: number | undefined;
  /** The CLI's own requests (imports with the core outcomes, connect for `up`). */
  cli(request: CliRequest): Promise<CliResult>;
  /** The core engine's events as `porthole up` prints them (an init with followCore sends them). */
  onUp(listener: (event: UpEvent) => void): Unsubscribe;
}

/** Spawns the engine process and resolves once its engine has started; rejects if it could not. */
export function launchEngine(spawn: Spawner, options: ProcessEngineOptions): Promise<ProcessEngine> {
  const child = spawn();
  const pending = new Map<number, { resolve(reply: unknown): void; reject(err: Error): void }>();
  const cliPending = new Map<number, { resolve(result: CliResult): void; reject(err: Error): void }>();
  const upListeners = new Set<(event: UpEvent) => void>();
  const stops = new Map<number, () => void>();
  const listeners = new Set<(raw: unknown) => void>();
  let nextId = 1;
  let exited = false;
  let stopRequested = false;
  let started: ((ok: boolean, message?: string, error?: Error) => void) | null = null;

  child.onMessage((raw) => {
    if ((raw as { t?: unknown } | null)?.t !== 'batch') return receive(raw);
    const batch = FromEngineBatchSchema.safeParse(raw);
    if (!batch.success) return void options.onInvalid?.(raw);
    for (const message of batch.data.messages) receive(message);
  });
  function receive(raw: unknown): void {
    const parsed = FromEngineSchema.safeParse(raw);
    if (!parsed.success) return void options.onInvalid?.(raw);
    const msg = parsed.data;
    if (msg.t === 'ready') started?.(true);
    else if (msg.t === 'start-failed') started?.(false, msg.message, msg.error && fromErrorWire(msg.error));
    else if (msg.t === 'up') {
      for (const l of upListeners) l(msg.event);
    } else if (msg.t === 'cli-reply') {
      const p = cliPending.get(msg.id);
      cliPending.delete(msg.id);
      if (msg.reply.ok) p?.resolve(msg.reply.result);
      else p?.reject(fromErrorWire(msg.reply.error));
    } else if (msg.t === 'reply') {
      pending.get(msg.id)?.resolve(msg.reply);
      pending.delete(msg.id);
    } else if (msg.t === 'event') {
      for (const l of listeners) l(msg.event);
    } else {
      stops.get(msg.id)?.();
      stops.delete(msg.id);
    }
  }
  child.onExit((code, signal) => {
    exited = true;
    started?.(false, `the engine process ended (${signal ? `killed by ${signal}` : `exit code ${code ?? 'none'}`})`);
    const gone = new PortholeError('unavailable', 'The engine stopped unexpectedly and is being restarted. Try again in a moment.');
    for (const p of pending.values()) p.reject(gone);
    pending.clear();
    for (const p of cliPending.values()) p.reject(gone);
    cliPending.clear();
    for (const done of stops.values()) done();
    stops.clear();
    options.onExit?.({ code, ...(signal !== undefined ? { signal } : {}), expected: stopRequested });
  });

  const api = createApiClient(
    (method, request) => new Promise((resolve, reject) => {
      if (exited) return reject(new PortholeError('unavailable', 'The engine is not running. Try again in a moment.'));
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ t: 'call', id, method, request });
    }).then((reply) => {
      const r = reply as { ok: boolean; result?: unknown; error?: { code: ApiError['code']; message: string } };
      if (r.ok) return r.result;
      throw new PortholeError(r.error!.code, r.error!.message);
    }),
    (listener): Unsubscribe => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  );

  const stop = async (): Promise<void> => {
    if (exited) return;
    stopRequested = true;
    const id = nextId++;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await new Promise<void>((resolve) => {
      stops.set(id, resolve);
      timer = setTimeout(resolve, options.stopTimeoutMs ?? 4000);
      child.send({ t: 'stop', id });
    });
    clearTimeout(timer);
    if (!exited) child.kill();
  };

  const engine: ProcessEngine = {
    ...api,
    get pid() {
      return child.pid;
    },
    start: async () => {},
    stop,
    isImportable: looksImportable,
    subscribe: (listener: (event: ApiEvent) => void) => api.subscribe(listener),
    cli: (request) => new Promise<CliResult>((resolve, reject) => {
      if (exited) return reject(new PortholeError('unavailable', 'The engine is not running. Try again in a moment.'));
      const id = nextId++;
      cliPending.set(id, { resolve, reject });
      child.send({ t: 'cli', id, request });
    }),
    onUp: (listener) => {
      upListeners.add(listener);
      return () => void upListeners.delete(listener);
    },
  };

  return new Promise<ProcessEngine>((resolve, reject) => {
    started = (ok, message, error) => {
      started = null;
      if (ok) return resolve(engine);
      stopRequested = true; // a failed start is reported by the rejection, not as a crash
      if (!exited) child.kill();
      reject(Object.assign(new Error(message ?? 'the engine did not start'), error ? { cause: error } : {}));
    };
    child.send(options.init);
  });
}
