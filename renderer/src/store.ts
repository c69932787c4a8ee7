// The renderer's view of the engine: loads the snapshots once, then follows events. React reads it
// through useSyncExternalStore; nothing else in the renderer keeps engine data.
import type { Api, ApiEvent, Server, Settings, Sources, State } from '../../shared/api.ts';

export interface ImportRequest {
  text: string;
  origin: 'link' | 'file' | 'clipboard';
  /** Increases with each request so the same text can be offered twice. */
  seq: number;
}

export interface Snapshot {
  loaded: boolean;
  loadError: string | null;
  state: State | null;
  servers: Server[];
  sources: Sources | null;
  settings: Settings | null;
  importRequest: ImportRequest | null;
}

const EMPTY: Snapshot = {
  loaded: false, loadError: null, state: null, servers: [], sources: null, settings: null, importRequest: null,
};

export class ApiStore {
  private snapshot: Snapshot = EMPTY;
  private readonly listeners = new Set<() => void>();
  private readonly api: Api;
  private unsubscribe: (() => void) | null = null;
  private seq = 0;

  constructor(api: Api) {
    this.api = api;
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): Snapshot => this.snapshot;

  /** Subscribes to events first (so none are lost), then loads every snapshot. */
  async start(): Promise<void> {
    this.unsubscribe ??= this.api.subscribe((e) => this.apply(e));
    try {
      const [state, servers, sources, settings] = await Promise.all([
        this.api.getState(), this.api.listServers(), this.api.getSources(), this.api.getSettings(),
      ]);
      this.set({ loaded: true, loadError: null, state, servers, sources, settings });
    } catch (err) {
      this.set({ loadError: err instanceof Error ? err.message : String(err) });
    }
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** Replaces one server (e.g. with a method's result) without waiting for its event. */
  putServer(server: Server): void {
    this.apply({ type: 'server', server });
  }
  putSettings(settings: Settings): void {
    this.set({ settings });
  }
  putState(state: State): void {
    this.set({ state });
  }

  clearImportRequest(): void {
    this.set({ importRequest: null });
  }

  apply(event: ApiEvent): void {
    switch (event.type) {
      case 'state':
        return this.set({ state: event.state });
      case 'progress':
        if (this.snapshot.state) this.set({ state: { ...this.snapshot.state, progress: event.progress } });
        return;
      case 'server': {
        const servers = this.snapshot.servers;
        const i = servers.findIndex((s) => s.id === event.server.id);
        const next = i < 0 ? [...servers, event.server] : servers.map((s, j) => (j === i ? event.server : s));
        return this.set({ servers: next });
      }
      case 'servers':
        return this.set({ servers: event.servers });
      case 'sources':
        return this.set({ sources: event.sources });
      case 'settings':
        return this.set({ settings: event.settings });
      case 'import-request':
        return this.set({ importRequest: { text: event.text, origin: event.origin, seq: ++this.seq } });
      case 'log':
        return;
    }
  }

  private set(patch: Partial<Snapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const l of [...this.listeners]) l();
  }
}
