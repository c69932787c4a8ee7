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
    let exited = false;
    const exitListeners: Array<(code: number | null, signal: string | null) => void> = [];
    const done = (code: number | null, signal: string | null) => {
      if (exited) return;
      exited = true;
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
      onExit: (l) => void exitListeners.push(l),
      kill: () => void child.kill('SIGKILL'),
    };
  };
}
