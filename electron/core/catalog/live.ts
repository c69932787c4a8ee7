// The catalog of a running client: opens the data dir once (trust, state, held lists, the user's
// own servers, the embedded list), builds the server set, and builds it again after each change —
// a paste, a server link, a removed server, an untrusted publisher, a list from a channel — while
// the refresher keeps the channels fresh. Each new set goes straight to its sink (the selection,
// wired once when the engine is built); then the host hears of it and of the servers it added.
import type { Entry } from '../../../shared/entry.ts';
import { parseServerId } from '../../../shared/server-id.ts';
import type { ChannelSettings } from '../channels/index.ts';
import type { RootChain } from '../lists/roots.ts';
import { loadBootstrapList } from './bootstrap.ts';
import { buildCatalog, type Catalog, type CatalogServer } from './catalog.ts';
import { importServers, type ServersOutcome } from './import-servers.ts';
import { importInput, type ImportOptions, type ImportOutcome } from './import.ts';
import { openClient, type ClientStores } from './open.ts';
import type { OutlineKeyOptions } from './outline-key.ts';
import type { ChannelReport } from './refresh.ts';
import { SourceRefresher } from './refresher.ts';
import type { TrustedPublisher } from './trust-store.ts';
import { untrustPublisher, type Untrusted } from './untrust.ts';
import { UserServerStore } from './user-servers.ts';
import { join } from 'node:path';

export interface LiveCatalogOptions {
  dataDir: string;
  /** Trusted publishers to use instead of build/bootstrap (tests, demo). */
  pinned?: RootChain[];
  /** Skip the embedded bootstrap list (tests). */
  skipBootstrap?: boolean;
  /** Channels given on the command line, fetched with the ones the lists name. */
  channels?: string[];
  channelSettings?: Partial<ChannelSettings>;
  refreshDeadlineMs?: number;
  /** Background refresh period; it backs off while channels fail (default 30 min). */
  refreshEveryMs?: number;
}

/**
 * Where each new server set is published, before the host hears of it: the selection (it keeps
 * only the servers the bridge carries). The data goes from here to there with no one in between.
 */
export interface ServerSetSink {
  setEntries(entries: readonly Entry[]): void;
}

export interface LiveCatalogHost {
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void;
  /** A new server set, already in the sink (servers() returns it); `added`: its servers the set before did not have. */
  changed(added: CatalogServer[]): void;
  /** Each channel's latest report, after a refresh. */
  reports(reports: ChannelReport[]): void;
  /** A refresh started or ended (see `refreshing`). */
  refreshingChanged(): void;
  /** The proxy ssconf:// keys are also fetched through (the bridge, while it runs). */
  proxyUrl(): string | undefined;
}

export class LiveCatalog {
  private readonly options: LiveCatalogOptions;
  private readonly host: LiveCatalogHost;
  private readonly sink: ServerSetSink;
  private stores!: ClientStores;
  private users!: UserServerStore;
  private catalog: Catalog = { servers: [], lists: [], channels: [], problems: [] };
  private byId = new Map<string, CatalogServer>();
  private readonly sources: SourceRefresher;

  constructor(options: LiveCatalogOptions, host: LiveCatalogHost, sink: ServerSetSink) {
    this.options = options;
    this.host = host;
    this.sink = sink;
    this.sources = new SourceRefresher({
      stores: () => this.stores,
      specs: () => [...(this.options.channels ?? []), ...this.catalog.channels],
      settings: options.channelSettings,
      deadlineMs: options.refreshDeadlineMs,
      everyMs: options.refreshEveryMs,
      etagFile: join(options.dataDir, 'channels.json'),
      onAccepted: (o, ch) => {
        this.host.log('info', `${o.message} (from ${ch})`);
        void this.rebuild();
      },
      onReports: (reports) => this.host.reports(reports),
      onRefreshing: () => this.host.refreshingChanged(),
      log: (level, message) => this.host.log(level, message),
    });
  }

