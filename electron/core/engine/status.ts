// What the engine shows: its phase (idle, searching, connected, offline) and since when, the state
// snapshot the UI and the CLI read, and the one 'ready' event once a server carries traffic.
import type { EventEmitter } from 'node:events';
import type { LiveCatalog } from '../catalog/live.ts';
import type { Selection } from '../selection/selection.ts';
import type { BridgeLink } from './bridge-link.ts';
import type { EngineEvents, EngineState, Phase } from './engine-types.ts';
import type { ProbeRounds } from './probe-rounds.ts';
import type { SearchDriver } from './search-driver.ts';

export interface StatusSources {
  /** Where 'state' and 'ready' go (the engine). */
  events: EventEmitter<EngineEvents>;
  catalog: LiveCatalog;
  selection: Selection;
  link: BridgeLink;
  rounds: ProbeRounds;
  search: SearchDriver;
}

export class EngineStatus {
  private readonly from: StatusSources;
  private phase: Phase = 'idle';
  private since = new Date().toISOString();
  private readyOnce = false;

  constructor(from: StatusSources) {
    this.from = from;
  }

  get current(): Phase {
    return this.phase;
  }

  set(phase: Phase): void {
    if (this.phase === phase) return;
    this.phase = phase;
    this.since = new Date().toISOString();
    this.emit();
  }

  emit(): void {
    this.from.events.emit('state', this.snapshot());
  }

  snapshot(): EngineState {
    const { catalog, selection, link, rounds, search } = this.from;
    const current = selection.current();
    const server = current ? catalog.server(current.id) ?? null : null;
    const bridge = link.info;
    return {
      phase: this.phase,
      ...rounds.progress(),
      current: server,
      currentLatencyMs: current ? selection.server(current.id)?.latencyMs ?? null : null,
      reason: selection.explain().reason,
      bridge: bridge ? { host: bridge.host, port: bridge.port } : null,
      refreshing: catalog.refreshing,
      since: this.since,
      retryAt: bridge && !current ? search.nextAttemptAt() : null,
      portConflict: link.portConflict,
    };
  }

  /** The bridge got `count` candidates: connected (and 'ready', the first time) or no longer. */
  candidates(count: number): void {
    const { catalog, selection, link, rounds, events } = this.from;
    const current = selection.current();
    const bridge = link.info;
    if (count > 0 && current) {
      this.set('connected');
      if (!this.readyOnce && bridge) {
        this.readyOnce = true;
        const server = catalog.server(current.id)!;
        const addr = `${bridge.host}:${bridge.port}`;
        events.emit('ready', { socks: addr, http: addr, server, port: current.port, latencyMs: selection.server(current.id)?.latencyMs ?? null });
      }
    } else if (this.phase === 'connected') {
      this.set(rounds.busy ? 'searching' : 'offline');
    }
  }

  /** A full probe round started: visible progress while nothing is in use. */
  roundStarted(): void {
    if (!this.from.selection.current()) this.set('searching');
    this.emit();
  }

  roundEnded(): void {
    if (!this.from.selection.current()) this.set('offline');
    this.emit();
  }

  nothingToProbe(): void {
    if (this.phase === 'searching') this.set('offline');
  }
}
