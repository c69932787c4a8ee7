// What the Api needs of this computer: which browsers are installed, and the system proxy —
// repaired at start when a crash left it pointing at a dead port, switched on and off for the bridge.
import type { State } from '../../../../shared/api.ts';
import { detectBrowsers } from '../../browsers/detect.ts';
import { realHost } from '../../browsers/real-host.ts';
import { createSystemProxy } from '../../browsers/system-proxy/index.ts';

export class Desktop {
  private readonly dataDir: string;
  private found: State['browsers'] = { firefox: false, chrome: false, telegram: false };
  private proxyOn = false;

  constructor(dataDir: string) {
    this.dataDir = dataDir;
  }

  get browsers(): State['browsers'] {
    return this.found;
  }

  /** Whether Porthole set the system proxy. */
  get systemProxyOn(): boolean {
    return this.proxyOn;
  }

  /** Finds the browsers and repairs a system proxy left behind; problems are logged, never thrown. */
  async start(warn: (message: string) => void): Promise<void> {
    const host = realHost(process.env);
    const found = await detectBrowsers(host).catch(() => []);
    this.found = { firefox: found.some((b) => b.family === 'firefox'), chrome: found.some((b) => b.family === 'chromium'), telegram: true };
    await createSystemProxy({ dataDir: this.dataDir, host }).repairOnStartup().catch((err: Error) => warn(`system proxy repair: ${err.message}`));
  }

  /** Points the system proxy at the bridge's port, or (null) restores what it was. */
  async setSystemProxy(port: number | null): Promise<void> {
    const sp = createSystemProxy({ dataDir: this.dataDir, host: realHost(process.env) });
    if (port !== null) await sp.on(port);
    else await sp.off();
    this.proxyOn = port !== null;
  }
}
