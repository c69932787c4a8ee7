// The engine: loads the cached and embedded lists, refreshes the channels, probes and selects,
// runs the bridge, and keeps refreshing and failing over. Plain Node: the CLI (`porthole up`),
// the headless web UI and the Electron shell all drive this one object.
import { EventEmitter } from 'node:events';
import type { Bridge } from '../bridge/index.ts';
import { SearchDriver } from './search-driver.ts';
import { BridgeLink } from './bridge-link.ts';
import { ProbeRounds } from './probe-rounds.ts';
import { openClient, type ClientStores } from '../catalog/open.ts';
import { importInput, type ImportOptions, type ImportOutcome } from '../catalog/import.ts';
import { importServers, type ServersOutcome } from '../catalog/import-servers.ts';
import type { OutlineKeyOptions } from '../catalog/outline-key.ts';
import { loadBootstrapList } from '../catalog/bootstrap.ts';
import type { ChannelReport } from '../catalog/refresh.ts';
import { SourceRefresher } from '../catalog/refresher.ts';
import type { ProbeRun } from '../probe/index.ts';
import type { ProbeResult } from '../probe/types.ts';
import { buildCatalog, type Catalog, type CatalogServer } from '../catalog/catalog.ts';
import { Selection, type ServerStats } from '../selection/selection.ts';
import type { EngineEvents, EngineOptions, EngineState, Phase } from './engine-types.ts';
import type { Explanation } from '../selection/explain.ts';
import { UserServerStore } from '../catalog/user-servers.ts';
import { UnbridgedServers } from './unbridged.ts';
import { bindNetworkMemory, type NetworkMemoryBinding } from '../selection/network-memory-binding.ts';
import { join } from 'node:path';
import { untrustPublisher, type Untrusted } from '../catalog/untrust.ts';
import { isBridged } from '../../../shared/entry.ts';
import type { TrustedPublisher } from '../catalog/trust-store.ts';
import type { RootChain } from '../lists/roots.ts';
import { parseServerId } from '../../../shared/server-id.ts';
import { Trailing } from './trailing.ts';

export type { EngineEvents, EngineOptions, EngineState, Phase } from './engine-types.ts';

const PROBE_REFRESH_MS = 100; // see onProbe

export class Engine extends EventEmitter<EngineEvents> {
  readonly options: EngineOptions;
  stores!: ClientStores;
  users!: UserServerStore;
  /** MTProto and not-yet-spoken servers: listed and (MTProto) probed, never bridged. */
  private readonly unbridged = new UnbridgedServers(() => !this.stopped && this.emit('servers', this.catalog.servers));
  private readonly selection = new Selection();
  private readonly link: BridgeLink;
  private readonly rounds: ProbeRounds;
  private catalog: Catalog = { servers: [], lists: [], channels: [], problems: [] };
  private byId = new Map<string, CatalogServer>();
  private readonly sources: SourceRefresher;
  private readyOnce = false;
  private readonly upstreamsSoon = new Trailing(PROBE_REFRESH_MS, () => this.updateUpstreams());
  private phase: Phase = 'idle';
  private since = new Date().toISOString();
  private timers: NodeJS.Timeout[] = [];
  private stopped = false;
  private readonly search: SearchDriver;
  private opened = false;
  private memory: NetworkMemoryBinding | null = null;

  constructor(options: EngineOptions) {
    super();
    this.options = options;
    this.selection.on('change', ({ previous, current, reason }) => {
      this.updateUpstreams();
      this.emit('switch', { from: previous, to: current, reason });
      this.log('info', `using ${current ? this.label(current) : 'no server'} (${reason})`);
      this.emitState();
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
      entry: (id) => this.byId.get(id)?.entry,
      stopped: () => this.stopped,
      serving: () => this.link.info !== null,
      result: (result, tested, total) => this.onProbe(result, tested, total),
      roundStarted: () => {
        if (!this.selection.current()) this.setPhase('searching'); // a new round: visible progress
        this.emitState();
      },
      roundEnded: () => {
        if (!this.selection.current()) this.setPhase('offline');
        this.emitState();
      },
      nothingToProbe: () => {
        if (this.phase === 'searching') this.setPhase('offline');
      },
    });
    this.sources = new SourceRefresher({
      stores: () => this.stores,
      specs: () => [...(this.options.channels ?? []), ...this.catalog.channels],
      settings: options.channelSettings,
      deadlineMs: options.refreshDeadlineMs,
      everyMs: options.refreshEveryMs,
      etagFile: join(options.dataDir, 'channels.json'),
      onAccepted: (o, ch) => {
        this.log('info', `${o.message} (from ${ch})`);
        void this.onListsChanged();
      },
      onReports: (reports) => this.emit('sources', reports),
      onRefreshing: () => this.emitState(),
      log: (level, message) => this.log(level, message),
    });
    this.search = new SearchDriver({
      connected: () => this.selection.current() !== null,
      busy: () => this.rounds.busy,
      probe: (ids) => this.rounds.probe(ids.map((id) => this.byId.get(id)?.entry).filter((e): e is NonNullable<typeof e> => Boolean(e))),
      order: () => this.selection.probeOrder().map((e) => e.id),
      refreshChannels: () => this.refreshNow().then(() => undefined),
      searchAgain: (why) => this.searchAgain(why),
    }, options.search);
  }

