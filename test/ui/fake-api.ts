// An in-memory Api for component tests and the headless-web e2e tests: plausible behaviour, no
// network, deterministic data, plus controls (setState, emit, failNext, calls) for tests.
import { PortholeError, failure } from '../../shared/errors.ts';
import QRCode from 'qrcode';
import { type ApiError } from '../../shared/api.ts';
import type {
  OpenBrowserResult,
  Api, ApiEvent, ImportOutcome, LogEntry, Progress, Publisher, Server, Settings, SettingsPatch, Sources, State,
} from '../../shared/api.ts';
import { SettingsSchema } from '../../shared/api.ts';
import { PUBLISHER_KZ, PUBLISHER_NEW, PUBLISHER_RU, idleState, sampleChannels, sampleServers, sampleSettings, T0 } from './fake-data.ts';

/** Codes the fake understands; a whole message containing one works too. */
export const FAKE_CODES = {
  good: 'PH1-7QRT-M2XD-K4ZA',
  untrusted: 'PH1-NEW1-GULN-ARA1',
  expired: 'PH1-OLD0-2024-JAN1',
} as const;

export interface FakeApiOptions {
  /** Delay between two probe results; 0 probes on the next tick. */
  probeStepMs?: number;
  /** Every probe fails: connect ends offline. */
  nothingWorks?: boolean;
}

type Listener = (event: ApiEvent) => void;

export class FakeApi implements Api {
  state: State = idleState();
  servers: Server[] = sampleServers();
  sources: Sources = { channels: sampleChannels(), publishers: [PUBLISHER_KZ, PUBLISHER_RU], refreshing: false };
  settings: Settings = sampleSettings();
  log: LogEntry[] = [{ at: T0, level: 'info', message: 'fake engine started' }];
  /** Share codes as long as real ones (with SMS count and the short form): for layout tests. */
  realisticShare = false;
  /** Every call made, in order, for assertions. */
  readonly calls: Array<{ method: string; request: unknown }> = [];
  readonly options: FakeApiOptions;
  private readonly listeners = new Set<Listener>();
  private readonly failures = new Map<string, ApiError>();
  private imported = new Set<string>();
  private round: Promise<void> = Promise.resolve();

  constructor(options: FakeApiOptions = {}) {
    this.options = options;
  }

  // ------------------------------------------------------------ controls for tests

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(event: ApiEvent): void {
    for (const l of [...this.listeners]) l(event);
  }
  setState(patch: Partial<State>): void {
    this.state = { ...this.state, ...patch };
    this.emit({ type: 'state', state: this.state });
  }
  /** The next call of `method` rejects with this error. */
  failNext(method: keyof Api, error = failure('unavailable', 'engine is busy')): void {
    this.failures.set(method, error);
  }
  /** Resolves when the running probe round has finished. */
  settled(): Promise<void> {
    return this.round;
  }
  listenerCount(): number {
    return this.listeners.size;
  }

  private record(method: string, request: unknown): void {
    this.calls.push({ method, request });
    const failure = this.failures.get(method);
    if (failure) {
      this.failures.delete(method);
      throw failure;
    }
  }
  private find(id: string): Server {
    const s = this.servers.find((x) => x.id === id);
    if (!s) throw new PortholeError('not-found', `no server ${id}`);
    return s;
  }
  private update(id: string, patch: Partial<Server>): Server {
    const next = { ...this.find(id), ...patch };
    this.servers = this.servers.map((s) => (s.id === id ? next : s));
    this.emit({ type: 'server', server: next });
    return next;
  }

  // ------------------------------------------------------------ reads

  async getState() { this.record('getState', {}); return this.state; }
  async listServers() { this.record('listServers', {}); return this.servers; }
  async getSources() { this.record('getSources', {}); return this.sources; }
  async getSettings() { this.record('getSettings', {}); return this.settings; }
  async getLog(req: { limit?: number } = {}) { this.record('getLog', req); return this.log.slice(-(req.limit ?? 200)); }

  // ------------------------------------------------------------ connection

