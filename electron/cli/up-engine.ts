// The engine behind `porthole up`: in this process, or (`up --ui`) in a forked child through the
// same engine host the desktop app uses (electron/core/engine-host), so the UI's work never waits
// on the bridge's. Both give `up` the same things: the Api for the UI server, the CLI's own
// requests (imports, connect) and the core events as `up` prints them.
import { PortholeError } from '../../shared/errors.ts';
import type { Api } from '../../shared/api.ts';
import type { ApiServiceOptions } from '../core/engine/api/service.ts';
import { runCliRequest } from '../core/engine-host/cli-requests.ts';
import { hostEngine } from '../core/engine-host/host.ts';
import type { EngineExit, Spawner } from '../core/engine-host/process-engine.ts';
import type { CliRequest, CliResult, HostedOptions } from '../core/engine-host/protocol.ts';
import { followCore } from '../core/engine-host/up-events.ts';
import type { UpEvent } from '../core/engine-host/up-events.ts';

export interface UpEngine {
  /** The Api the UI server serves. */
  api: Api;
  request<R extends CliRequest>(request: R): Promise<Extract<CliResult, { op: R['op'] }>>;
  /** Stops the engine: bridge closed, ports freed, system proxy restored. */
  stop(): Promise<void>;
  /** The engine process's pid, when it runs in one. */
  pid(): number | undefined;
}

/** The CLI has no OS keychain: nothing secret is sealed (LAN passwords stay in the 0600 settings file). */
const NO_KEYCHAIN = { available: false, seal: (s: string) => s, open: (s: string) => s };

function typed<R extends CliRequest>(request: R, result: CliResult): Extract<CliResult, { op: R['op'] }> {
  if (result.op !== request.op) throw new PortholeError('internal', `the engine answered ${result.op} to ${request.op}`);
  return result as Extract<CliResult, { op: R['op'] }>;
}

export async function startInProcess(dataDir: string, options: HostedOptions, onUp: (event: UpEvent) => void): Promise<UpEngine> {
  // Loaded here only: with the engine in a child (`up --ui`), this process never loads it.
  const { ApiService } = await import('../core/engine/api/service.ts');
  const api = new ApiService({ dataDir, secrets: NO_KEYCHAIN }, { ...(options as ApiServiceOptions), onCore: (core) => followCore(core, onUp) });
  try {
    await api.start();
  } catch (err) {
    await api.stop().catch(() => undefined);
    throw err;
  }
  return { api, request: async (r) => typed(r, await runCliRequest(api, r)), stop: () => api.stop(), pid: () => undefined };
}

export interface HostedHooks {
  onUp(event: UpEvent): void;
  /** The engine process died; `restarting` is false once it keeps dying (the host stops trying). */
  onCrash(exit: EngineExit, restarting: boolean): void;
  /** The new engine process died while starting too; `retrying` is false once it keeps dying. */
  onRestartFailed(err: unknown, retrying: boolean): void;
  /** A new engine process runs after a crash and its bridge is up again (or could not be). */
  onRestarted(result: { ok: true; connected: Extract<CliResult, { op: 'connect' }>; pid: number | undefined } | { ok: false; error: unknown }): void;
  /** A message from the engine process failed its checks. */
  onInvalid(): void;
}

/** `spawn`: forkSpawner, or earlySpawner's, whose first engine process was started before `up` loaded this. */
export async function startHosted(dataDir: string, options: HostedOptions, spawn: Spawner, hooks: HostedHooks): Promise<UpEngine> {
  let listen = options.listen;
  const host = hostEngine({
    spawn,
    init: () => ({ t: 'init', dataDir, secretKey: null, options: { ...options, ...(listen ? { listen } : {}) }, followCore: true }),
    onCrash: (exit, restarting) => hooks.onCrash(exit, restarting),
    onRestartFailed: (err, retrying) => hooks.onRestartFailed(originalError(err), retrying),
    onRestarted: (engine) => {
      engine.cli({ op: 'connect' }).then(
        (result) => hooks.onRestarted({ ok: true, connected: typed({ op: 'connect' }, result), pid: engine.pid }),
        (error: unknown) => hooks.onRestarted({ ok: false, error }),
      );
    },
    onInvalid: () => hooks.onInvalid(),
  });
  host.onUp((event) => hooks.onUp(event));
  try {
    await host.engine.start();
  } catch (err) {
    await host.engine.stop().catch(() => undefined);
    throw originalError(err);
  }
  return {
    api: host.engine,
    request: async (r) => {
      const result = await (await host.process()).cli(r);
      // A restarted engine keeps the port the bridge got (--listen …:0 picks one only once).
      if (result.op === 'connect' && listen?.port === 0) listen = { ...listen, port: Number(result.socks.slice(result.socks.lastIndexOf(':') + 1)) };
      return typed(r, result);
    },
    stop: () => host.engine.stop(),
    pid: () => host.pid(),
  };
}

/**
 * A failed start arrives as "the engine could not start" (an ApiError for the UI) whose cause is the
 * launch failure, whose cause is the engine's own error revived from the child: the CLI reports that
 * one, with the exit code `up` has always given it.
 */
function originalError(err: unknown): unknown {
  const launch = err instanceof Error ? err.cause : undefined;
  const own = launch instanceof Error ? launch.cause : undefined;
  return own instanceof Error ? own : err;
}

/** After the engine process kept dying: put back a system proxy the last one may have left on. */
export async function repairSystemProxy(dataDir: string, env: NodeJS.ProcessEnv): Promise<void> {
  // Loaded here only: `up` needs the system proxy's code only after the engine process kept dying.
  const [{ realHost }, { createSystemProxy }] = await Promise.all([import('../core/browsers/real-host.ts'), import('../core/browsers/system-proxy/index.ts')]);
  await createSystemProxy({ dataDir, host: realHost(env) }).repairOnStartup();
}