  /** Opens the data dir and loads the lists (imports may follow before start()). */
  async open(): Promise<void> {
    if (this.opened) return;
    this.opened = true;
    this.stores = await openClient(this.options.dataDir, this.options.pinned ? { pinned: this.options.pinned } : {});
    for (const w of this.stores.warnings) this.log('warn', w);
    this.users = await new UserServerStore(this.options.dataDir).load();
    this.memory = await bindNetworkMemory(this.selection, join(this.options.dataDir, 'networks.json'), (m) => this.log('warn', m));
    if (!this.options.skipBootstrap) {
      const boot = await loadBootstrapList(this.stores);
      if (boot && boot.status === 'rejected') this.log('warn', `embedded list: ${boot.message}`);
    }
    await this.rebuild();
  }

  /** Starts the bridge, probing and refreshing. Resolves once the bridge listens. */
  async start(): Promise<void> {
    await this.open();
    await this.link.start(this.options);
    this.setPhase('searching');
    this.testAll();
    void this.refreshNow();
    this.every(this.options.reprobeEveryMs ?? 5 * 60_000, () => this.testAll());
    this.every(60_000, () => {
      this.memory?.refreshNetwork();
      void this.memory?.save();
    });
    this.sources.schedule();
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
    this.sources.stop();
    this.rounds.cancel();
    await this.memory?.save();
    await this.link.close();
    this.setPhase('idle');
  }

  // ---------------------------------------------------------------- reads

  servers(): CatalogServer[] {
    return this.catalog.servers;
  }

  server(id: string): CatalogServer | undefined {
    return this.byId.get(id);
  }

  lastResult(id: string): ProbeResult | undefined {
    return this.rounds.lastResult(id);
  }

  /** What selection knows of a server (samples, status, pinned…), or null for an unknown id. */
  serverStats(id: string): ServerStats | null {
    return this.selection.server(id);
  }

  /** The latest probe of an MTProto proxy (never bridged, probed apart). */
  mtprotoResult(id: string): ProbeResult | undefined {
    return this.unbridged.result(id);
  }

  /** The working MTProto proxy with the lowest latency, if any. */
  bestMtproto(): ProbeResult | null {
    return this.unbridged.bestMtproto();
  }

  /** The pinned server's id, or null. */
  pinned(): string | null {
    return this.selection.pinned;
  }

  /** The publishers trusted now (roots, list and code keys). */
  publishers(): TrustedPublisher[] {
    return this.stores.trust.list();
  }

  lists(): Catalog['lists'] {
    return this.catalog.lists;
  }

  channelReports(): ChannelReport[] {
    return this.sources.channelReports();
  }

  bridgeInfo(): Bridge | null {
    return this.link.info;
  }

  explain(): Explanation {
    return this.selection.explain();
  }

  /** A full probe round is running (cheaper than state(), which explains the selection). */
  get probing(): boolean {
    return this.rounds.busy;
  }

  state(): EngineState {
    const current = this.selection.current();
    const server = current ? this.byId.get(current.id) ?? null : null;
    const bridge = this.link.info;
    return {
      phase: this.phase,
      ...this.rounds.progress(),
      current: server,
      currentLatencyMs: current ? this.selection.server(current.id)?.latencyMs ?? null : null,
      reason: this.selection.explain().reason,
      bridge: bridge ? { host: bridge.host, port: bridge.port } : null,
      refreshing: this.sources.refreshing,
      since: this.since,
      retryAt: bridge && !current ? this.search.nextAttemptAt() : null,
      portConflict: this.link.portConflict,
    };
  }

  // ---------------------------------------------------------------- actions

