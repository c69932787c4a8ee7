// Header rewriting for forwarded absolute-URI requests (RFC 9110 §7.6.1): hop-by-hop headers,
// the headers the Connection header names, and the proxy's own credentials never travel on.
import type { Destination } from './upstreams/types.ts';

const HOP_BY_HOP = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'proxy-authenticate',
  'te', 'trailer', 'transfer-encoding', 'upgrade', 'expect',
]);

function connectionTokens(raw: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    if (name !== 'connection' && name !== 'proxy-connection') continue;
    for (const t of (raw[i + 1] as string).split(',')) {
      const token = t.trim().toLowerCase();
      if (token) out.add(token);
    }
  }
  return out;
}

/** Keeps the end-to-end headers of a raw header list ([name, value, name, value, ...]). */
export function endToEnd(raw: readonly string[]): string[] {
  const named = connectionTokens(raw);
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    if (HOP_BY_HOP.has(name) || named.has(name)) continue;
    out.push(raw[i] as string, raw[i + 1] as string);
  }
  return out;
}

function hasHeader(raw: readonly string[], name: string): boolean {
  for (let i = 0; i < raw.length; i += 2) if ((raw[i] as string).toLowerCase() === name) return true;
  return false;
}

/** The headers sent to the origin for a request the client sent with these raw headers. */
export function requestHeaders(raw: readonly string[], dest: Destination): string[] {
  const out = endToEnd(raw);
  if (!hasHeader(out, 'host')) {
    const host = dest.host.includes(':') ? `[${dest.host}]` : dest.host;
    out.unshift('Host', dest.port === 80 ? host : `${host}:${dest.port}`);
  }
  // A chunked body keeps being chunked (node:http decodes it on the way in and encodes it on the way out).
  const chunked = raw.some((v, i) => i % 2 === 0 && v.toLowerCase() === 'transfer-encoding' && /chunked/i.test(raw[i + 1] as string));
  if (chunked && !hasHeader(out, 'content-length')) out.push('Transfer-Encoding', 'chunked');
  return out;
}

/** Parses a CONNECT authority ("host:port" or "[v6]:port"); null when it is not one. */
export function parseAuthority(authority: string): Destination | null {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^\s:/?#@[\]]+)):(\d{1,5})$/.exec(authority);
  if (!m) return null;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return null;
  return { host: (m[1] ?? m[2]) as string, port };
}
