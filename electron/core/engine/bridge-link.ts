// The engine's side of the bridge: starts it (on the remembered port), hands it the selection's
// best candidates as upstreams, and turns what real traffic shows — a tunnel carried bytes both
// ways, an upstream failed — into samples for the selection.
import type { Bridge } from '../bridge/index.ts';
import type { Upstream } from '../bridge/upstreams/types.ts';
import type { Selection } from '../selection/selection.ts';
import { bridgeCandidates } from './bridge-candidates.ts';
import { startEngineBridge, type PortConflict } from './bridge-port.ts';
import type { EngineEvents, EngineOptions } from './engine-types.ts';

const MAX_BRIDGE_CANDIDATES = 6;

export interface BridgeLinkHost {
  log(level: 'debug' | 'info' | 'warn', message: string): void;
  /** The bridge could not use an upstream (told before the selection hears of it). */
  failure(failure: EngineEvents['failure'][0]): void;
  /** Real traffic changed what the selection knows: the candidates may have changed. */
  changed(): void;
}

export class BridgeLink {
  private readonly selection: Selection;
  private readonly host: BridgeLinkHost;
  private bridge: Bridge | null = null;
  private conflict: PortConflict | null = null;
  private upstreams: Upstream[] = [];

  constructor(selection: Selection, host: BridgeLinkHost) {
    this.selection = selection;
    this.host = host;
  }

  /** The running bridge, or null. */
  get info(): Bridge | null {
    return this.bridge;
  }

  /** The remembered port is held by another program (the bridge uses another for now), or null. */
  get portConflict(): PortConflict | null {
    return this.conflict;
  }

  /** Starts the bridge; resolves once it listens. */
  async start(options: EngineOptions): Promise<Bridge> {
    const started = await startEngineBridge(options.dataDir, options.listen ?? { host: '127.0.0.1', port: 1080 }, {
      candidates: () => this.upstreams,
      ...(options.share ? { share: options.share } : {}),
      log: (line: string) => this.host.log('debug', line),
    });
    const bridge = (this.bridge = started.bridge);
    this.conflict = started.conflict;
    if (started.conflict) this.host.log('warn', `port ${started.conflict.wanted} is used by another program; the bridge uses ${started.conflict.using} for now`);
    bridge.on('upstream-failure', (f) => {
      this.host.failure({ server: f.upstreamId, kind: f.kind, message: f.message });
      this.selection.reportFailure(f.upstreamId, f.kind, f.message);
      this.host.changed();
    });
    // Real traffic teaches selection: a tunnel that carried bytes both ways is a success.
    bridge.on('upstream-success', (s) => {
      this.selection.reportSuccess(s.upstreamId);
      this.host.changed();
    });
    this.host.log('info', `bridge listening on ${bridge.host}:${bridge.port} (SOCKS5 + HTTP)`);
    return bridge;
  }

  /** Takes the selection's current candidates as the bridge's upstreams (see bridge-candidates.ts); returns how many. */
  refresh(): number {
    this.upstreams = bridgeCandidates(this.selection.candidates(), MAX_BRIDGE_CANDIDATES);
    return this.upstreams.length;
  }

  /** The bridge as an HTTP proxy URL (ssconf:// keys are fetched through it too), or undefined. */
  proxyUrl(): string | undefined {
    const b = this.bridge;
    return b ? `http://${b.host.includes(':') ? `[${b.host}]` : b.host}:${b.port}` : undefined;
  }

  async close(): Promise<void> {
    await this.bridge?.close();
    this.bridge = null;
  }
}
