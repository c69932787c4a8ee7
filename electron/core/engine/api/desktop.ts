// What the Api needs of this computer: which browsers are installed, and the system proxy —
// repaired at start when a crash left it pointing at a dead port, switched on and off for the bridge.
import type { State } from '../../../../shared/api.ts';
import { detectBrowsers } from '../../browsers/detect.ts';
import type { HostEnv } from '../../browsers/host-env.ts';
import { realHost } from '../../browsers/real-host.ts';
import { createSystemProxy } from '../../browsers/system-proxy/index.ts';
import type { SystemProxy } from '../../browsers/system-proxy/manager.ts';
import type { ProxyBackend } from '../../browsers/system-proxy/types.ts';

/** This computer as the Api sees it; tests give a fake one. Default: the real machine. */
export interface DesktopHost {
  /** How browsers and Telegram are found and started. */
  host: HostEnv;
  /** The system-proxy settings Porthole may change (default: those found on `host`). */
  proxyBackends?: ProxyBackend[];
}

export class Desktop {
  private readonly dataDir: string;
  private readonly machine: DesktopHost | undefined;
  private found: State['browsers'] = { firefox: false, chrome: false, telegram: false };
  private proxyOn = false;

  constructor(dataDir: string, machine?: DesktopHost) {
    this.dataDir = dataDir;
    this.machine = machine;
  }

  /** The machine browsers are started on. */
  get host(): HostEnv {
    return this.machine?.host ?? realHost(process.env);
  }

  private systemProxy(host = this.host): SystemProxy {
    return createSystemProxy({ dataDir: this.dataDir, host, ...(this.machine?.proxyBackends ? { backends: this.machine.proxyBackends } : {}) });
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
    const host = this.host;
    const found = await detectBrowsers(host).catch(() => []);
    this.found = { firefox: found.some((b) => b.family === 'firefox'), chrome: found.some((b) => b.family === 'chromium'), telegram: true };
    await this.systemProxy(host).repairOnStartup().catch((err: Error) => warn(`system proxy repair: ${err.message}`));
  }

  /** Points the system proxy at the bridge's port, or (null) restores what it was. */
  async setSystemProxy(port: number | null): Promise<void> {
    const sp = this.systemProxy();
    if (port !== null) await sp.on(port);
    else await sp.off();
    this.proxyOn = port !== null;
  }
}
