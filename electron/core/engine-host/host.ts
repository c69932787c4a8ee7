// Runs the engine in its own process and keeps it running: calls made before it is ready wait
// (ReadyEngine), a crash is reported (a log event to the UI, onCrash to the shell) and the engine
// restarted at once, which also repairs a system proxy the dead engine left pointing at its port.
// A crash loop stops the automatic restarts; the next call tries again. Electron-free: the shell
// passes Electron's utilityProcess in as the spawner, Node passes forkSpawner().
import type { State, Unsubscribe } from '../../../shared/api.ts';
import type { ApiBackend } from '../../../shared/api-backend.ts';
import { launchEngine } from './process-engine.ts';
import type { EngineExit, ProcessEngine, ProcessEngineOptions, Spawner } from './process-engine.ts';
import { ReadyEngine } from './ready-engine.ts';
import type { UpEvent } from './up-events.ts';

export interface EngineHostOptions {
  spawn: Spawner;
  /** The init message (data dir, secret key); asked for at each (re)start. */
  init(): ProcessEngineOptions['init'] | Promise<ProcessEngineOptions['init']>;
  /** The engine process died without being asked to; `restarting` is false once it keeps dying. */
  onCrash?(exit: EngineExit, restarting: boolean): void;
  /** A start failed. */
  onError?(err: unknown): void;
  /** The restart after a crash failed too; `retrying` is false once it keeps failing (the host stops trying). */
  onRestartFailed?(err: unknown, retrying: boolean): void;
  /** A new engine process started after a crash (the CLI reconnects its bridge). */
  onRestarted?(engine: ProcessEngine): void;
  /** A message from the engine process failed the protocol's checks and was dropped. */
  onInvalid?(raw: unknown): void;
  /**
   * After a crash, put back what the person had: connected again (and the system proxy on again)
   * if it was. The desktop app does; `up --ui` reconnects by itself.
   */
  resume?: boolean;
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
  /** The engine process, started if none runs (the CLI's own requests go to it). */
  process(): Promise<ProcessEngine>;
  /** The core engine's events as `porthole up` prints them, from each engine process in turn. */
  onUp(listener: (event: UpEvent) => void): Unsubscribe;
}

export function hostEngine(options: EngineHostOptions): HostedEngine {
  const crashes: number[] = [];
  let pid: number | undefined;
  let restart: Promise<unknown> | null = null;
  let quitting = false;
  let crashed = false;
  const upListeners = new Set<(event: UpEvent) => void>();

  let current: ProcessEngine | null = null;
  // What the UI last heard; after a crash it must hear that the bridge is gone, then the new state.
  let lastState: State | null = null;
  // Whether the system proxy was on (the settings event can come before the state event says so).
  let proxyOn = false;
  // What there was before the first of a run of crashes, to resume from.
  let beforeCrash: { state: State; proxyOn: boolean } | null = null;
  const gate: ReadyEngine = new ReadyEngine({
    onError: options.onError,
    open: async () => {
      let launched: ApiBackend | null = null;
      const engine = await launchEngine(options.spawn, { init: await options.init(), onExit: (exit) => onExit(launched, exit), onInvalid: options.onInvalid });
      launched = engine;
      current = engine;
      pid = engine.pid;
      engine.onUp((event) => upListeners.forEach((l) => l(event)));
      if (crashed && !quitting) {
        crashed = false;
        const was = beforeCrash;
        beforeCrash = null;
        if (options.resume && was && was.state.phase !== 'idle') await resume(engine, was.proxyOn);
        engine.getState().then((state) => gate.notify({ type: 'state', state }), () => undefined);
        options.onRestarted?.(engine);
      }
      return engine;
    },
  });
  gate.api.subscribe((event) => {
    if (event.type === 'state') [lastState, proxyOn] = [event.state, event.state.systemProxy];
    if (event.type === 'settings') proxyOn = event.settings.systemProxy;
  });

  function onExit(engine: ApiBackend | null, exit: EngineExit): void {
    if (exit.expected || quitting || !engine) return;
    gate.lost(engine);
    crashed = true;
    if (lastState) beforeCrash ??= { state: lastState, proxyOn };
    const now = Date.now();
    const restarting = withinBudget(now);
    options.onCrash?.(exit, restarting);
    gate.notify({
      type: 'log',
      entry: {
        at: new Date(now).toISOString(), level: 'error',
        message: `The engine stopped unexpectedly (${exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code ?? 'none'}`}). ${restarting ? 'Restarting it.' : 'It keeps stopping: it will start again at your next action.'}`,
      },
    });
    if (lastState) gate.notify({ type: 'state', state: withoutEngine(lastState) });
    if (restarting) restart = restartNow();
  }

  /** Counts one more death; false once there were more than the restarts allowed in a minute. */
  function withinBudget(now: number): boolean {
    crashes.push(now);
    while (crashes.length && now - crashes[0]! > 60_000) crashes.shift();
    return crashes.length <= (options.maxRestartsPerMinute ?? 3);
  }

  /** A new engine process; one that dies while starting counts as a crash too and is tried again. */
  function restartNow(): Promise<unknown> {
    return gate.ready().catch(async (err: unknown) => {
      if (quitting) return;
      const again = withinBudget(Date.now());
      options.onRestartFailed?.(err, again);
      if (!again) return;
      await new Promise((r) => setTimeout(r, 500));
      if (!quitting) await restartNow();
    });
  }

  const stop = gate.api.stop;
  return {
    engine: { ...gate.api, stop: () => { quitting = true; return stop(); } },
    pid: () => pid,
    restarting: () => restart,
    process: () => gate.ready().then((engine) => {
      if (engine !== current || !current) throw new Error('the engine process changed while starting');
      return current;
    }),
    onUp: (listener) => {
      upListeners.add(listener);
      return () => void upListeners.delete(listener);
    },
  };
}

/** Connects the restarted engine, and turns the system proxy on again, as before the crash. */
async function resume(engine: ApiBackend, proxyOn: boolean): Promise<void> {
  try {
    await engine.connect({});
    if (proxyOn) await engine.setSettings({ systemProxy: true });
  } catch {
    // the person can press Connect: the state they see says it is not connected
  }
}

/** The state the UI should show while no engine runs: nothing connected, no bridge, no system proxy. */
function withoutEngine(state: State): State {
  return {
    ...state, phase: 'idle', progress: { ...state.progress, running: false }, current: null, offlineReason: null,
    bridge: null, lan: null, systemProxy: false, retryAt: null, portConflict: null, since: new Date().toISOString(),
  };
}
