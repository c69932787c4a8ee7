// Channel specs, one string per channel, as users and publishers write them:
//   https://host/path  http://host/path     a mirror (raw signed list or text with armored blocks)
//   page:https://t.me/s/channel             any page or text, searched for armored blocks
//   dns:NAME   dns:NAME@127.0.0.1:5353,…     DNS TXT (ph1 format) via the system's or given servers
//   doh:https://host/dns-query[,URL…]#NAME  DNS TXT via DNS-over-HTTPS endpoints
//   file:PATH  file:///abs/path             a file, or a folder (a USB stick)
import { PortholeError } from '../../../shared/errors.ts';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dohChannel, systemDnsChannel } from './dns-channel.ts';
import { normalizeDnsName } from './dns-txt-format.ts';
import { HttpChannel, PageChannel } from './http-channel.ts';
import { FileChannel } from './local.ts';
import { resolveSettings } from './settings.ts';
import type { Channel, ChannelSettings } from './types.ts';

function httpUrl(text: string, what: string): string {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new PortholeError('bad-channel', `${what}: "${text}" is not a URL`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new PortholeError('bad-channel', `${what}: expected an https:// or http:// URL, got ${u.protocol}`);
  if (u.hash) u.hash = '';
  return u.href;
}

function dnsName(text: string): string {
  try {
    return normalizeDnsName(text);
  } catch (err) {
    throw new PortholeError('bad-channel', (err as Error).message);
  }
}

/** '127.0.0.1', '127.0.0.1:5353', '::1', '[::1]:5353' → the form node:dns setServers takes. */
function dnsServer(text: string): string {
  const s = text.trim();
  if (/^\d{1,3}(\.\d{1,3}){3}(:\d{1,5})?$/.test(s) || /^\[[0-9a-fA-F:.]+\](:\d{1,5})?$/.test(s)) return s;
  if (/^[0-9a-fA-F:.]+$/.test(s) && s.includes(':')) return s;
  throw new PortholeError('bad-channel', `"${text}" is not a DNS server address (IP or IP:PORT)`);
}

/** Builds the channel a spec names; throws a PortholeError 'bad-channel' saying what is wrong. */
export function parseChannelSpec(spec: string, settings?: Partial<ChannelSettings>): Channel {
  const s = spec.trim();
  const cfg = resolveSettings(settings);
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(s)?.[1]?.toLowerCase();
  switch (scheme) {
    case 'https':
    case 'http':
      return new HttpChannel(httpUrl(s, 'mirror'), cfg);
    case 'page':
      return new PageChannel(httpUrl(s.slice(5), 'page'), cfg);
    case 'dns': {
      const [name = '', servers] = s.slice(4).split('@', 2);
      return systemDnsChannel(dnsName(name), servers ? servers.split(',').map(dnsServer) : [], cfg);
    }
    case 'doh': {
      const rest = s.slice(4);
      const hash = rest.lastIndexOf('#');
      if (hash < 0) throw new PortholeError('bad-channel', 'doh: expected doh:URL[,URL…]#NAME');
      const endpoints = rest.slice(0, hash).split(',').filter((x) => x !== '').map((u) => httpUrl(u, 'doh'));
      if (endpoints.length === 0) throw new PortholeError('bad-channel', 'doh: no endpoint URL');
      return dohChannel(dnsName(rest.slice(hash + 1)), endpoints, cfg);
    }
    case 'file': {
      const rest = s.slice(5);
      const path = rest.startsWith('//') ? fileURLToPath(s) : rest;
      if (path === '') throw new PortholeError('bad-channel', 'file: expected file:PATH');
      return new FileChannel(isAbsolute(path) ? path : resolve(path), cfg);
    }
    default:
      throw new PortholeError('bad-channel', `"${spec}": expected https://…, http://…, page:URL, dns:NAME, doh:URL#NAME or file:PATH`);
  }
}
