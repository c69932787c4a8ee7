// Sample servers, sources and settings for the fake Api: plausible, deterministic, covering every
// status the UI has to show.
import type { Channel, Publisher, Server, Settings, State } from '../../shared/api.ts';

/** "Now" for the sample data: the start of the current minute, so relative times read naturally. */
export const T0 = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();
const minutesAgo = (m: number) => new Date(Date.parse(T0) - m * 60_000).toISOString();
const daysAhead = (d: number) => new Date(Date.parse(T0) + d * 86_400_000).toISOString();

export const PUBLISHER_KZ: Publisher = {
  fingerprint: '3f9a1c27b84e50d6a2c19e7f0b3d5a81',
  words: ['river', 'lantern', 'apricot', 'meadow', 'copper', 'violet'],
  name: 'Steppe Volunteers',
  trusted: true,
  listVersion: 42,
  publishedAt: minutesAgo(95),
  expires: daysAhead(7),
  serverCount: 5,
};
export const PUBLISHER_RU: Publisher = {
  fingerprint: 'a07e5d3c91f2b8e4c6d0a9b1e3f57c2d',
  words: ['harbor', 'falcon', 'pepper', 'glacier', 'saffron', 'tundra'],
  name: 'Open Nets',
  trusted: true,
  listVersion: 7,
  publishedAt: minutesAgo(60 * 26),
  expires: daysAhead(2),
  serverCount: 2,
};
/** Appears only after importing the "untrusted" sample code. */
export const PUBLISHER_NEW: Publisher = {
  fingerprint: 'c4d2e8f1a6b3907e5d1c2b8a4f6e3d90',
  words: ['4821', '0937', '5512', '8830', '1264'],
  name: 'Aunt Gulnara',
  trusted: false,
  listVersion: 1,
  publishedAt: minutesAgo(10),
  expires: daysAhead(4),
  serverCount: 1,
};

function server(s: Partial<Server> & Pick<Server, 'id' | 'label' | 'protocol' | 'endpoint'>): Server {
  return {
    samples: [], latencyMs: null, successRate: null, lastTested: null, status: 'untested', origin: 'publisher',
    publisher: PUBLISHER_KZ.name, failure: null, pinned: false, picked: false, active: false, ...s,
  };
}

export function sampleServers(): Server[] {
  return [
    server({ id: 'fra-2', label: 'Frankfurt-2', protocol: 'socks5', endpoint: '198.51.100.24:1080', country: 'DE',
      samples: [92, 88, 90, null, 86, 84, 85, 84], latencyMs: 84, successRate: 0.88, lastTested: minutesAgo(2), status: 'ok' }),
    server({ id: 'ams-1', label: 'Amsterdam-1', protocol: 'shadowsocks', endpoint: '203.0.113.7:8388', country: 'NL',
      samples: [130, 121, 118, 125, 119, 122], latencyMs: 121, successRate: 1, lastTested: minutesAgo(2), status: 'ok' }),
    server({ id: 'waw-1', label: 'Warsaw-1', protocol: 'https', endpoint: 'pl1.example.net:443', country: 'PL',
      samples: [240, 260, 198, 215, null, 230], latencyMs: 230, successRate: 0.83, lastTested: minutesAgo(3), status: 'ok',
      publisher: PUBLISHER_RU.name }),
    server({ id: 'hel-3', label: 'Helsinki-3', protocol: 'http', endpoint: '192.0.2.55:3128', country: 'FI',
      samples: [310, null, null, null], latencyMs: 310, successRate: 0.25, lastTested: minutesAgo(3), status: 'failed',
      failure: { kind: 'timeout', message: 'no answer within 8 s' } }),
    server({ id: 'vno-2', label: 'Vilnius-2', protocol: 'shadowsocks', endpoint: '198.51.100.90:443', country: 'LT',
      samples: [null, null], successRate: 0, lastTested: minutesAgo(4), status: 'failed',
      failure: { kind: 'wrong-content', message: 'test page was replaced (blocked)' }, publisher: PUBLISHER_RU.name }),
    server({ id: 'ala-home', label: 'Almaty home', protocol: 'socks5', endpoint: '10.20.0.5:1080', country: 'KZ',
      samples: [151, 139, 142], latencyMs: 142, successRate: 1, lastTested: minutesAgo(30), status: 'ok', origin: 'user',
      publisher: null }),
    server({ id: 'tll-1', label: 'Tallinn-1', protocol: 'socks5', endpoint: 'ee.example.org:1080', country: 'EE' }),
  ];
}

export function sampleChannels(): Channel[] {
  const base = { lastChecked: minutesAgo(5), listVersion: null, publishedAt: null, publisher: null, message: null };
  return [
    { ...base, id: 'https-gh', kind: 'https', location: 'https://mirror-one.example/lists/steppe.json', status: 'ok',
      listVersion: 42, publishedAt: PUBLISHER_KZ.publishedAt, publisher: PUBLISHER_KZ.name },
    { ...base, id: 'dns-txt', kind: 'dns', location: '_porthole.lists.example.org', status: 'not-modified',
      listVersion: 42, publishedAt: PUBLISHER_KZ.publishedAt, publisher: PUBLISHER_KZ.name },
    { ...base, id: 'tg-post', kind: 'telegram', location: 'https://t.me/s/opennets', status: 'blocked',
      message: 'connection reset by the network' },
    { ...base, id: 'https-cdn', kind: 'https', location: 'https://cdn.example.net/p/list', status: 'timeout' },
    { ...base, id: 'page-blog', kind: 'page', location: 'https://blog.example.com/2025/03/lists', status: 'invalid-signature',
      message: 'signature does not match the key of Open Nets' },
    { ...base, id: 'https-big', kind: 'https', location: 'https://mirror-two.example/big', status: 'too-large' },
    { ...base, id: 'file-usb', kind: 'file', location: 'lists-march.porthole', status: 'ok', listVersion: 7,
      publishedAt: PUBLISHER_RU.publishedAt, publisher: PUBLISHER_RU.name },
  ];
}

export function sampleSettings(): Settings {
  return {
    language: 'auto', port: 1080, lanSharing: false, lanUsername: 'family', lanPassword: '',
    systemProxy: false, startAtLogin: false, testUrl: 'https://www.gstatic.com/generate_204',
  };
}

export function idleState(): State {
  return {
    phase: 'idle', progress: { tested: 0, total: 0, running: false }, current: null, offlineReason: null,
    bridge: null, lan: null, systemProxy: false, browsers: { firefox: true, chrome: true, telegram: true }, since: T0,
  };
}
