// The Api contract (shared/api.ts) served by the core engine: one object for the Electron shell
// and for `porthole up --ui`. The core Engine runs while connected; between connections the
// data dir stays open here, so imports, sources and settings work offline too.
import { ApiError, type ApiEvent, type ImportOutcome as UiImportOutcome, type LogEntry, type Publisher, type Settings, type SettingsPatch, type State } from '../../../../shared/api.ts';
import type { ApiBackend, EngineHost } from '../../../../shared/api-backend.ts';
import { findCode } from '../../../../shared/code-format.ts';
import { extractArmored } from '../../../../shared/armor.ts';
import { BatchError } from '../../codes/batch.ts';
import { shareBatch, shareCode } from './share.ts';
import { codable } from '../../../../shared/code-servers.ts';
import { bareKeyChain } from '../../lists/roots.ts';
import type { ImportOutcome } from '../../catalog/import.ts';
import { detectBrowsers } from '../../browsers/detect.ts';
import { openApp } from './apps.ts';
import { realHost } from '../../browsers/real-host.ts';
import { createSystemProxy } from '../../browsers/system-proxy/index.ts';
import { Engine as CoreEngine, type EngineOptions } from '../engine.ts';
import { channelView, failureKind, publisherFingerprint, publisherFromFingerprint, publisherView, serverView, stateView } from './views.ts';
import { personalKey } from '../personal-key.ts';
import { serversOutcome, uiImportOutcome } from './import-outcome.ts';
import { SettingsStore } from '../settings-store.ts';
import { keepChosenPort, portForSettings } from './port.ts';

export interface ApiServiceOptions extends Omit<EngineOptions, 'dataDir'> {
  /** Connect as soon as start() is called (headless `up --ui`). */
  autoConnect?: boolean;
  /** Called with each core engine made (the CLI follows its events). */
  onCore?: (core: CoreEngine) => void;
}

const LOG_MAX = 500;

export class ApiService implements ApiBackend {
  private readonly host: EngineHost;
  private readonly options: ApiServiceOptions;
  private core: CoreEngine | null = null;
  private settings!: SettingsStore;
  private readonly listeners = new Set<(e: ApiEvent) => void>();
  private readonly log: LogEntry[] = [];
  private readonly pendingTrust = new Map<string, string>();
  private browsers: State['browsers'] = { firefox: false, chrome: false, telegram: false };
  private systemProxyOn = false;
  private readonly since = new Date().toISOString();

  constructor(host: EngineHost, options: ApiServiceOptions = {}) {
    this.host = host;
    this.options = options;
  }

  // ---------------------------------------------------------------- lifecycle

  async start(): Promise<void> {
    this.settings = await new SettingsStore(this.host.dataDir, this.host.secrets).load();
    if (this.settings.warning) this.addLog('warn', this.settings.warning);
    const host = realHost(process.env);
    const found = await detectBrowsers(host).catch(() => []);
    this.browsers = { firefox: found.some((b) => b.family === 'firefox'), chrome: found.some((b) => b.family === 'chromium'), telegram: true };
    await createSystemProxy({ dataDir: this.host.dataDir, host }).repairOnStartup().catch((err: Error) => this.addLog('warn', `system proxy repair: ${err.message}`));
    if (this.options.autoConnect) await this.connect({});
  }

  async stop(): Promise<void> {
    if (this.systemProxyOn) await this.setSystemProxy(false).catch(() => undefined);
    await this.core?.stop();
    this.core = null;
    this.coreOpen = null;
  }

  /** The running core engine (null while disconnected), for the CLI. */
  get running(): CoreEngine | null {
    return this.core;
  }

  isImportable(text: string): boolean {
    if (text.length > 64 * 1024) return false;
    try {
      if (findCode(text)) return true;
    } catch {
      return true; // a damaged code is still worth offering: the outcome says it is damaged
    }
    return extractArmored(text).length > 0;
  }