  /** Opens the data dir: stores, the user's servers, the embedded list (the set is built by rebuild()). */
  async open(): Promise<void> {
    this.stores = await openClient(this.options.dataDir, this.options.pinned ? { pinned: this.options.pinned } : {});
    for (const w of this.stores.warnings) this.host.log('warn', w);
    this.users = await new UserServerStore(this.options.dataDir).load();
    if (!this.options.skipBootstrap) {
      const boot = await loadBootstrapList(this.stores);
      if (boot && boot.status === 'rejected') this.host.log('warn', `embedded list: ${boot.message}`);
    }
  }

  /** Builds the server set from what is held now, publishes it to the sink, and tells the host. */
  async rebuild(): Promise<void> {
    const before = new Set(this.byId.keys());
    this.catalog = await buildCatalog(this.stores, this.users);
    for (const p of this.catalog.problems) this.host.log('warn', p);
    this.byId = new Map(this.catalog.servers.map((s) => [s.id, s]));
    this.sink.setEntries(this.catalog.servers.map((s) => s.entry));
    this.host.changed(this.catalog.servers.filter((s) => !before.has(s.id)));
  }

  // ---------------------------------------------------------------- reads

  servers(): CatalogServer[] {
    return this.catalog.servers;
  }

  server(id: string): CatalogServer | undefined {
    return this.byId.get(id);
  }

  lists(): Catalog['lists'] {
    return this.catalog.lists;
  }

  /** The publishers trusted now (roots, list and code keys). */
  publishers(): TrustedPublisher[] {
    return this.stores.trust.list();
  }

  channelReports(): ChannelReport[] {
    return this.sources.channelReports();
  }

  /** A refresh of the channels is running. */
  get refreshing(): boolean {
    return this.sources.refreshing;
  }

  // ---------------------------------------------------------------- changes

  /** Verifies and stores a paste (code, armored block, list). */
  async importText(input: string | Uint8Array, options: ImportOptions = {}): Promise<ImportOutcome[]> {
    const outcomes = await importInput(this.stores, input, { users: this.users, outlineKeys: this.outlineKeyOptions(), ...options });
    if (outcomes.some((o) => o.status === 'added' || o.status === 'updated')) await this.rebuild();
    return outcomes;
  }

  /** Servers of one's own from any link, subscription or config; null when the text holds none. */
  async addServers(text: string): Promise<ServersOutcome | null> {
    const outcome = await importServers(this.options.dataDir, text, { users: this.users, outlineKeys: this.outlineKeyOptions() });
    if (outcome?.status === 'added') await this.rebuild();
    return outcome;
  }

  /** ssconf:// keys are fetched directly and, while the bridge runs, through it too. */
  private outlineKeyOptions(): OutlineKeyOptions {
    return { proxyUrl: this.host.proxyUrl(), ca: this.options.channelSettings?.ca };
  }

  /** Removes one of the user's own servers; false for any other (or unknown) id. */
  async removeServer(id: string): Promise<boolean> {
    const server = this.byId.get(id);
    if (!server || server.origin !== 'user') return false;
    const own = parseServerId(server.id);
    const removed = own !== null && own.publisher === null && await this.users.remove(own.entryId);
    if (removed) await this.rebuild();
    return removed;
  }

  /** Trusts a key the person confirmed (the sender of a pasted code); import the code again next. */
  async trustKey(chain: RootChain, via: 'code' | 'manual'): Promise<void> {
    await this.stores.trust.add(chain, via);
  }

  /** Stops trusting a publisher: its code servers, channels and list leave the set now. */
  async untrust(publisher: string): Promise<Untrusted> {
    const result = await untrustPublisher(this.stores, publisher);
    await this.rebuild();
    return result;
  }

  // ---------------------------------------------------------------- channels

  /** Fetches every channel now; resolves at the refresh deadline. */
  refreshNow(): Promise<ChannelReport[]> {
    return this.sources.refreshNow();
  }

  /** Refreshes in the background from now on. */
  schedule(): void {
    this.sources.schedule();
  }

  stop(): void {
    this.sources.stop();
  }
}
