// Clean quit and session end. Quitting normally, the first quit request is held until the engine
// has stopped (bridge closed, system proxy restored), bounded by a timeout so a stuck engine never
// blocks quitting. When the OS ends the session (sign-out, restart, shutdown) the stop starts at the
// first warning the OS gives and the quit is never held (holding it would cancel the user's
// logout on macOS): Linux/macOS powerMonitor 'shutdown', Windows 'query-session-end' (the only
// moment the OS still waits; after 'session-end' the process may be killed at any time).

/** How long the OSes wait for an app at session end (logind's InhibitDelayMaxSec, Windows' hung-app timeout): 5 s. */
export const OS_SESSION_END_DEADLINE_MS = 5000;
/** Our own bound for stopping at session end, well inside the OS's. */
export const SESSION_END_STOP_MS = 3000;

interface PreventableEvent {
  preventDefault(): void;
}

export interface QuitApp {
  on(event: 'before-quit', listener: (event: PreventableEvent) => void): unknown;
  quit(): void;
  exit(code: number): void;
}

export interface CleanQuit {
  /** Whether the engine has stopped (or the timeout passed) and the app may exit. */
  stopped(): boolean;
  /** powerMonitor 'shutdown' (Linux, macOS): the system is about to sign out, reboot or power off. */
  onShutdown(event?: Partial<PreventableEvent>): void;
  /**
   * Window 'query-session-end' (Windows): stop now; delay the session end only while the system
   * proxy points at us (ending now would leave the machine without internet after the reboot).
   */
  onQuerySessionEnd(event: PreventableEvent, proxyAtRisk: boolean): void;
  /** Window 'session-end' (Windows): last chance, cannot be delayed. */
  onSessionEnd(): void;
  /** The stop in progress, if any (tests and the boot sequence wait on it). */
  stopping(): Promise<void> | null;
}

export function installCleanQuit(app: QuitApp, stop: () => Promise<void>, timeoutMs = 5000): CleanQuit {
  let phase: 'running' | 'stopping' | 'stopped' = 'running';
  let sessionEnding = false;
  let running: Promise<void> | null = null;

  const stopWithin = (ms: number): Promise<void> => {
    if (!running) {
      phase = 'stopping';
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<void>((resolve) => { timer = setTimeout(resolve, ms); });
      running = Promise.race([stop().catch(() => {}), timeout]).then(() => {
        clearTimeout(timer);
        phase = 'stopped';
      });
    }
    return running;
  };

  const endSession = (then: 'quit' | 'nothing'): void => {
    sessionEnding = true;
    void stopWithin(Math.min(timeoutMs, SESSION_END_STOP_MS)).then(() => {
      if (then === 'quit') app.quit();
    });
  };

  app.on('before-quit', (event) => {
    if (phase === 'stopped' || sessionEnding) {
      if (phase !== 'stopped') void stopWithin(SESSION_END_STOP_MS);
      return;
    }
    event.preventDefault();
    if (phase === 'stopping') return;
    void stopWithin(timeoutMs).then(() => app.exit(0));
  });

  return {
    stopped: () => phase === 'stopped',
    onShutdown(event) {
      // Asks Electron to delay the shutdown (a logind delay lock on Linux); we quit as soon as stopped.
      event?.preventDefault?.();
      endSession('quit');
    },
    onQuerySessionEnd(event, proxyAtRisk) {
      if (proxyAtRisk && phase !== 'stopped') event.preventDefault();
      endSession('quit');
    },
    onSessionEnd() {
      endSession('nothing');
    },
    stopping: () => running,
  };
}