  /** Probes every server (working ones on this network first). */
  testAll(): ProbeRun | null {
    if (this.stopped) return null;
    void this.unbridged.probe(this.catalog.servers.map((s) => s.entry), this.options.probe ?? {});
    return this.rounds.testAll();
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
  async importText(input: string | Uint8Array, options: ImportOptions = {}): Promise<ImportOutcome[]> {
    const outcomes = await importInput(this.stores, input, { users: this.users, outlineKeys: this.outlineKeyOptions(), ...options });
    if (outcomes.some((o) => o.status === 'added' || o.status === 'updated')) await this.onListsChanged();
    return outcomes;
  }

  /** Servers of one's own from any link, subscription or config; null when the text holds none. */
  async addServers(text: string): Promise<ServersOutcome | null> {
    const outcome = await importServers(this.options.dataDir, text, { users: this.users, outlineKeys: this.outlineKeyOptions() });
    if (outcome?.status === 'added') await this.onListsChanged();
    return outcome;
  }

  /** ssconf:// keys are fetched directly and, while the bridge runs, through it too. */
  private outlineKeyOptions(): OutlineKeyOptions {
    return { proxyUrl: this.link.proxyUrl(), ca: this.options.channelSettings?.ca };
  }

  async removeServer(id: string): Promise<boolean> {
    const server = this.byId.get(id);
    if (!server || server.origin !== 'user') return false;
    const own = parseServerId(server.id);
    const removed = own !== null && own.publisher === null && await this.users.remove(own.entryId);
    if (removed) await this.onListsChanged();
    return removed;
  }

  /** Trusts a key the person confirmed (the sender of a pasted code); import the code again next. */
  async trustKey(chain: RootChain, via: 'code' | 'manual'): Promise<void> {
    await this.stores.trust.add(chain, via);
  }

  /** Stops trusting a publisher: its code servers, channels and list leave the catalog now. */
  async untrust(publisher: string): Promise<Untrusted> {
    const result = await untrustPublisher(this.stores, publisher);
    await this.onListsChanged();
    return result;
  }

  /** Fetches every channel now; resolves at the refresh deadline. */
  refreshNow(): Promise<ChannelReport[]> {
    return this.sources.refreshNow();
  }

  // ---------------------------------------------------------------- internals

  private async rebuild(): Promise<void> {
    this.catalog = await buildCatalog(this.stores, this.users);
    for (const p of this.catalog.problems) this.log('warn', p);
    this.byId = new Map(this.catalog.servers.map((s) => [s.id, s]));
    // MTProto (Telegram's own) and not-yet-spoken entries are listed but never bridged, so never selected.
    this.selection.setEntries(this.catalog.servers.filter((s) => isBridged(s.entry.protocol)).map((s) => s.entry));
    this.updateUpstreams();
    this.emit('servers', this.catalog.servers);
  }

  private async onListsChanged(): Promise<void> {
    const before = new Set(this.byId.keys());
    await this.rebuild();
    const added = this.catalog.servers.filter((s) => !before.has(s.id));
    this.unbridged.forget(new Set(this.byId.keys()));
    if (!this.stopped && this.link.info) void this.unbridged.probe(added.map((s) => s.entry), this.options.probe ?? {});
    const bridged = added.filter((s) => isBridged(s.entry.protocol)).map((s) => s.id);
    if (bridged.length > 0) this.rounds.retest(bridged);
  }

  private onProbe(result: ProbeResult, tested: number, total: number): void {
    const before = this.selection.current()?.id ?? null;
    this.selection.recordProbe(result);
    // Passed: done; worked but not trusted yet (recovering, degraded): again soon; failed: backoff.
    const trusted = this.selection.statusOf(result.id) === 'ok';
    if (result.error?.kind !== 'aborted') this.search.note(result.id, result.ok ? (trusted ? true : 'confirm') : false);
    // Re-ranking every server per result was most of a round's CPU: the bridge's candidates follow at once when the
    // current server changed or was probed, for a working server before 'ready' and the last result; else per 100 ms.
    const now = this.selection.current()?.id ?? null;
    if (now !== before || result.id === now || (result.ok && !this.readyOnce) || tested === total) this.upstreamsSoon.now();
    else this.upstreamsSoon.soon();
    this.emit('progress', { tested, total, result });
    if (!result.ok) this.emit('failure', { server: result.id, kind: result.error?.kind ?? 'other', message: result.error?.message ?? 'failed' });
  }

  /** The bridge's candidates (see bridge-link.ts), and the phase and 'ready' that follow from them. */
  private updateUpstreams(): void {
    const count = this.link.refresh();
    const current = this.selection.current();
    const bridge = this.link.info;
    if (count > 0 && current) {
      this.setPhase('connected');
      if (!this.readyOnce && bridge) {
        this.readyOnce = true;
        const server = this.byId.get(current.id)!;
        const addr = `${bridge.host}:${bridge.port}`;
        this.emit('ready', { socks: addr, http: addr, server, port: current.port, latencyMs: this.selection.server(current.id)?.latencyMs ?? null });
      }
    } else if (this.phase === 'connected') {
      this.setPhase(this.rounds.busy ? 'searching' : 'offline');
    }
  }

  private every(ms: number, fn: () => void): void {
    const t = setInterval(fn, ms);
    t.unref();
    this.timers.push(t);
  }

  private requireServer(id: string): string {
    if (!this.byId.has(id)) throw new Error(`unknown server ${id}`);
    return id;
  }

  private label(id: string): string {
    const s = this.byId.get(id);
    return s?.entry.label ?? s?.entry.host ?? id;
  }

  private setPhase(phase: Phase): void {
    if (this.phase === phase) return;
    this.phase = phase;
    this.since = new Date().toISOString();
    this.emitState();
  }

  private emitState(): void {
    this.emit('state', this.state());
  }

  log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void {
    this.emit('log', { level, message });
  }
}
