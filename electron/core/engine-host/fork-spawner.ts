// Under plain Node (tests, the CLI) the engine process is a forked child running child.ts (or
// child.js once built): the same code path the app takes with Electron's utilityProcess.
import { fork } from 'node:child_process';
import { CHILD_ENTRY } from './entry.ts';
import type { ChildHandle, Spawner } from './process-engine.ts';

/**
 * `stdio`: where the child's output goes; 'stderr' sends its stdout to our stderr too, so nothing it
 * prints can mix into a parent's own stdout (`up --json` prints one JSON event per line there).
 */
export function forkSpawner(options: { entry?: string; env?: NodeJS.ProcessEnv; stdio?: 'inherit' | 'ignore' | 'stderr' } = {}): Spawner {
  return (): ChildHandle => {
    const entry = options.entry ?? CHILD_ENTRY;
    const out = options.stdio ?? 'inherit';
    const child = fork(entry, [], {
      env: options.env ?? process.env,
      execArgv: entry.endsWith('.ts') ? ['--disable-warning=ExperimentalWarning'] : [],
      stdio: out === 'stderr' ? ['ignore', 2, 2, 'ipc'] : ['ignore', out, out, 'ipc'],
      serialization: 'advanced',
    });
    let exit: [number | null, string | null] | null = null;
    const exitListeners: Array<(code: number | null, signal: string | null) => void> = [];
    const done = (code: number | null, signal: string | null) => {
      if (exit) return;
      exit = [code, signal];
      exitListeners.forEach((l) => l(code, signal));
    };
    child.on('exit', (code, signal) => done(code, signal));
    child.on('error', () => done(null, null)); // could not be started
    return {
      get pid() {
        return child.pid;
      },
      send: (m) => {
        if (child.connected) child.send(m, (err) => err && undefined);
      },
      onMessage: (l) => void child.on('message', l),
      // A listener that comes after the end (an early-started child, see earlySpawner) still hears of it.
      onExit: (l) => {
        const ended = exit;
        if (ended) queueMicrotask(() => l(...ended));
        else exitListeners.push(l);
      },
      kill: () => void child.kill('SIGKILL'),
    };
  };
}

export interface EarlySpawner {
  /** Hands out the process started early the first time, new ones after (restarts). */
  spawn: Spawner;
  /** Ends the early process if nothing took it (the command failed before it got that far). */
  release(): void;
}

/**
 * Starts one engine process at once, before the caller loads the rest of its own code: the engine
 * process loads its code meanwhile, on another core, instead of after (at start-up, loading the
 * code is most of the time to the first paint). It waits for its init message, so nothing starts
 * before the engine host takes it.
 */
export function earlySpawner(spawn: Spawner): EarlySpawner {
  let early: ChildHandle | null = spawn();
  return {
    spawn: () => {
      const handle = early ?? spawn();
      early = null;
      return handle;
    },
    release: () => {
      early?.kill();
      early = null;
    },
  };
}
