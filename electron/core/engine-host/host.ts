// Runs the engine in its own process and keeps it running: calls made before it is ready wait
// (ReadyEngine), a crash is reported (a log event to the UI, onCrash to the shell) and the engine
// restarted at once, which also repairs a system proxy the dead engine left pointing at its port.
// A crash loop stops the automatic restarts; the next call tries again. Electron-free: the shell
// passes Electron's utilityProcess in as the spawner, Node passes forkSpawner().
import type { ApiBackend } from '../../../shared/api-backend.ts';
import { launchEngine } from './process-engine.ts';
import type { EngineExit, ProcessEngineOptions, Spawner } from './process-engine.ts';
import { ReadyEngine } from './ready-engine.ts';

export interface EngineHostOptions {
  spawn: Spawner;
  /** The init message (data dir, secret key); asked for at each (re)start. */
  init(): ProcessEngineOptions['init'] | Promise<ProcessEngineOptions['init']>;
  /** The engine process died without being asked to. */
  onCrash?(exit: EngineExit): void;
  /** A start failed. */
  onError?(err: unknown): void;
  /** At most this many automatic restarts per minute. */
  maxRestartsPerMinute?: number;
}

export interface HostedEngine {
  /** The Api (and lifecycle) the shell serves; calls wait for the engine process. */
  engine: ApiBackend;
  /** The engine process's pid, once one runs. */
  pid(): number | undefined;
  /** The automatic restart after the last crash, if one is under way (tests wait on it). */
  restarting(): Promise<unknown> | null;
}

export function hostEngine(options: EngineHostOptions): HostedEngine {
  const crashes: number[] = [];
  let pid: number | undefined;
  let restart: Promise<unknown> | null = null;
  let quitting = false;

  const gate: ReadyEngine = new ReadyEngine({
    onError: options.onError,
    open: async () => {
      let launched: ApiBackend | null = null;
      const engine = await launchEngine(options.spawn, { init: await options.init(), onExit: (exit) => onExit(launched, exit) });
      launched = engine;
      pid = engine.pid;
      return engine;
    },
  });

  function onExit(engine: ApiBackend | null, exit: EngineExit): void {
    if (exit.expected || quitting || !engine) return;
    gate.lost(engine);
    options.onCrash?.(exit);
    const now = Date.now();
    crashes.push(now);
    while (crashes.length && now - crashes[0]! > 60_000) crashes.shift();
    const restarting = crashes.length <= (options.maxRestartsPerMinute ?? 3);
    gate.notify({
      type: 'log',
      entry: {
        at: new Date(now).toISOString(), level: 'error',
        message: `The engine stopped unexpectedly (exit code ${exit.code ?? 'none'}). ${restarting ? 'Restarting it.' : 'It keeps stopping: it will start again at your next action.'}`,
      },
    });
    if (restarting) restart = gate.ready().catch(() => undefined);
  }

  const stop = gate.api.stop;
  return {
    engine: { ...gate.api, stop: () => { quitting = true; return stop(); } },
    pid: () => pid,
    restarting: () => restart,
  };
}
