// The Api's event stream and the log people see: listeners (a broken one never stops the others),
// the last LOG_MAX log lines, and a core engine's events turned into Api events.
import type { ApiEvent, LogEntry, Sources, State } from '../../../../shared/api.ts';
import type { Engine as CoreEngine } from '../engine.ts';
import { failureKind, serverView } from './views.ts';

const LOG_MAX = 500;

export class ApiEvents {
  private readonly listeners = new Set<(e: ApiEvent) => void>();
  private readonly entries: LogEntry[] = [];

  subscribe(listener: (event: ApiEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: ApiEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // a broken listener must not stop the others
      }
    }
  }

  log(level: LogEntry['level'], message: string): void {
    const entry: LogEntry = { at: new Date().toISOString(), level, message: message.slice(0, 2000) };
    this.entries.push(entry);
    if (this.entries.length > LOG_MAX) this.entries.splice(0, this.entries.length - LOG_MAX);
    this.emit({ type: 'log', entry });
  }

  /** The last `limit` log lines, oldest first. */
  recent(limit: number): LogEntry[] {
    return this.entries.slice(-limit);
  }

  /** Every server as the UI shows it, now. */
  servers(core: CoreEngine): void {
    this.emit({ type: 'servers', servers: core.servers().map((s) => serverView(core, s)) });
  }

  /** Follows a core engine: its state, progress, servers, sources and log become Api events. */
  follow(core: CoreEngine, view: { state(): State; sources(): Promise<Sources> }): void {
    core.on('state', () => this.emit({ type: 'state', state: view.state() }));
    core.on('progress', ({ tested, total, result }) => {
      this.emit({ type: 'progress', progress: { tested, total, running: tested < total } });
      const server = core.server(result.id);
      if (server) this.emit({ type: 'server', server: serverView(core, server) });
    });
    core.on('servers', () => this.servers(core));
    core.on('sources', () => void view.sources().then((sources) => this.emit({ type: 'sources', sources })));
    core.on('log', ({ level, message }) => this.log(level, message));
    core.on('failure', (f) => this.log('debug', `${f.server}: ${failureKind(f.kind)} — ${f.message}`));
  }
}
