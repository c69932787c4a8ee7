// How `porthole up` tells what happens: one JSON event per line with --json, human lines
// otherwise, warnings on stderr. The engine's events arrive as UpEvents (electron/core/engine-host/
// up-events.ts), from this process or from the engine process: the output is the same either way.
import type { Writable } from 'node:stream';
import type { UpEvent } from '../core/engine-host/up-events.ts';

export interface UpOutput {
  /** One JSON event (only with --json). */
  emit(event: string, data?: Record<string, unknown>): void;
  /** One human line (only without --json). */
  say(line: string): void;
  /** A warning or error for people, on stderr (unless PORTHOLE_QUIET). */
  warn(level: 'warn' | 'error', message: string): void;
  /** Prints one engine event. */
  engine(event: UpEvent): void;
}

export interface UpOutputOptions {
  json: boolean;
  stdout: Writable;
  stderr: Writable;
  quiet: boolean;
  /** The UI's address once it is served (added to the ready event). */
  ui(): string | null;
  /** The demo page, for the curl example. */
  demoPage(): string | null;
}

export function upOutput(o: UpOutputOptions): UpOutput {
  const emit = (event: string, data: Record<string, unknown> = {}): void => {
    if (o.json) o.stdout.write(`${JSON.stringify({ event, at: new Date().toISOString(), ...data })}\n`);
  };
  const say = (line: string): void => {
    if (!o.json) o.stdout.write(`${line}\n`);
  };
  const warn = (level: 'warn' | 'error', message: string): void => {
    if (!o.quiet) o.stderr.write(`porthole: ${level}: ${message}\n`);
  };
  let lastProgress = 0;
  const engine = (e: UpEvent): void => {
    switch (e.event) {
      case 'progress': {
        const { event: _e, ...data } = e;
        emit('progress', data);
        const now = Date.now();
        if (e.tested === e.total || now - lastProgress > 1000) {
          lastProgress = now;
          say(`tested ${e.tested} of ${e.total}`);
        }
        return;
      }
      case 'ready': {
        const ui = o.ui();
        emit('ready', { socks: e.socks, http: e.http, server: e.server, why: e.why, ...(ui ? { ui } : {}) });
        const ms = e.server.latencyMs;
        say(`Connected through ${e.server.label}${ms !== null && ms !== undefined ? `, ${Math.round(ms)} ms` : ''}.`);
        say(`  SOCKS5 and HTTP proxy: ${e.socks}   e.g. curl --proxy http://${e.http} ${o.demoPage() ?? 'https://example.org/'}`);
        say(`  Why this server: ${e.why}`);
        return;
      }
      case 'switch':
        emit('switch', { from: e.from, to: e.to, reason: e.reason, why: e.why });
        if (e.from !== null) say(`switched to ${e.toLabel ?? 'no server'} (${e.reason}): ${e.why}`);
        return;
      case 'failure':
        emit('failure', { server: e.server, kind: e.kind, message: e.message });
        return;
      case 'sources':
        emit('sources', { channels: e.channels });
        return;
      case 'log':
        emit('log', { level: e.level, message: e.message });
        warn(e.level, e.message);
        return;
    }
  };
  return { emit, say, warn, engine };
}
