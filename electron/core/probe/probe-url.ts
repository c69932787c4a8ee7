// Probe URLs: which ones an entry is tested with, and what they take apart into.
import type { Entry } from '../../../shared/entry.ts';

/**
 * Tried after the entry's and the caller's own probe URLs. Plain HTTP "204" endpoints
 * of large CDNs: tiny answers, widely reachable, and a 200 block page is told apart by the status.
 */
export const DEFAULT_PROBE_URLS: readonly string[] = [
  'http://cp.cloudflare.com/generate_204',
  'http://www.gstatic.com/generate_204',
];

export interface ProbeTarget {
  url: string;
  tls: boolean;
  host: string;
  port: number;
  /** Path and query. */
  path: string;
  /** Host header value (port only when not the default). */
  hostHeader: string;
  /** A status the answer must have, when the URL says so (".../generate_204" must answer 204). */
  expectStatus: number | null;
}

export function parseProbeUrl(url: string): ProbeTarget {
  const u = new URL(url);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`probe URL ${url} is not http:// or https://`);
  const tls = u.protocol === 'https:';
  const host = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
  const port = u.port === '' ? (tls ? 443 : 80) : Number(u.port);
  const path = `${u.pathname || '/'}${u.search}`;
  return {
    url,
    tls,
    host,
    port,
    path,
    hostHeader: u.port === '' ? u.hostname : `${u.hostname}:${u.port}`,
    expectStatus: /\/(generate|gen)_204$/.test(u.pathname) ? 204 : null,
  };
}

/** The entry's own URLs, then the caller's (list-level or configured), then the defaults; deduplicated. */
export function probeUrlsFor(entry: Entry, extra: readonly string[] = [], defaults: readonly string[] = DEFAULT_PROBE_URLS, max = 3): string[] {
  const out: string[] = [];
  for (const url of [...(entry.probeUrls ?? []), ...extra, ...defaults]) {
    if (out.includes(url)) continue;
    try {
      parseProbeUrl(url);
    } catch {
      continue;
    }
    out.push(url);
    if (out.length >= max) break;
  }
  return out;
}
