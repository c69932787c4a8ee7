// Under plain Node (tests, the CLI) the engine process is a forked child running child.ts (or
// child.js once built): the same code path the app takes with Electron's utilityProcess.
import { fork } from 'node:child_process';
import { CHILD_ENTRY } from './entry.ts';
import type { ChildHandle, Spawner } from './process-engine.ts';

export function forkSpawner(options: { entry?: string; env?: NodeJS.ProcessEnv; stdio?: 'inherit' | 'ignore' } = {}): Spawner {
  return (): ChildHandle => {
    const entry = options.entry ?? CHILD_ENTRY;
    const child = fork(entry, [], {
      env: options.env ?? process.env,
      execArgv: entry.endsWith('.ts') ? ['--disable-warning=ExperimentalWarning'] : [],
      stdio: ['ignore', options.stdio ?? 'inherit', options.stdio ?? 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    let exited = false;
    const exitListeners: Array<(code: number | null) => void> = [];
    const done = (code: number | null) => {
      if (exited) return;
      exited = true;
      exitListeners.forEach((l) => l(code));
    };
    child.on('exit', (code) => done(code));
    child.on('error', () => done(null)); // could not be started
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