  subscribe(listener: (event: ApiEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---------------------------------------------------------------- reads

  async getState(): Promise<State> {
    return this.stateNow();
  }

  async listServers() {
    const core = await this.openCore();
    return core.servers().map((s) => serverView(core, s));
  }

  async getSources() {
    const core = await this.openCore();
    const lists = core.lists();
    const names = new Map(lists.map((l) => [l.publisher, l.payload.name ?? l.publisher]));
    const counts = new Map<string, number>();
    for (const s of core.servers()) if (s.publisher) counts.set(s.publisher, (counts.get(s.publisher) ?? 0) + 1);
    const publishers: Publisher[] = core.publishers().map((p) => publisherView(p, lists.find((l) => l.publisher === p.publisher), counts.get(p.publisher) ?? 0));
    return { channels: core.channelReports().map((r) => channelView(r, names)), publishers, refreshing: core.state().refreshing };
  }

  async getSettings(): Promise<Settings> {
    return this.settings.get();
  }

  async getLog(req: { limit?: number } = {}): Promise<LogEntry[]> {
    return this.log.slice(-(req.limit ?? 200));
  }

  // ---------------------------------------------------------------- connection

  /** Connects (Settings then show the port kept); while running, "Try again": a whole new search with progress. */
  async connect(req: { serverId?: string } = {}): Promise<State> {
    if (!this.core || !this.core.bridgeInfo()) {
      await this.core?.stop();
      this.core = null;
      this.coreOpen = null;
      const core = await this.openCore();
      await core.start();
      const port = portForSettings(core, Boolean(this.options.listen), this.settings.get().port);
      if (port !== null) this.emit({ type: 'settings', settings: await this.settings.update({ port }) });
    } else if (!req.serverId) {
      this.core.searchAgain('Try again was pressed');
    }
    if (req.serverId) this.pickOrThrow(req.serverId);
    return this.stateNow();
  }

  async disconnect(): Promise<State> {
    if (this.systemProxyOn) await this.setSystemProxy(false);
    await this.core?.stop();
    this.core = null;
    this.coreOpen = null;
    const state = this.stateNow();
    this.emit({ type: 'state', state });
    return state;
  }

  async testAll() {
    const core = this.requireRunning();
    const run = core.testAll();
    return { tested: 0, total: run?.total ?? 0, running: run !== null };
  }

  async pick(req: { id: string }): Promise<State> {
    this.pickOrThrow(req.id);
    return this.stateNow();
  }

  async pin(req: { id: string }) {
    const core = this.requireRunning();
    if (!core.server(req.id)) throw new ApiError('not-found', 'no such server');
    core.pin(req.id);
    return serverView(core, core.server(req.id)!);
  }

  async unpin(req: { id: string }) {
    const core = this.requireRunning();
    const server = core.server(req.id);
    if (!server) throw new ApiError('not-found', 'no such server');
    if (core.pinned() === req.id) core.unpin();
    return serverView(core, server);
  }

  // ---------------------------------------------------------------- servers and sharing

  async addServerByLink(req: { link: string }): Promise<UiImportOutcome> {
    const core = await this.openCore();
    const outcome = await core.addServers(req.link);
    if (!outcome) return { kind: 'invalid', message: 'this is not a server link, subscription or config Porthole reads (vless://, vmess://, trojan://, ss://, socks5://, http://, tg://proxy, Clash or sing-box)' };
    if (outcome.status === 'added') this.emitServers(core);
    return serversOutcome(outcome);
  }

  async removeServer(req: { id: string }) {
    const core = await this.openCore();
    const removed = await core.removeServer(req.id);
    if (removed) this.emitServers(core);
    return { removed };
  }

  async shareServers(req: { ids: string[] }) {
    const core = await this.openCore();
    const servers = req.ids.map((id) => core.server(id));
    if (servers.some((s) => !s)) throw new ApiError('not-found', 'no such server');
    if (servers.length > 8) throw new ApiError('bad-request', 'a code carries at most 8 servers');
    const uncodable = servers.find((s) => !codable(s!.entry));
    if (uncodable) throw new ApiError('bad-request', `${uncodable.entry.label ?? uncodable.entry.host} cannot go into a code (${uncodable.entry.protocol === 'unsupported' ? 'Porthole does not speak its protocol yet' : 'its TLS settings do not fit'}): share it as a link`);
    const links = servers.map((s) => {
      const { id: _id, ...link } = s!.entry;
      return link;
    });
    return shareCode(await personalKey(this.host.dataDir), links);
  }

  async shareBatch(req: { ids: string[]; count: number; perCode: number; short?: boolean }) {
    const core = await this.openCore();
    const servers = req.ids.map((id) => core.server(id));
    if (servers.some((s) => !s)) throw new ApiError('not-found', 'no such server');
    const links = servers.filter((s) => codable(s!.entry)).map((s) => {
      const { id: _id, ...link } = s!.entry;
      return link;
    });
    try {
      return shareBatch(await personalKey(this.host.dataDir), links, req);
    } catch (err) {
      if (err instanceof BatchError) throw new ApiError('bad-request', err.message);
      throw err;
    }
  }

  async importText(req: { text: string }): Promise<UiImportOutcome> {
    return this.importWith(req.text, false);
  }

  /** The CLI's import: the core outcomes, one per list or code found. */
  async importRaw(input: string | Uint8Array, acceptNewKey: boolean): Promise<ImportOutcome[]> {
    const core = await this.openCore();
    const outcomes = await core.importText(input, { acceptNewKey });
    if (outcomes.some((o) => o.status === 'added' || o.status === 'updated')) this.emitServers(core);
    return outcomes;
  }

  // ---------------------------------------------------------------- trust and sources

  /** Trusts the sender of a code the person pasted and confirmed (its words); import it again next. */
  async trustPublisher(req: { fingerprint: string }): Promise<Publisher> {
    const pending = this.pendingTrust.get(req.fingerprint);
    if (!pending) throw new ApiError('not-found', 'nothing waits for this publisher: paste the code again');
    let key: string | undefined;
    try {
      key = findCode(pending)?.content.publicKey;
    } catch {
      key = undefined;
    }
    if (!key) throw new ApiError('bad-request', 'the code no longer carries a key');
    const chain = bareKeyChain(key);
    if (publisherFingerprint(chain.publisher) !== req.fingerprint) throw new ApiError('bad-request', 'the fingerprint does not match the code');
    const core = await this.openCore();
    await core.trustKey(chain, 'code');
    this.pendingTrust.delete(req.fingerprint);
    const sources = await this.getSources();
    this.emit({ type: 'sources', sources });
    const p = sources.publishers.find((x) => x.fingerprint === req.fingerprint);
    if (!p) throw new ApiError('internal', 'publisher missing after trust');
    return p;
  }

  async untrust(req: { fingerprint: string }) {
    const core = await this.openCore();
    const id = publisherFromFingerprint(req.fingerprint, core.publishers().map((p) => p.publisher));
    if (!id) return { removed: false };
    try {
      await core.untrust(id);
    } catch (err) {
      throw new ApiError('bad-request', (err as Error).message);
    }
    this.emit({ type: 'sources', sources: await this.getSources() });
    return { removed: true };
  }

  async refreshSources() {
    const core = await this.openCore();
    await core.refreshNow();
    return this.getSources();
  }

  // ---------------------------------------------------------------- apps and settings

  async openBrowser(req: { browser: 'firefox' | 'chrome' | 'telegram' }) {
    return openApp(this.core, req.browser, { dataDir: this.host.dataDir, testUrl: this.settings.get().testUrl, log: (l, m) => this.addLog(l, m) });
  }

  async setSettings(patch: SettingsPatch = {}): Promise<Settings> {
    let next: Settings;
    try {
      next = await this.settings.update(patch);
    } catch (err) {
      throw new ApiError('bad-request', (err as Error).message.slice(0, 500));
    }
    if (patch.systemProxy !== undefined && patch.systemProxy !== this.systemProxyOn) await this.setSystemProxy(patch.systemProxy);
    // A port chosen by hand is the one kept from now on; a running bridge moves to it.
    if (patch.port !== undefined && !this.options.listen) {
      await keepChosenPort(this.host.dataDir, next.port, this.core, async () => {
        await this.disconnect();
        await this.connect({});
      });
    }
    this.emit({ type: 'settings', settings: next });
    return next;
  }

  // ---------------------------------------------------------------- internals

  private newCore(): CoreEngine {
    const s = this.settings.get();
    const core = new CoreEngine({
      ...this.options,
      dataDir: this.host.dataDir,
      listen: this.options.listen ?? { host: s.lanSharing ? '0.0.0.0' : '127.0.0.1', port: s.port, remember: true },
      ...(s.lanSharing ? { share: { username: s.lanUsername, password: s.lanPassword } } : {}),
    });
    core.on('state', () => this.emit({ type: 'state', state: this.stateNow() }));
    core.on('progress', ({ tested, total, result }) => {
      this.emit({ type: 'progress', progress: { tested, total, running: tested < total } });
      const server = core.server(result.id);
      if (server) this.emit({ type: 'server', server: serverView(core, server) });
    });
    core.on('servers', () => this.emitServers(core));
    core.on('sources', () => void this.getSources().then((sources) => this.emit({ type: 'sources', sources })));
    core.on('log', ({ level, message }) => this.addLog(level, message));
    core.on('failure', (f) => this.addLog('debug', `${f.server}: ${failureKind(f.kind)} — ${f.message}`));
    this.options.onCore?.(core);
    this.core = core;
    this.coreOpen = null;
    return core;
  }

  private coreOpen: Promise<CoreEngine> | null = null;

  /**
   * The current core engine, opened (its data dir loaded); while disconnected, one that is open
   * but not running, for lists, sources and imports. Concurrent callers share one opening.
   */
  private openCore(): Promise<CoreEngine> {
    if (!this.coreOpen) {
      const core = this.core ?? this.newCore();
      this.coreOpen = core.open().then(() => core);
      this.coreOpen.catch(() => (this.coreOpen = null));
    }
    return this.coreOpen;
  }

  private requireRunning(): CoreEngine {
    if (!this.core || !this.core.bridgeInfo()) throw new ApiError('unavailable', 'not connected: press Connect first');
    return this.core;
  }

  private pickOrThrow(id: string): void {
    const core = this.requireRunning();
    if (!core.server(id)) throw new ApiError('not-found', 'no such server');
    core.pick(id);
  }

  private async importWith(text: string, acceptNewKey: boolean): Promise<UiImportOutcome> {
    const core = await this.openCore();
    const outcomes = await core.importText(text, { acceptNewKey });
    if (outcomes.some((o) => o.status === 'added' || o.status === 'updated')) this.emitServers(core);
    const ui = uiImportOutcome(outcomes, text);
    if (ui.kind === 'needs-trust') this.pendingTrust.set(ui.publisher.fingerprint, text);
    return ui;
  }

  private async setSystemProxy(on: boolean): Promise<void> {
    const sp = createSystemProxy({ dataDir: this.host.dataDir, host: realHost(process.env) });
    if (on) {
      const bridge = this.requireRunning().bridgeInfo()!;
      await sp.on(bridge.port);
    } else {
      await sp.off();
    }
    this.systemProxyOn = on;
  }

  private stateNow(): State {
    const s = this.settings?.get();
    const bridge = this.core?.bridgeInfo();
    const lan = s?.lanSharing && bridge ? { socks: { host: bridge.host, port: bridge.port }, http: { host: bridge.host, port: bridge.port } } : null;
    return stateView(this.core?.bridgeInfo() ? this.core : null, { systemProxy: this.systemProxyOn, browsers: this.browsers, lan, since: this.since });
  }

  private emitServers(core: CoreEngine): void {
    this.emit({ type: 'servers', servers: core.servers().map((s) => serverView(core, s)) });
  }

  private addLog(level: LogEntry['level'], message: string): void {
    const entry: LogEntry = { at: new Date().toISOString(), level, message: message.slice(0, 2000) };
    this.log.push(entry);
    if (this.log.length > LOG_MAX) this.log.splice(0, this.log.length - LOG_MAX);
    this.emit({ type: 'log', entry });
  }

  private emit(event: ApiEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // a broken listener must not stop the others
      }
    }
  }
}
