// The engine: loads the cached and embedded lists, refreshes the channels, probes and selects,
// runs the bridge, and keeps refreshing and failing over. Plain Node: the CLI (`porthole up`),
// the headless web UI and the Electron shell all drive this one object. Its parts: the catalog
// (catalog/live.ts), probing (probe-rounds.ts), the selection, the bridge (bridge-link.ts), the
// never-ending search (search-driver.ts) and what it shows (status.ts).
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import type { Bridge } from '../bridge/index.ts';
import type { Catalog, CatalogServer } from '../catalog/catalog.ts';
import type { ImportOptions, ImportOutcome } from '../catalog/import.ts';
import type { ServersOutcome } from '../catalog/import-servers.ts';
import { LiveCatalog } from '../catalog/live.ts';
import type { ChannelReport } from '../catalog/refresh.ts';
import type { TrustedPublisher } from '../catalog/trust-store.ts';
import type { Untrusted } from '../catalog/untrust.ts';
import type { RootChain } from '../lists/roots.ts';
import type { ProbeRun } from '../probe/index.ts';
import type { ProbeResult } from '../probe/types.ts';
import type { Explanation } from '../selection/explain.ts';
import { bindNetworkMemory, type NetworkMemoryBinding } from '../selection/network-memory-binding.ts';
import { Selection, type ServerStats } from '../selection/selection.ts';
import { BridgeLink } from './bridge-link.ts';
import type { EngineEvents, EngineOptions, EngineState } from './engine-types.ts';
import { ProbeRounds } from './probe-rounds.ts';
import { SearchDriver } from './search-driver.ts';
import { EngineStatus } from './status.ts';
import { Trailing } from './trailing.ts';

export type { EngineEvents, EngineOptions, EngineState } from './engine-types.ts';

export class Engine extends EventEmitter<EngineEvents> {
  readonly options: EngineOptions;
  private readonly catalog: LiveCatalog;
  private readonly selection = new Selection();
  private readonly link: BridgeLink;
  private readonly rounds: ProbeRounds;
  private readonly search: SearchDriver;
  private readonly status: EngineStatus;
  private readonly upstreamsSoon = new Trailing(100, () => this.updateUpstreams()); // see onProbe
  private timers: NodeJS.Timeout[] = [];
  private stopped = false;
  private opened = false;
  private memory: NetworkMemoryBinding | null = null;

  constructor(options: EngineOptions) {
    super();
    this.options = options;
    this.catalog = new LiveCatalog(options, {
      log: (level, message) => this.log(level, message),
      changed: (added) => this.onServers(added),
      reports: (reports) => this.emit('sources', reports),
      refreshingChanged: () => this.status.emit(),
      proxyUrl: () => this.link.proxyUrl(),
    }, this.selection); // each new set goes from the catalog straight to the selection
    this.selection.on('change', ({ previous, current, reason }) => {
      this.updateUpstreams();
      this.emit('switch', { from: previous, to: current, reason });
      this.log('info', `using ${current ? this.label(current) : 'no server'} (${reason})`);
      this.status.emit();
    });
    this.selection.on('retest', ({ ids }) => this.rounds.retest(ids));
    this.link = new BridgeLink(this.selection, {
      log: (level, message) => this.log(level, message),
      failure: (f) => this.emit('failure', f),
      changed: () => this.updateUpstreams(),
    });
    this.rounds = new ProbeRounds({
      options: () => this.options.probe ?? {},
      order: () => this.selection.probeOrder(),
      remembered: () => this.selection.counts().remembered,
      entry: (id) => this.catalog.server(id)?.entry,
      stopped: () => this.stopped,
      serving: () => this.link.info !== null,
      result: (result, tested, total) => this.onProbe(result, tested, total),
      roundStarted: () => this.status.roundStarted(),
      roundEnded: () => this.status.roundEnded(),
      nothingToProbe: () => this.status.nothingToProbe(),
      mtprotoAnswered: () => !this.stopped && this.emit('servers', this.catalog.servers()),
    });
    this.search = new SearchDriver({
      connected: () => this.selection.current() !== null,
      busy: () => this.rounds.busy,
      probe: (ids) => this.rounds.probe(ids.map((id) => this.catalog.server(id)?.entry).filter((e): e is NonNullable<typeof e> => Boolean(e))),
      order: () => this.selection.probeOrder().map((e) => e.id),
      refreshChannels: () => this.refreshNow().then(() => undefined),
      searchAgain: (why) => this.searchAgain(why),
    }, options.search);
    this.status = new EngineStatus({ events: this, catalog: this.catalog, selection: this.selection, link: this.link, rounds: this.rounds, search: this.search });
  }

  /** Opens the data dir and loads the lists (imports may follow before start()). */
  async open(): Promise<void> {
    if (this.opened) return;
    this.opened = true;
    await this.catalog.open();
    this.memory = await bindNetworkMemory(this.selection, join(this.options.dataDir, 'networks.json'), (m) => this.log('warn', m));
    await this.catalog.rebuild();
  }

  /** Starts the bridge, probing and refreshing. Resolves once the bridge listens. */
  async start(): Promise<void> {
    await this.open();
    await this.link.start(this.options);
    this.status.set('searching');
    this.testAll();
    void this.refreshNow();
    const reprobe = setInterval(() => this.testAll(), this.options.reprobeEveryMs ?? 5 * 60_000);
    reprobe.unref();
    this.timers.push(reprobe);
    this.memory?.keepUp();
    this.catalog.schedule();
    this.search.start();
  }

