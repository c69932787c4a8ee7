// Clean quit: the first quit request is held until the engine has stopped (bridge closed, system
// proxy restored), bounded by a timeout so a stuck engine never blocks quitting.
export interface QuitApp {
  on(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  exit(code: number): void;
}

export function installCleanQuit(app: QuitApp, stop: () => Promise<void>, timeoutMs = 5000): { stopped: () => boolean } {
  let phase: 'running' | 'stopping' | 'stopped' = 'running';
  app.on('before-quit', (event) => {
    if (phase === 'stopped') return;
    event.preventDefault();
    if (phase === 'stopping') return;
    phase = 'stopping';
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => { timer = setTimeout(resolve, timeoutMs); });
    void Promise.race([stop().catch(() => {}), timeout]).then(() => {
      clearTimeout(timer);
      phase = 'stopped';
      app.exit(0);
    });
  });
  return { stopped: () => phase === 'stopped' };
}
