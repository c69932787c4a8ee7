// The engine process in the app: an Electron utilityProcess (a Node process Chromium manages, off
// the UI thread) running electron/core/engine-host/child. Everything else about it is Electron-free.
import type { UtilityProcess } from 'electron';
import type { ChildHandle, Spawner } from '../core/engine-host/process-engine.ts';

export interface UtilityProcessModule {
  fork(modulePath: string, args?: string[], options?: { serviceName?: string; stdio?: 'inherit' | 'ignore' | 'pipe'; env?: NodeJS.ProcessEnv }): Pick<UtilityProcess, 'pid' | 'postMessage' | 'on' | 'kill'>;
}

export function utilitySpawner(utilityProcess: UtilityProcessModule, entry: string): Spawner {
  return (): ChildHandle => {
    const child = utilityProcess.fork(entry, [], { serviceName: 'Porthole engine', stdio: 'inherit' });
    let exited = false;
    const exitListeners: Array<(code: number | null) => void> = [];
    child.on('exit', (code: number) => {
      if (exited) return;
      exited = true;
      exitListeners.forEach((l) => l(code));
    });
    return {
      get pid() {
        return child.pid;
      },
      // Messages sent before 'spawn' are queued by Electron.
      send: (m) => { if (!exited) child.postMessage(m); },
      onMessage: (l) => void child.on('message', (m: unknown) => l(m)),
      onExit: (l) => void exitListeners.push(l),
      kill: () => void child.kill(),
    };
  };
}
