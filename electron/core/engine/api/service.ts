// The Api contract (shared/api.ts) served by the core engine: one object for the Electron shell
// and for `porthole up --ui`. The core Engine runs while connected; between connections the
// data dir stays open here (core-slot.ts), so imports, sources and settings work offline too.
import { PortholeError, isPortholeError } from '../../../../shared/errors.ts';
import { type ApiEvent, type ImportOutcome as UiImportOutcome, type LogEntry, type Publisher, type Settings, type SettingsPatch, type Sources, type State } from '../../../../shared/api.ts';
import type { ApiBackend, EngineHost } from '../../../../shared/api-backend.ts';
import { looksImportable } from '../../../../shared/sniff.ts';
import { batchLinks, codeLinks, shareBatch, shareCode } from './share.ts';
import type { ImportOutcome } from '../../catalog/import.ts';
import { openApp } from './apps.ts';
import { Engine as CoreEngine, type EngineOptions } from '../engine.ts';
import { publisherFromFingerprint, serverView, stateView } from './views.ts';
import { ApiEvents } from './events.ts';
import { CoreSlot } from './core-slot.ts';
import { PendingTrust, sourcesView } from './sources.ts';
import { Desktop, type DesktopHost } from './desktop.ts';
import { personalKey } from '../personal-key.ts';
import { serversOutcome, uiImportOutcome } from './import-outcome.ts';
import { SettingsStore } from '../settings-store.ts';
import { keepChosenPort, portForSettings } from './port.ts';

export interface ApiServiceOptions extends Omit<EngineOptions, 'dataDir'> {
  /** Connect as soon as start() is called (headless `up --ui`). */
  autoConnect?: boolean;
  /** Called with each core engine made (the CLI follows its events). */
  onCore?: (core: CoreEngine) => void;
  /** This computer's browsers and system proxy (default: the real ones). */
  desktop?: DesktopHost;
}

export class ApiService implements ApiBackend {
  private readonly host: EngineHost;
  private readonly options: ApiServiceOptions;
  private readonly slot = new CoreSlot(() => this.newCore());
  private settings!: SettingsStore;
  private readonly events = new ApiEvents();
  private readonly pendingTrust = new PendingTrust();
  private readonly desktop: Desktop;
  private readonly since = new Date().toISOString();

  constructor(host: EngineHost, options: ApiServiceOptions = {}) {
    this.host = host;
    this.options = options;
    this.desktop = new Desktop(host.dataDir, options.desktop);
  }

  // ---------------------------------------------------------------- lifecycle

  async start(): Promise<void> {
    this.settings = await new SettingsStore(this.host.dataDir, this.host.secrets).load();
    if (this.settings.warning) this.events.log('warn', this.settings.warning);
    await this.desktop.start((message) => this.events.log('warn', message));
    if (this.options.autoConnect) await this.connect({});
  }

  async stop(): Promise<void> {
    if (this.desktop.systemProxyOn) await this.setSystemProxy(false).catch(() => undefined);
    await this.slot.stop();
  }

  /** The core engine (running, or open while disconnected; null before use), for the CLI. */
  get running(): CoreEngine | null {
    return this.slot.current;
  }

  isImportable(text: string): boolean {
    return looksImportable(text);
  }

  subscribe(listener: (event: ApiEvent) => void): () => void {
    return this.events.subscribe(listener);
  }

  // ---------------------------------------------------------------- reads

  async getState(): Promise<State> {
    return this.stateNow();
  }

  async listServers() {
    const core = await this.slot.open();
    return core.servers().map((s) => serverView(core, s));
  }

  async getSources(): Promise<Sources> {
    return sourcesView(await this.slot.open());
  }

  async getSettings(): Promise<Settings> {
    return this.settings.get();
  }

  async getLog(req: { limit?: number } = {}): Promise<LogEntry[]> {
    return this.events.recent(req.limit ?? 200);
  }

  // ---------------------------------------------------------------- connection

  /** Connects (Settings then show the port kept); while running, "Try again": a whole new search with progress. */
  async connect(req: { serverId?: string } = {}): Promise<State> {
    const running = this.slot.running;
    if (!running) {
      await this.slot.stop();
      const core = await this.slot.open();
      await core.start();
      const port = portForSettings(core, Boolean(this.options.listen), this.settings.get().port);
      if (port !== null) this.events.emit({ type: 'settings', settings: await this.settings.update({ port }) });
    } else if (!req.serverId) {
      running.searchAgain('Try again was pressed');
    }
    if (req.serverId) this.pickOrThrow(req.serverId);
    return this.stateNow();
  }

  async disconnect(): Promise<State> {
    if (this.desktop.systemProxyOn) await this.setSystemProxy(false);
    await this.slot.stop();
    const state = this.stateNow();
    this.events.emit({ type: 'state', state });
    return state;
  }

  async testAll() {
    const core = this.slot.requireRunning();
    const run = core.testAll();
    return { tested: 0, total: run?.total ?? 0, running: run !== null };
  }

  async pick(req: { id: string }): Promise<State> {
    this.pickOrThrow(req.id);
    return this.stateNow();
  }

  async pin(req: { id: string }) {
    const core = this.slot.requireRunning();
    if (!core.server(req.id)) throw new PortholeError('not-found', 'no such server');
    core.pin(req.id);
    return serverView(core, core.server(req.id)!);
  }

  async unpin(req: { id: string }) {
    const core = this.slot.requireRunning();
    const server = core.server(req.id);
    if (!server) throw new PortholeError('not-found', 'no such server');
    if (core.pinned() === req.id) core.unpin();
    return serverView(core, server);
  }

  // ---------------------------------------------------------------- servers and sharing