  async connect(req: { serverId?: string } = {}) {
    this.record('connect', req);
    this.setState({ phase: 'searching', current: null, offlineReason: null });
    this.round = this.probeAll().then(() => this.settle(req.serverId));
    return this.state;
  }
  async disconnect() {
    this.record('disconnect', {});
    this.servers = this.servers.map((s) => ({ ...s, active: false, picked: false }));
    this.setState({ phase: 'idle', current: null, bridge: null, lan: null, offlineReason: null });
    return this.state;
  }
  async testAll() {
    this.record('testAll', {});
    this.round = this.probeAll();
    return this.state.progress;
  }
  async pick(req: { id: string }) {
    this.record('pick', req);
    const s = this.find(req.id);
    this.servers = this.servers.map((x) => ({ ...x, picked: x.id === s.id }));
    this.use(s, 'picked');
    return this.state;
  }
  async pin(req: { id: string }) { this.record('pin', req); return this.update(req.id, { pinned: true }); }
  async unpin(req: { id: string }) { this.record('unpin', req); return this.update(req.id, { pinned: false }); }

  private async probeAll(): Promise<void> {
    const total = this.servers.length;
    const progress = (tested: number, running: boolean): void => {
      const p: Progress = { tested, total, running };
      this.state = { ...this.state, progress: p };
      this.emit({ type: 'progress', progress: p });
    };
    progress(0, true);
    for (const [i, s] of this.servers.entries()) {
      await new Promise((r) => setTimeout(r, this.options.probeStepMs ?? 0));
      const current = this.servers.find((x) => x.id === s.id); // skip one removed meanwhile
      if (current) this.probeOne(current);
      progress(i + 1, i + 1 < total);
    }
  }
  private probeOne(s: Server): void {
    const ms = this.options.nothingWorks || s.status === 'failed' ? null : (s.latencyMs ?? 150);
    const samples = [...s.samples, ms].slice(-16);
    const ok = samples.filter((x) => x !== null) as number[];
    this.update(s.id, {
      samples, status: ms === null ? 'failed' : 'ok', lastTested: new Date().toISOString(),
      latencyMs: ms ?? s.latencyMs, successRate: ok.length / samples.length,
      failure: ms === null ? (s.failure ?? { kind: 'timeout', message: 'no answer within 8 s' }) : null,
    });
  }
  private settle(preferred?: string): void {
    const working = this.servers.filter((s) => s.status === 'ok' && s.latencyMs !== null);
    if (working.length === 0) {
      this.setState({ phase: 'offline', offlineReason: this.servers.length ? 'all-failed' : 'no-servers', bridge: null });
      return;
    }
    const pinned = working.find((s) => s.pinned);
    const wanted = working.find((s) => s.id === preferred);
    const fastest = [...working].sort((a, b) => (a.latencyMs ?? 0) - (b.latencyMs ?? 0))[0]!;
    const chosen = wanted ?? pinned ?? fastest;
    this.use(chosen, wanted ? 'picked' : pinned ? 'pinned' : working.length === 1 ? 'only-working' : 'fastest');
  }
  private use(s: Server, reason: NonNullable<State['current']>['reason']): void {
    this.servers = this.servers.map((x) => ({ ...x, active: x.id === s.id }));
    this.emit({ type: 'servers', servers: this.servers });
    const lan = this.settings.lanSharing
      ? { socks: { host: '192.168.1.20', port: this.settings.port }, http: { host: '192.168.1.20', port: this.settings.port } }
      : null;
    this.setState({
      phase: 'connected', offlineReason: null, systemProxy: this.settings.systemProxy, lan,
      current: { serverId: s.id, label: s.label, ...(s.country ? { country: s.country } : {}), latencyMs: s.latencyMs, reason },
      bridge: { socks: { host: '127.0.0.1', port: this.settings.port }, http: { host: '127.0.0.1', port: this.settings.port } },
    });
  }

  // ------------------------------------------------------------ servers, codes