  /** A whole new search now ("Try again", a new network): channels, every server, backoff from the start. */
  searchAgain(why = 'asked to search again'): ProbeRun | null {
    if (this.stopped || !this.link.info) return null;
    this.log('info', `searching again: ${why}`);
    this.memory?.refreshNetwork();
    this.search.restart();
    void this.refreshNow();
    return this.testAll();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.search.stop();
    for (const t of this.timers) clearTimeout(t);
    this.upstreamsSoon.cancel();
    this.catalog.stop();
    this.rounds.cancel();
    await this.memory?.close();
    await this.link.close();
    this.status.set('idle');
  }

  // ---------------------------------------------------------------- reads

  servers(): CatalogServer[] {
    return this.catalog.servers();
  }

  server(id: string): CatalogServer | undefined {
    return this.catalog.server(id);
  }

  lastResult(id: string): ProbeResult | undefined {
    return this.rounds.lastResult(id);
  }

  /** What selection knows of a server (samples, status, pinned…), or null for an unknown id. */
  serverStats(id: string): ServerStats | null {
    return this.selection.server(id);
  }

  /** How many servers work now (serverStats' status 'ok'), counted without looking at each. */
  workingCount(): number {
    return this.selection.counts().working;
  }

  /** The latest probe of an MTProto proxy (never bridged, probed apart). */
  mtprotoResult(id: string): ProbeResult | undefined {
    return this.rounds.mtprotoResult(id);
  }

  /** The working MTProto proxy with the lowest latency, if any. */
  bestMtproto(): ProbeResult | null {
    return this.rounds.bestMtproto();
  }

  /** The pinned server's id, or null. */
  pinned(): string | null {
    return this.selection.pinned;
  }

  /** The publishers trusted now (roots, list and code keys). */
  publishers(): TrustedPublisher[] {
    return this.catalog.publishers();
  }

  lists(): Catalog['lists'] {
    return this.catalog.lists();
  }

  channelReports(): ChannelReport[] {
    return this.catalog.channelReports();
  }

  bridgeInfo(): Bridge | null {
    return this.link.info;
  }

  explain(): Explanation {
    return this.selection.explain();
  }

  state(): EngineState {
    return this.status.snapshot();
  }

  /** A full probe round is running (cheaper than state(), which explains the selection). */
  get probing(): boolean {
    return this.rounds.busy;
  }

  // ---------------------------------------------------------------- actions

  /** Probes every server (working ones on this network first). */
  testAll(): ProbeRun | null {
    if (this.stopped) return null;
    return this.rounds.testAll(this.catalog.servers().map((s) => s.entry));
  }

  pick(id: string): void {
    this.selection.pick(this.requireServer(id));
    this.updateUpstreams();
  }

  pin(id: string): void {
    this.selection.pin(this.requireServer(id));
    this.updateUpstreams();
  }

  unpin(): void {
    this.selection.unpin();
    this.updateUpstreams();
  }

  /** Verifies and stores a paste (code, armored block, list); new servers are probed at once. */
  importText(input: string | Uint8Array, options: ImportOptions = {}): Promise<ImportOutcome[]> {
    return this.catalog.importText(input, options);
  }

  /** Servers of one's own from any link, subscription or config; null when the text holds none. */
  addServers(text: string): Promise<ServersOutcome | null> {
    return this.catalog.addServers(text);
  }

  removeServer(id: string): Promise<boolean> {
    return this.catalog.removeServer(id);
  }

  /** Trusts a key the person confirmed (the sender of a pasted code); import the code again next. */
  trustKey(chain: RootChain, via: 'code' | 'manual'): Promise<void> {
    return this.catalog.trustKey(chain, via);
  }

  /** Stops trusting a publisher: its code servers, channels and list leave the catalog now. */
  untrust(publisher: string): Promise<Untrusted> {
    return this.catalog.untrust(publisher);
  }

  /** Fetches every channel now; resolves at the refresh deadline. */
  refreshNow(): Promise<ChannelReport[]> {
    return this.catalog.refreshNow();
  }

  // ---------------------------------------------------------------- internals

  /** A new server set, already in the selection (the catalog published it there): new servers are probed at once. */
  private onServers(added: CatalogServer[]): void {
    const servers = this.catalog.servers();
    this.updateUpstreams();
    this.emit('servers', servers);
    this.rounds.serversChanged(new Set(servers.map((s) => s.id)), added);
  }

  private onProbe(result: ProbeResult, tested: number, total: number): void {
    const before = this.selection.current()?.id ?? null;
    this.selection.recordProbe(result);
    // Passed: done; worked but not trusted yet (recovering, degraded): again soon; failed: backoff.
    const trusted = this.selection.statusOf(result.id) === 'ok';
    if (result.error?.kind !== 'aborted') this.search.note(result.id, result.ok ? (trusted ? true : 'confirm') : false);
    // Re-ranking every server per result was most of a round's CPU: the bridge's candidates follow at once when the
    // current server changed or was probed, for a working server while not connected and the last result; else per 100 ms.
    const now = this.selection.current()?.id ?? null;
    if (now !== before || result.id === now || (result.ok && this.status.current !== 'connected') || tested === total) this.upstreamsSoon.now();
    else this.upstreamsSoon.soon();
    this.emit('progress', { tested, total, result });
    if (!result.ok) this.emit('failure', { server: result.id, kind: result.error?.kind ?? 'other', message: result.error?.message ?? 'failed' });
  }

  /** The bridge's candidates (see bridge-link.ts), and the phase and 'ready' that follow from them. */
  private updateUpstreams(): void {
    this.upstreamsSoon.cancelPending();
    this.status.candidates(this.link.refresh());
  }

  private requireServer(id: string): string {
    if (!this.catalog.server(id)) throw new Error(`unknown server ${id}`);
    return id;
  }

  private label(id: string): string {
    const s = this.catalog.server(id);
    return s?.entry.label ?? s?.entry.host ?? id;
  }

  log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void {
    this.emit('log', { level, message });
  }
}