  async addServerByLink(req: { link: string }): Promise<UiImportOutcome> {
    const core = await this.slot.open();
    const outcome = await core.addServers(req.link);
    if (!outcome) return { kind: 'invalid', message: 'this is not a server link, subscription or config Porthole reads (vless://, vmess://, trojan://, ss://, socks5://, http://, tg://proxy, Clash or sing-box)' };
    if (outcome.status === 'added') this.events.servers(core);
    return serversOutcome(outcome);
  }

  async removeServer(req: { id: string }) {
    const core = await this.slot.open();
    const removed = await core.removeServer(req.id);
    if (removed) this.events.servers(core);
    return { removed };
  }

  async shareServers(req: { ids: string[] }) {
    const core = await this.slot.open();
    const links = codeLinks(req.ids.map((id) => core.server(id)));
    return shareCode(await personalKey(this.host.dataDir), links);
  }

  async shareBatch(req: { ids: string[]; count: number; perCode: number; short?: boolean }) {
    const core = await this.slot.open();
    const links = batchLinks(req.ids.map((id) => core.server(id)));
    try {
      return shareBatch(await personalKey(this.host.dataDir), links, req);
    } catch (err) {
      if (isPortholeError(err, 'bad-batch')) throw new PortholeError('bad-request', err.message);
      throw err;
    }
  }

  async importText(req: { text: string }): Promise<UiImportOutcome> {
    return this.importWith(req.text, false);
  }

  /** The CLI's import: the core outcomes, one per list or code found. */
  async importRaw(input: string | Uint8Array, acceptNewKey: boolean): Promise<ImportOutcome[]> {
    const core = await this.slot.open();
    const outcomes = await core.importText(input, { acceptNewKey });
    if (outcomes.some((o) => o.status === 'added' || o.status === 'updated')) this.events.servers(core);
    return outcomes;
  }

  // ---------------------------------------------------------------- trust and sources

  /** Trusts the sender of a code the person pasted and confirmed (its words); import it again next. */
  async trustPublisher(req: { fingerprint: string }): Promise<Publisher> {
    const chain = this.pendingTrust.chain(req.fingerprint);
    const core = await this.slot.open();
    await core.trustKey(chain, 'code');
    this.pendingTrust.done(req.fingerprint);
    const sources = await this.getSources();
    this.events.emit({ type: 'sources', sources });
    const p = sources.publishers.find((x) => x.fingerprint === req.fingerprint);
    if (!p) throw new PortholeError('internal', 'publisher missing after trust');
    return p;
  }

  async untrust(req: { fingerprint: string }) {
    const core = await this.slot.open();
    const id = publisherFromFingerprint(req.fingerprint, core.publishers().map((p) => p.publisher));
    if (!id) return { removed: false };
    try {
      await core.untrust(id);
    } catch (err) {
      throw new PortholeError('bad-request', (err as Error).message);
    }
    this.events.emit({ type: 'sources', sources: await this.getSources() });
    return { removed: true };
  }

  async refreshSources() {
    const core = await this.slot.open();
    await core.refreshNow();
    return this.getSources();
  }

  // ---------------------------------------------------------------- apps and settings

  async openBrowser(req: { browser: 'firefox' | 'chrome' | 'telegram' }) {
    return openApp(this.slot.current, req.browser, { host: this.desktop.host, dataDir: this.host.dataDir, testUrl: this.settings.get().testUrl, log: (l, m) => this.events.log(l, m) });
  }

  async setSettings(patch: SettingsPatch = {}): Promise<Settings> {
    let next: Settings;
    try {
      next = await this.settings.update(patch);
    } catch (err) {
      throw new PortholeError('bad-request', (err as Error).message.slice(0, 500));
    }
    if (patch.systemProxy !== undefined && patch.systemProxy !== this.desktop.systemProxyOn) await this.setSystemProxy(patch.systemProxy);
    // A port chosen by hand is the one kept from now on; a running bridge moves to it.
    if (patch.port !== undefined && !this.options.listen) {
      await keepChosenPort(this.host.dataDir, next.port, this.slot.current, async () => {
        await this.disconnect();
        await this.connect({});
      });
    }
    this.events.emit({ type: 'settings', settings: next });
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
    this.events.follow(core, { state: () => this.stateNow(), sources: () => this.getSources() });
    this.options.onCore?.(core);
    return core;
  }

  private pickOrThrow(id: string): void {
    const core = this.slot.requireRunning();
    if (!core.server(id)) throw new PortholeError('not-found', 'no such server');
    core.pick(id);
  }

  private async importWith(text: string, acceptNewKey: boolean): Promise<UiImportOutcome> {
    const core = await this.slot.open();
    const outcomes = await core.importText(text, { acceptNewKey });
    if (outcomes.some((o) => o.status === 'added' || o.status === 'updated')) this.events.servers(core);
    const ui = uiImportOutcome(outcomes, text);
    if (ui.kind === 'needs-trust') this.pendingTrust.note(ui.publisher.fingerprint, text);
    return ui;
  }

  private async setSystemProxy(on: boolean): Promise<void> {
    await this.desktop.setSystemProxy(on ? this.slot.requireRunning().bridgeInfo()!.port : null);
  }

  private stateNow(): State {
    const s = this.settings?.get();
    const running = this.slot.running;
    const bridge = running?.bridgeInfo();
    const lan = s?.lanSharing && bridge ? { socks: { host: bridge.host, port: bridge.port }, http: { host: bridge.host, port: bridge.port } } : null;
    return stateView(running, { systemProxy: this.desktop.systemProxyOn, browsers: this.desktop.browsers, lan, since: this.since });
  }
}