  async addServerByLink(req: { link: string }): Promise<ImportOutcome> {
    this.record('addServerByLink', req);
    const m = /^(socks5|http|https|ss):\/\/(?:[^@/\s]*@)?([A-Za-z0-9.-]+):(\d{1,5})(?:[/?#]\S*)?$/.exec(req.link.trim());
    if (!m) return { kind: 'invalid', message: 'expected socks5://, ss:// or http:// followed by host:port' };
    const protocol = m[1] === 'ss' ? 'shadowsocks' : (m[1] as 'socks5' | 'http' | 'https');
    const id = `user-${m[2]}-${m[3]}`;
    if (this.servers.some((s) => s.id === id)) return { kind: 'already-added', count: 1 };
    this.servers = [...this.servers, {
      id, label: m[2]!, protocol, endpoint: `${m[2]}:${m[3]}`, samples: [], latencyMs: null, successRate: null,
      lastTested: null, status: 'untested', origin: 'user', publisher: null, failure: null, pinned: false, picked: false, active: false,
    }];
    this.emit({ type: 'servers', servers: this.servers });
    return { kind: 'added', added: 1, serverIds: [id], publisher: null };
  }
  async removeServer(req: { id: string }) {
    this.record('removeServer', req);
    const before = this.servers.length;
    this.servers = this.servers.filter((s) => s.id !== req.id);
    this.emit({ type: 'servers', servers: this.servers });
    return { removed: this.servers.length < before };
  }
  async shareServers(req: { ids: string[] }) {
    this.record('shareServers', req);
    for (const id of req.ids) this.find(id);
    const code = `PH1-SHR${req.ids.length}-${req.ids.map((id) => id.slice(0, 3).toUpperCase()).join('')}`.slice(0, 60);
    const link = `porthole://import?c=${code}`;
    const qrDataUrl = await QRCode.toDataURL(link, { margin: 2, width: 256 });
    if (!this.realisticShare) return { code, link, qrDataUrl };
    // As long as real codes are: one unbroken string of 150–250 characters.
    const body = (n: number): string => Buffer.from(Array.from({ length: n }, (_, i) => (i * 37 + req.ids.length) & 0xff)).toString('base64url');
    const full = `PH1:${body(100 + 28 * req.ids.length)}`;
    const short = `PH1:${body(76 + 28 * req.ids.length)}`;
    const sms = (c: string): number => (c.length <= 160 ? 1 : Math.ceil(c.length / 153));
    return {
      code: full, link: `porthole://import/${full}`, qrDataUrl: await QRCode.toDataURL(`porthole://import/${full}`, { margin: 2, width: 256 }), sms: sms(full),
      short: { code: short, link: `porthole://import/${short}`, qrDataUrl: await QRCode.toDataURL(`porthole://import/${short}`, { margin: 2, width: 256 }), sms: sms(short) },
    };
  }
  async shareBatch(req: { ids: string[]; count: number; perCode: number; short?: boolean }) {
    this.record('shareBatch', req);
    for (const id of req.ids) this.find(id);
    const codes = Array.from({ length: req.count }, (_, n) => ({ number: n + 1, code: `PH1-BATCH-${n + 1}`, servers: req.ids.slice(n % req.ids.length, (n % req.ids.length) + req.perCode) }));
    const csv = `number,code,servers,expires\r\n${codes.map((c) => `${c.number},${c.code},${c.servers.join(' ')},2030-01-01T00:00:00.000Z`).join('\r\n')}\r\n`;
    const share = Math.round((req.count * req.perCode) / req.ids.length);
    return { codes, csv, uses: { min: share, max: share }, sms: 1 };
  }
  async importText(req: { text: string }): Promise<ImportOutcome> {
    this.record('importText', req);
    const text = req.text;
    if (text.includes(FAKE_CODES.expired)) return { kind: 'expired', expiredAt: '2024-01-31T00:00:00.000Z' };
    if (text.includes(FAKE_CODES.untrusted)) {
      const trusted = this.sources.publishers.find((p) => p.fingerprint === PUBLISHER_NEW.fingerprint)?.trusted;
      if (!trusted) {
        const { fingerprint, words, name } = PUBLISHER_NEW;
        return { kind: 'needs-trust', publisher: { fingerprint, words, name, id: 'gulnara7x2k3m4pq', nameDeclared: true }, serverCount: 1 };
      }
      return this.addImported(FAKE_CODES.untrusted, { id: 'gul-1', label: 'Gulnara home', country: 'KZ' }, PUBLISHER_NEW.name);
    }
    if (text.includes(FAKE_CODES.good) || /BEGIN PORTHOLE/.test(text)) {
      return this.addImported(FAKE_CODES.good, { id: 'ist-1', label: 'Istanbul-1', country: 'TR' }, PUBLISHER_KZ.name);
    }
    if (/PH1-SHR/.test(text)) return { kind: 'already-added', count: 1 };
    if (/PH1-CUT/.test(text)) return { kind: 'damaged', message: 'this code is cut off', problem: 'cut-off' };
    if (/PH1-[A-Z0-9-]+/.test(text)) return { kind: 'damaged', message: 'checksum does not match: a character is wrong or missing', problem: 'damaged' };
    return { kind: 'invalid', message: 'no Porthole code, link or list found in the text' };
  }
  private addImported(key: string, s: { id: string; label: string; country: string }, publisher: string): ImportOutcome {
    if (this.imported.has(key)) return { kind: 'already-added', count: 1 };
    this.imported.add(key);
    this.servers = [...this.servers, {
      ...s, protocol: 'socks5', endpoint: `${s.id}.example.net:1080`, samples: [], latencyMs: null, successRate: null,
      lastTested: null, status: 'untested', origin: 'code', publisher, failure: null, pinned: false, picked: false, active: false,
    }];
    this.emit({ type: 'servers', servers: this.servers });
    return { kind: 'added', added: 1, serverIds: [s.id], publisher };
  }

  /** For the shell (Engine interface): cheap check whether text may hold something importable. */
  isImportable(text: string): boolean {
    return /PH1-[A-Z0-9]|porthole:\/\/|BEGIN PORTHOLE/.test(text);
  }

  // ------------------------------------------------------------ trust, sources, settings

  async trustPublisher(req: { fingerprint: string }): Promise<Publisher> {
    this.record('trustPublisher', req);
    const known = [...this.sources.publishers, PUBLISHER_NEW].find((p) => p.fingerprint === req.fingerprint);
    if (!known) throw new PortholeError('not-found', 'unknown publisher');
    const trusted = { ...known, trusted: true };
    const rest = this.sources.publishers.filter((p) => p.fingerprint !== req.fingerprint);
    this.sources = { ...this.sources, publishers: [...rest, trusted] };
    this.emit({ type: 'sources', sources: this.sources });
    return trusted;
  }
  async untrust(req: { fingerprint: string }) {
    this.record('untrust', req);
    const before = this.sources.publishers.length;
    this.sources = { ...this.sources, publishers: this.sources.publishers.filter((p) => p.fingerprint !== req.fingerprint) };
    this.emit({ type: 'sources', sources: this.sources });
    return { removed: this.sources.publishers.length < before };
  }
  async refreshSources() {
    this.record('refreshSources', {});
    const now = new Date().toISOString();
    this.sources = { ...this.sources, channels: this.sources.channels.map((c) => ({ ...c, lastChecked: now })) };
    this.emit({ type: 'sources', sources: this.sources });
    return this.sources;
  }
  /** What openBrowser answers per app, when a test wants a launch that fails (e.g. the browser closed at once). */
  openResults: Partial<Record<'firefox' | 'chrome' | 'telegram', OpenBrowserResult>> = {};

  async openBrowser(req: { browser: 'firefox' | 'chrome' | 'telegram' }): Promise<OpenBrowserResult> {
    this.record('openBrowser', req);
    const given = this.openResults[req.browser];
    if (given) return given;
    if (!this.state.browsers[req.browser]) return { ok: false as const, reason: 'not-installed' as const, message: `${req.browser} not found` };
    if (this.state.phase !== 'connected') return { ok: false as const, reason: 'not-connected' as const, message: 'not connected yet' };
    return { ok: true as const };
  }
  async setSettings(patch: SettingsPatch = {}) {
    this.record('setSettings', patch);
    const next = SettingsSchema.safeParse({ ...this.settings, ...patch });
    if (!next.success) throw new PortholeError('bad-request', next.error.issues[0]?.message ?? 'invalid settings');
    this.settings = next.data;
    this.emit({ type: 'settings', settings: this.settings });
    return this.settings;
  }
}
