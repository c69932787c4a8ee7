// The DNS TXT channels: 'dns:NAME[@SERVER,…]' (system resolver or given servers) and
// 'doh:URL[,URL…]#NAME' (DNS-over-HTTPS). Both read the ph1 format of dns-txt-format.ts.
import { dedupe } from '../lists/candidates.ts';
import { dohTxtLookup } from './doh.ts';
import { assembleChunks, MAX_PARTS, parseTxtRecord, type TxtItem } from './dns-txt-format.ts';
import { systemTxtLookup, type TxtLookup } from './dns-system.ts';
import { HttpChannel } from './http-channel.ts';
import { channelFailure, classifyError, startFetch, tooLarge } from './result.ts';
import type { Channel, ChannelFetchOptions, ChannelFetchResult, ChannelSettings, ChannelStatus } from './types.ts';

type Chunk = Extract<TxtItem, { kind: 'chunk' }>;
/** Part names looked up at once. */
const PART_CONCURRENCY = 6;
/** Pointers followed from one name. */
const MAX_POINTERS = 4;

async function lookupItems(lookup: TxtLookup, name: string, signal: AbortSignal): Promise<TxtItem[]> {
  const records = await lookup(name, signal);
  return records.map(parseTxtRecord).filter((x): x is TxtItem => x !== null);
}

/**
 * Looks up 0.NAME … (k-1).NAME, a few at a time; failures are kept as one-liners. Stops with
 * a 'too-large' PortholeError as soon as the chunk data collected could not decode to `maxBytes` or less.
 */
async function lookupParts(lookup: TxtLookup, name: string, parts: number, maxBytes: number, signal: AbortSignal): Promise<{ chunks: Chunk[]; failures: string[] }> {
  const chunks: Chunk[] = [];
  const failures: string[] = [];
  const maxChars = Math.ceil((maxBytes * 4) / 3) + 4;
  let chars = 0;
  let next = 0;
  let over = false;
  const worker = async (): Promise<void> => {
    while (next < parts && !signal.aborted && !over) {
      const j = next++;
      let items: TxtItem[];
      try {
        items = await lookupItems(lookup, `${j}.${name}`, signal);
      } catch (err) {
        failures.push(`${j}.${name}: ${classifyError(err, signal).detail}`);
        continue;
      }
      for (const item of items) {
        if (item.kind !== 'chunk') continue;
        chars += item.data.length;
        // Room for two versions during a change-over; past that, stop asking.
        if (chars > maxChars * 2) {
          over = true;
          throw tooLarge(maxBytes);
        }
        chunks.push(item);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PART_CONCURRENCY, parts) }, worker));
  signal.throwIfAborted();
  return { chunks, failures };
}

class DnsChannel implements Channel {
  readonly spec: string;
  readonly name: string;
  readonly settings: ChannelSettings;
  private readonly makeLookup: (opts: ChannelFetchOptions) => TxtLookup;

  constructor(spec: string, name: string, settings: ChannelSettings, makeLookup: (opts: ChannelFetchOptions) => TxtLookup) {
    this.spec = spec;
    this.name = name;
    this.settings = settings;
    this.makeLookup = makeLookup;
  }

  async fetch(opts: ChannelFetchOptions): Promise<ChannelFetchResult> {
    const done = startFetch(this.spec);
    try {
      const lookup = this.makeLookup(opts);
      const root = await lookupItems(lookup, this.name, opts.signal);
      const chunks = root.filter((i): i is Chunk => i.kind === 'chunk');
      const indexes = root.filter((i): i is Extract<TxtItem, { kind: 'parts' }> => i.kind === 'parts');
      const pointers = [...new Set(root.filter((i) => i.kind === 'url').map((i) => i.url))].slice(0, MAX_POINTERS);
      if (chunks.length === 0 && indexes.length === 0 && pointers.length === 0) {
        return done({ status: 'error', detail: `no ph1 records on ${this.name}`, blobs: [] });
      }
      // The ids on the root name change whenever the list does: they are the ETag.
      const ids = [...new Set([...chunks, ...indexes].map((i) => i.id))].sort();
      const etag = pointers.length === 0 && ids.length > 0 ? `ph1:${ids.join(',')}` : undefined;
      if (etag !== undefined && opts.etag === etag) return done({ status: 'not-modified', blobs: [], etag });

      const failures: string[] = [];
      const parts = Math.max(0, ...indexes.map((i) => i.parts));
      if (parts > 0) {
        const fitting = indexes.filter((i) => i.size === undefined || i.size <= opts.maxBytes);
        if (fitting.length === 0 && chunks.length === 0 && pointers.length === 0) throw tooLarge(opts.maxBytes);
        const got = await lookupParts(lookup, this.name, Math.min(parts, MAX_PARTS), opts.maxBytes, opts.signal);
        chunks.push(...got.chunks);
        failures.push(...got.failures);
      }
      const assembled = assembleChunks(chunks, opts.maxBytes);
      const blobs = [...assembled.blobs];
      failures.unshift(...assembled.problems);

      let pointerFailure: { status: ChannelStatus; detail: string } | undefined;
      if (pointers.length > 0) {
        const results = await Promise.all(pointers.map((url) => new HttpChannel(url, this.settings).fetch({ ...opts, etag: undefined })));
        for (const r of results) {
          blobs.push(...r.blobs);
          if (r.status !== 'ok') {
            pointerFailure ??= { status: r.status, detail: `${r.channel}: ${r.detail ?? r.status}` };
            failures.push(`${r.channel}: ${r.detail ?? r.status}`);
          }
        }
      }
      if (blobs.length > 0) {
        return done({ status: 'ok', blobs: dedupe(blobs), ...(failures.length ? { detail: failures.join('; ') } : {}), ...(etag ? { etag } : {}) });
      }
      if (pointerFailure && chunks.length === 0) return done({ ...pointerFailure, blobs: [] });
      return done({ status: 'error', detail: failures.join('; ') || 'no complete list', blobs: [] });
    } catch (err) {
      const c = classifyError(err, opts.signal);
      const detail = c.detail === 'ENODATA' ? `no TXT records on ${this.name}` : c.detail === 'ENOTFOUND' ? `${this.name}: no such name` : c.detail;
      return done({ status: c.status, detail, blobs: [] });
    }
  }
}

/** 'dns:NAME[@SERVER,…]': through the servers of the spec, else settings.dnsServers, else the system's. */
export function systemDnsChannel(name: string, servers: readonly string[], settings: ChannelSettings): DnsChannel {
  const spec = servers.length > 0 ? `dns:${name}@${servers.join(',')}` : `dns:${name}`;
  const lookup = systemTxtLookup(servers.length > 0 ? servers : settings.dnsServers, settings.timeoutMs);
  return new DnsChannel(spec, name, settings, () => lookup);
}

/** 'doh:URL[,URL…]#NAME'. */
export function dohChannel(name: string, endpoints: readonly string[], settings: ChannelSettings): DnsChannel {
  if (endpoints.length === 0) throw channelFailure('error', 'no DoH endpoint');
  return new DnsChannel(`doh:${endpoints.join(',')}#${name}`, name, settings, (opts) => dohTxtLookup(endpoints, settings, opts.proxy));
}
