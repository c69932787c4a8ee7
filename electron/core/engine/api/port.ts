// The stable port as the Api sees it: Settings show the port the bridge keeps, and a port chosen in
// Settings becomes the kept one (a running bridge moves to it). See bridge-port.ts.
import { rememberPort } from '../bridge-port.ts';
import type { Engine as CoreEngine } from '../engine.ts';

/** The port Settings should show after a start, or null when they already do (or must not change). */
export function portForSettings(core: CoreEngine, explicitListen: boolean, shown: number): number | null {
  const port = core.bridgeInfo()?.port;
  if (port === undefined || explicitListen || core.state().portConflict || port < 1024 || port === shown) return null;
  return port;
}

/** A port chosen by hand is kept from now on; a running bridge on another port is restarted on it. */
export async function keepChosenPort(dataDir: string, port: number, core: CoreEngine | null, restart: () => Promise<void>): Promise<void> {
  await rememberPort(dataDir, port);
  const running = core?.bridgeInfo();
  if (running && running.port !== port) await restart();
}
