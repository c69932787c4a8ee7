// What `porthole up` prints about the core engine (progress, ready, switch, failure, sources,
// warnings), as plain data: made here from the core engine's events, in whichever process runs the
// engine, and checked with zod when it arrives from the engine process. One shape for both paths
// (`up` in-process, `up --ui` with the engine in a forked child), so their output cannot drift.
import { z } from 'zod';
import { formatProxyLink } from '../../../shared/proxy-link.ts';
import type { CatalogServer } from '../catalog/catalog.ts';
import type { Engine as CoreEngine } from '../engine/engine.ts';

const Text = (max: number) => z.string().max(max);
const Count = z.number().int().min(0).max(10_000_000);
const Ms = z.number().min(0).max(86_400_000).nullable();
const Address = Text(300);

export const ServerInfoSchema = z.strictObject({
  id: Text(1000),
  host: Text(300).optional(),
  port: z.number().int().min(0).max(65535).optional(),
  label: Text(1000),
  protocol: Text(40),
  url: Text(16_384),
  country: Text(8).optional(),
  origin: Text(40),
  publisher: Text(1000).nullable(),
  latencyMs: Ms.optional(),
});
export type ServerInfo = z.infer<typeof ServerInfoSchema>;

export const UpEventSchema = z.discriminatedUnion('event', [
  z.strictObject({ event: z.literal('progress'), tested: Count, total: Count, server: Text(1000), ok: z.boolean(), latencyMs: Ms, error: Text(4000).nullable() }),
  z.strictObject({ event: z.literal('ready'), socks: Address, http: Address, server: ServerInfoSchema, why: Text(4000) }),
  /** `toLabel` is for the console line only; the JSON event has from, to, reason and why. */
  z.strictObject({ event: z.literal('switch'), from: Text(1000).nullable(), to: Text(1000).nullable(), reason: Text(4000), why: Text(4000), toLabel: Text(1000).nullable() }),
  z.strictObject({ event: z.literal('failure'), server: Text(1000), kind: Text(64), message: Text(4000) }),
  z.strictObject({ event: z.literal('sources'), channels: z.array(z.strictObject({ channel: Text(4096), status: Text(64), detail: Text(4000).nullable() })).max(1000) }),
  z.strictObject({ event: z.literal('log'), level: z.enum(['warn', 'error']), message: Text(4000) }),
]);
export type UpEvent = z.infer<typeof UpEventSchema>;

const cap = (s: string, max = 4000): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

export function serverInfo(s: CatalogServer, latencyMs?: number | null, port?: number): ServerInfo {
  return {
    id: cap(s.id, 1000),
    ...(port !== undefined ? { host: cap(s.entry.host, 300), port } : {}),
    label: cap(s.entry.label ?? s.entry.host, 1000),
    protocol: s.entry.protocol,
    url: cap(formatProxyLink(s.entry, { withCredentials: false }), 16_384),
    ...(s.entry.country ? { country: s.entry.country } : {}),
    origin: s.origin,
    publisher: s.publisher === null ? null : cap(s.publisher, 1000),
    ...(latencyMs !== undefined ? { latencyMs } : {}),
  };
}

/** Follows one core engine and hands each event `up` reports, as plain data, to `send`. */
export function followCore(engine: CoreEngine, send: (event: UpEvent) => void): void {
  engine.on('progress', ({ tested, total, result }) => {
    send({ event: 'progress', tested, total, server: cap(result.id, 1000), ok: result.ok, latencyMs: result.latencyMs, error: result.error ? cap(result.error.message) : null });
  });
  engine.on('ready', ({ socks, http, server, port, latencyMs }) => {
    send({ event: 'ready', socks, http, server: serverInfo(server, latencyMs, port), why: cap(engine.explain().text) });
  });
  engine.on('switch', ({ from, to, reason }) => {
    const label = to ? engine.server(to)?.entry.label ?? to : null;
    send({ event: 'switch', from, to, reason: cap(reason), why: cap(engine.explain().text), toLabel: label === null ? null : cap(label, 1000) });
  });
  engine.on('failure', (f) => send({ event: 'failure', server: cap(f.server, 1000), kind: cap(f.kind, 64), message: cap(f.message) }));
  engine.on('sources', (reports) => send({
    event: 'sources',
    channels: reports.slice(0, 1000).map((r) => ({ channel: cap(r.channel, 4096), status: r.status, detail: r.detail === undefined ? null : cap(r.detail) })),
  }));
  engine.on('log', ({ level, message }) => {
    if (level === 'warn' || level === 'error') send({ event: 'log', level, message: cap(message) });
  });
}
