// Probe URLs: which ones an entry is tested with, and what they take apart into.
import type { Entry } from '../../../shared/entry.ts';

/**
 * Tried after the entry's and the caller's own probe URLs: connectivity-check endpoints run by
 * different operators (Cloudflare, Google, Mozilla, Microsoft), plain HTTP and HTTPS, so one blocked
 * operator or one cut port does not fail every server. Each has a known answer (a 204, or a fixed
 * body), so a 200 block page is told apart.
 */
export const DEFAULT_PROBE_URLS: readonly string[] = [
  'http://cp.cloudflare.com/generate_204',
  'http://www.gstatic.com/generate_204',
  'http://detectportal.firefox.com/success.txt',
  'http://www.msftconnecttest.com/connecttest.txt',
  'https://www.google.com/generate_204',
  'https://cp.cloudflare.com/generate_204',
];

/** How many probe URLs one server may try before it counts as failed (or degraded). */
export const DEFAULT_MAX_PROBE_URLS = 5;

/** Fixed answers of well-known check URLs (host + path → the body's start). */
const KNOWN_BODIES: Readonly<Record<string, string>> = {
  'detectportal.firefox.com/success.txt': 'success',
  'www.msftconnecttest.com/connecttest.txt': 'Microsoft Connect Test',
  'captive.apple.com/hotspot-detect.html': '<HTML><HEAD><TITLE>Success</TITLE>',
};

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
  /** What the body must start with, for well-known check URLs with a fixed answer. */
  expectBody: string | null;
}

/**
 * Parsed URLs, shared (frozen): a round of 1,000 servers asks for the same few URLs thousands of
 * times, and WHATWG URL parsing was a tenth of the round's CPU. Bounded: cleared when it grows past
 * CACHE_MAX (the URLs come from lists, so their number is not ours to choose).
 */
const CACHE_MAX = 256;
const parsed = new Map<string, Readonly<ProbeTarget> | Error>();

export function parseProbeUrl(url: string): Readonly<ProbeTarget> {
  let known = parsed.get(url);
  if (known === undefined) {
    try {
      known = Object.freeze(parseUncached(url));
    } catch (err) {
      known = err instanceof Error ? err : new Error(String(err));
    }
    if (parsed.size >= CACHE_MAX) parsed.clear();
    parsed.set(url, known);
  }
  if (known instanceof Error) throw known;
  return known;
}

function parseUncached(url: string): ProbeTarget {
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
    expectBody: KNOWN_BODIES[`${u.hostname}${u.pathname}`] ?? null,
  };
}

/**
 * The entry's own URLs, then the caller's (list-level or configured), then the defaults; deduplicated.
 * At least two defaults always get a turn, so a list naming only blocked URLs does not fail every server.
 */
export function probeUrlsFor(entry: Entry, extra: readonly string[] = [], defaults: readonly string[] = DEFAULT_PROBE_URLS, max = DEFAULT_MAX_PROBE_URLS): string[] {
  const out: string[] = [];
  const add = (urls: readonly string[], cap: number): void => {
    for (const url of urls) {
      if (out.length >= cap) return;
      if (out.includes(url)) continue;
      try {
        parseProbeUrl(url);
      } catch {
        continue;
      }
      out.push(url);
    }
  };
  add([...(entry.probeUrls ?? []), ...extra], Math.max(1, max - Math.min(2, defaults.length)));
  add(defaults, max);
  return out;
}
