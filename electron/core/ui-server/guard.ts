// Who may talk to the UI server: only pages served by it (Host and Origin must be this server,
// which defeats DNS rebinding and cross-site requests) and, for the Api, only holders of the token.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export type Verdict = { ok: true } | { ok: false; status: 403 | 401; reason: string };

export function allowedHosts(host: string, port: number): Set<string> {
  const names = new Set(['127.0.0.1', 'localhost', '[::1]']);
  names.add(host.includes(':') ? `[${host}]` : host);
  return new Set([...names].map((n) => `${n}:${port}`));
}

/** Host must name this server; Origin, when sent, must be this server; no cross-site fetches. */
export function checkOrigin(req: IncomingMessage, hosts: ReadonlySet<string>): Verdict {
  const host = req.headers.host?.toLowerCase();
  if (!host || !hosts.has(host)) return { ok: false, status: 403, reason: 'bad host' };
  const origin = req.headers.origin;
  if (origin !== undefined && !(origin.startsWith('http://') && hosts.has(origin.slice(7).toLowerCase()))) {
    return { ok: false, status: 403, reason: 'bad origin' };
  }
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return { ok: false, status: 403, reason: 'cross-site' };
  return { ok: true };
}

export function checkToken(req: IncomingMessage, token: string): Verdict {
  const header = req.headers.authorization ?? '';
  const m = /^Bearer ([A-Za-z0-9_-]{1,256})$/.exec(header);
  if (!m) return { ok: false, status: 401, reason: 'missing token' };
  const given = Buffer.from(m[1]!);
  const want = Buffer.from(token);
  if (given.length !== want.length || !timingSafeEqual(given, want)) return { ok: false, status: 401, reason: 'wrong token' };
  return { ok: true };
}
