// ss:// links: SIP002 (ss://BASE64URL(method:password)@host:port/?plugin=…#name), the legacy
// all-base64 form, and Outline access keys (…?outline=1&prefix=%16%03%01…). v2ray-plugin in
// websocket mode is Shadowsocks over WebSocket; other plugins make an 'unsupported' entry.
import { encodeBase64Url } from '../base64url.ts';
import { SS_CIPHERS, type SsCipher } from '../entry.ts';
import { clip, decode, decodeLooseBase64, parseHost, parseLabel, parsePort, splitHostPort, splitOnce, type ParsedLink } from './common.ts';
import { PortholeError } from '../errors.ts';
import { readStream } from './stream-settings.ts';
import { unsupportedEntry } from './unsupported.ts';

export function parseShadowsocks(link: string): ParsedLink {
  const hashAt = link.indexOf('#');
  const label = parseLabel(hashAt >= 0 ? link.slice(hashAt + 1) : undefined);
  const body = (hashAt >= 0 ? link.slice(0, hashAt) : link).slice(link.indexOf('://') + 3);
  const qAt = body.indexOf('?');
  const beforeQuery = qAt >= 0 ? body.slice(0, qAt) : body;
  const query = new URLSearchParams(qAt >= 0 ? body.slice(qAt + 1) : '');
  const at = beforeQuery.lastIndexOf('@');
  let method: string;
  let password: string;
  let hostPort: string;
  if (at >= 0) {
    // SIP002: userinfo is base64url(method:password), or percent-encoded method:password.
    const userinfo = decode(beforeQuery.slice(0, at), 'user info');
    const decoded = userinfo.includes(':') ? userinfo : decodeLooseBase64(userinfo);
    if (decoded === null || !decoded.includes(':')) throw new PortholeError('bad-link', 'the ss:// link\'s user info is not base64 of "method:password"');
    [method, password] = splitOnce(decoded, ':');
    hostPort = beforeQuery.slice(at + 1);
    const slash = hostPort.indexOf('/');
    if (slash >= 0) hostPort = hostPort.slice(0, slash);
  } else {
    const slash = beforeQuery.lastIndexOf('/');
    const encoded = slash >= 0 && slash === beforeQuery.length - 1 ? beforeQuery.slice(0, slash) : beforeQuery;
    const decoded = decodeLooseBase64(encoded);
    if (decoded === null || !decoded.includes('@')) throw new PortholeError('bad-link', 'the ss:// link is neither SIP002 (userinfo@host:port) nor base64 of "method:password@host:port"');
    const inner = decoded.lastIndexOf('@');
    [method, password] = splitOnce(decoded.slice(0, inner), ':');
    hostPort = decoded.slice(inner + 1);
  }
  const hp = splitHostPort(hostPort);
  const host = parseHost(hp.host);
  const port = parsePort(hp.port, null);
  const out = shadowsocksEntry({ link, host, port, method, password, label, prefix: query.get('prefix') ?? undefined });
  const plugin = query.get('plugin');
  return plugin ? withPlugin(out, link, plugin) : out;
}

export interface SsFields {
  link: string;
  host: string;
  port: number;
  method: string | undefined;
  password: string | undefined;
  label?: string | undefined;
  /** Outline's salt prefix as written in a link or config: characters U+0000–U+00FF, one byte each. */
  prefix?: string | undefined;
}

export function shadowsocksEntry(f: SsFields): ParsedLink {
  const cipher = (f.method ?? '').trim().toLowerCase();
  if (!(SS_CIPHERS as readonly string[]).includes(cipher)) {
    if (cipher.startsWith('2022-')) return unsupportedEntry({ link: f.link, scheme: 'shadowsocks-2022', host: f.host, port: f.port, label: f.label });
    throw new PortholeError('bad-link', `Shadowsocks cipher "${clip(f.method ?? '')}" is not supported: use ${SS_CIPHERS.join(', ')}`);
  }
  if (!f.password) throw new PortholeError('bad-link', 'the Shadowsocks server has an empty password');
  const out: ParsedLink = { protocol: 'shadowsocks', host: f.host, ports: [f.port], method: cipher as SsCipher, password: f.password };
  if (f.prefix) out.prefix = prefixBytes(f.prefix);
  if (f.label) out.label = f.label;
  return out;
}

/** Outline's prefix: each character is one byte (U+0000–U+00FF); at most 16 bytes. */
export function prefixBytes(text: string): string {
  const bytes: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c > 0xff) throw new PortholeError('bad-link', 'the Shadowsocks prefix has a character above U+00FF (each character stands for one byte)');
    bytes.push(c);
  }
  if (bytes.length > 16) throw new PortholeError('bad-link', `the Shadowsocks prefix is ${bytes.length} bytes (at most 16)`);
  return encodeBase64Url(Uint8Array.from(bytes));
}

/** The prefix as Outline writes it in a link (each byte as one character, %-encoded). */
export function prefixText(prefix: string): string {
  const padded = prefix.replace(/-/g, '+').replace(/_/g, '/');
  const raw = atob(padded + '='.repeat((4 - (padded.length % 4)) % 4));
  return raw;
}

/** SIP003 plugin "name;opt=v;flag": v2ray-plugin websocket → WebSocket transport; others unsupported. */
function withPlugin(entry: ParsedLink, link: string, plugin: string): ParsedLink {
  const [name, ...parts] = plugin.split(';');
  const opts = new Map<string, string>();
  for (const p of parts) {
    const [k, v] = splitOnce(p, '=');
    opts.set(k.trim().toLowerCase(), v.trim());
  }
  const pluginName = (name ?? '').trim().toLowerCase();
  const unsupported = () => unsupportedEntry({ link, scheme: `ss+${pluginName || 'plugin'}`.slice(0, 32), host: entry.host, port: entry.ports[0]!, label: entry.label });
  if (entry.protocol !== 'shadowsocks') return entry;
  if (pluginName !== 'v2ray-plugin') return unsupported();
  const mode = opts.get('mode') ?? 'websocket';
  if (mode !== 'websocket') return unsupported(); // a v2ray-plugin server also takes connections without mux
  const stream = readStream({ network: 'ws', path: opts.get('path'), wsHost: opts.get('host'), security: opts.has('tls') ? 'tls' : 'none', sni: opts.get('host') }, false);
  if (!stream.ok) return unsupported();
  return { ...entry, ...(stream.transport ? { transport: stream.transport } : {}), ...(stream.tls ? { tls: stream.tls } : {}) };
}
