// Parses and formats the proxy links power users paste:
//   socks5://user:pass@host:port   http://…   https://…
//   ss://BASE64(method:password)@host:port/?outline=1#Name   (SIP002, Outline access keys)
//   ss://BASE64(method:password@host:port)#Name             (legacy form)
//   tg://socks?server=…&port=…&user=…&pass=…   https://t.me/socks?…
// Every failure names what is wrong in the link.
import { hostKind, SS_CIPHERS, type Entry, type Protocol, type SsCipher } from './entry.ts';
import { decodeBase64Url, encodeBase64Url, fromUtf8, utf8 } from './base64url.ts';

export class LinkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LinkError';
  }
}

export type ParsedLink = Omit<Entry, 'id'>;

const DEFAULT_PORTS: Record<Protocol, number> = {
  socks5: 1080, http: 8080, https: 443, shadowsocks: 8388, trojan: 443, vless: 443, vmess: 443, mtproto: 443, unsupported: 443,
};

export function parseProxyLink(input: string): ParsedLink {
  const link = input.trim();
  if (link === '') throw new LinkError('the link is empty');
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(link)?.[1]?.toLowerCase();
  if (!scheme) throw new LinkError(`"${clip(link)}" has no scheme: expected socks5://, http://, https://, ss:// or tg://`);
  switch (scheme) {
    case 'socks5':
    case 'socks5h':
    case 'socks':
      return parseUrlForm(link, 'socks5');
    case 'http':
    case 'https':
      if (/^https?:\/\/(www\.)?(t|telegram)\.me\/socks\b/i.test(link)) return parseTelegram(link);
      if (/^https?:\/\/(www\.)?(t|telegram)\.me\/proxy\b/i.test(link)) throw mtproto();
      return parseUrlForm(link, scheme);
    case 'ss':
      return parseShadowsocks(link);
    case 'tg':
      if (/^tg:\/\/proxy\b/i.test(link)) throw mtproto();
      if (!/^tg:\/\/socks\b/i.test(link)) throw new LinkError('only tg://socks links carry a SOCKS5 proxy');
      return parseTelegram(link);
    case 'socks4':
    case 'socks4a':
      throw new LinkError('SOCKS4 proxies are not supported: use a socks5:// link');
    case 'ssr':
    case 'vmess':
    case 'vless':
    case 'trojan':
      throw new LinkError(`${scheme}:// links are not supported (supported: socks5, http, https, ss)`);
    default:
      throw new LinkError(`unknown scheme "${scheme}:": expected socks5://, http://, https://, ss:// or tg://`);
  }
}

function mtproto(): LinkError {
  return new LinkError('MTProto proxy links (tg://proxy) are not supported: ask for a tg://socks link');
}

function parseUrlForm(link: string, protocol: 'socks5' | 'http' | 'https'): ParsedLink {
  const m = /^[a-z0-9+.-]+:\/\/(?:([^@/?#]*)@)?(\[[^\]]*\]|[^:/?#]*)(?::([^/?#]*))?(\/[^?#]*)?(\?[^#]*)?(#.*)?$/i.exec(link);
  if (!m) throw new LinkError(`"${clip(link)}" is not a valid ${protocol} link`);
  const [, userinfo, rawHost, rawPort, path, , fragment] = m;
  if (path && path !== '/') throw new LinkError(`a ${protocol} proxy link has no path (found "${clip(path)}")`);
  const out: ParsedLink = { protocol, host: parseHost(rawHost ?? ''), ports: [parsePort(rawPort, DEFAULT_PORTS[protocol])] };
  if (userinfo !== undefined && userinfo !== '') {
    const i = userinfo.indexOf(':');
    out.username = decode(i < 0 ? userinfo : userinfo.slice(0, i), 'user name');
    if (i >= 0) out.password = decode(userinfo.slice(i + 1), 'password');
  }
  const label = parseLabel(fragment);
  if (label) out.label = label;
  return out;
}

function parseShadowsocks(link: string): ParsedLink {
  const hashAt = link.indexOf('#');
  const label = parseLabel(hashAt >= 0 ? link.slice(hashAt) : undefined);
  const body = (hashAt >= 0 ? link.slice(0, hashAt) : link).slice('ss://'.length);
  const at = body.lastIndexOf('@');
  let method: string;
  let password: string;
  let hostPort: string;
  let query = '';
  if (at >= 0) {
    // SIP002: userinfo is base64url(method:password), or percent-encoded method:password.
    const userinfo = decode(body.slice(0, at), 'user info');
    const decoded = userinfo.includes(':') ? userinfo : decodeLooseBase64(userinfo);
    if (decoded === null || !decoded.includes(':')) throw new LinkError('the ss:// link\'s user info is not base64 of "method:password"');
    [method, password] = splitOnce(decoded, ':');
    const rest = body.slice(at + 1);
    const q = rest.search(/[/?]/);
    hostPort = q >= 0 ? rest.slice(0, q) : rest;
    query = q >= 0 ? rest.slice(q).replace(/^\//, '') : '';
  } else {
    const decoded = decodeLooseBase64(body.replace(/[/?].*$/, ''));
    if (decoded === null || !decoded.includes('@')) throw new LinkError('the ss:// link is neither SIP002 (userinfo@host:port) nor base64 of "method:password@host:port"');
    const inner = decoded.lastIndexOf('@');
    [method, password] = splitOnce(decoded.slice(0, inner), ':');
    hostPort = decoded.slice(inner + 1);
  }
  const params = new URLSearchParams(query.replace(/^\?/, ''));
  if (params.get('plugin')) throw new LinkError(`ss:// plugins are not supported (this link needs "${clip(params.get('plugin') ?? '')}")`);
  const cipher = method.toLowerCase();
  if (!(SS_CIPHERS as readonly string[]).includes(cipher)) {
    throw new LinkError(`Shadowsocks cipher "${clip(method)}" is not supported: use ${SS_CIPHERS.join(', ')}`);
  }
  if (password === '') throw new LinkError('the ss:// link has an empty password');
  const hp = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(hostPort);
  const out: ParsedLink = {
    protocol: 'shadowsocks',
    host: parseHost(hp?.[1] ?? ''),
    ports: [parsePort(hp?.[2], DEFAULT_PORTS.shadowsocks, true)],
    method: cipher as SsCipher,
    password,
  };
  if (label) out.label = label;
  return out;
}

function parseTelegram(link: string): ParsedLink {
  const q = link.indexOf('?');
  if (q < 0) throw new LinkError('the Telegram proxy link has no parameters (server=…&port=…)');
  const params = new URLSearchParams(link.slice(q + 1).replace(/#.*$/, ''));
  const server = params.get('server');
  if (!server) throw new LinkError('the Telegram proxy link has no server=');
  const out: ParsedLink = { protocol: 'socks5', host: parseHost(server), ports: [parsePort(params.get('port') ?? undefined, 1080, true)] };
  const user = params.get('user');
  const pass = params.get('pass');
  if (user) out.username = user;
  if (pass) out.password = pass;
  return out;
}

function parseHost(raw: string): string {
  const host = raw.startsWith('[') && raw.endsWith(']') ? raw.slice(1, -1) : raw;
  if (host === '') throw new LinkError('the link has no host');
  const kind = hostKind(host);
  if (!kind || (kind === 'ipv6' && !raw.startsWith('[') && raw !== host)) throw new LinkError(`"${clip(host)}" is not a valid host name or IP address`);
  return kind === 'name' ? host.toLowerCase().replace(/\.$/, '') : host.toLowerCase();
}

function parsePort(raw: string | undefined, fallback: number, required = false): number {
  if (raw === undefined || raw === '') {
    if (required) throw new LinkError('the link has no port');
    return fallback;
  }
  if (!/^\d{1,5}$/.test(raw)) throw new LinkError(`port "${clip(raw)}" is not a number`);
  const port = Number(raw);
  if (port < 1 || port > 65535) throw new LinkError(`port ${port} is out of range (1-65535)`);
  return port;
}

function parseLabel(fragment: string | undefined): string | undefined {
  if (!fragment || fragment.length <= 1) return undefined;
  const label = decode(fragment.slice(1), 'name').trim();
  return label === '' ? undefined : label.slice(0, 100);
}

function decode(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new LinkError(`the link's ${what} has a broken %-escape`);
  }
}

/** Accepts base64 or base64url, padded or not (links in the wild use all four). */
function decodeLooseBase64(text: string): string | null {
  // Trailing '=' trimmed by hand: /=+$/ restarts at every '=' of a long run (quadratic).
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x3d) end--;
  const clean = text.slice(0, end).replace(/\+/g, '-').replace(/\//g, '_');
  const bytes = decodeBase64Url(clean) ?? decodeBase64Url(clean.slice(0, clean.length - (clean.length % 4 === 1 ? 1 : 0)));
  if (!bytes) return null;
  try {
    return fromUtf8(bytes);
  } catch {
    return null;
  }
}

function splitOnce(text: string, sep: string): [string, string] {
  const i = text.indexOf(sep);
  return i < 0 ? [text, ''] : [text.slice(0, i), text.slice(i + sep.length)];
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}

/** Formats an entry back as a link (first port). Used for sharing and display. */
export function formatProxyLink(entry: ParsedLink, options: { withCredentials?: boolean } = {}): string {
  const withCreds = options.withCredentials ?? true;
  const host = entry.host.includes(':') ? `[${entry.host}]` : entry.host;
  const port = entry.ports[0];
  const label = entry.label ? `#${encodeURIComponent(entry.label)}` : '';
  if (entry.protocol === 'shadowsocks') {
    const info = withCreds ? `${encodeBase64Url(utf8(`${entry.method ?? ''}:${entry.password ?? ''}`))}@` : '';
    return `ss://${info}${host}:${port}${label}`;
  }
  const creds = withCreds && entry.username !== undefined
    ? `${encodeURIComponent(entry.username)}${entry.password !== undefined ? `:${encodeURIComponent(entry.password)}` : ''}@`
    : '';
  return `${entry.protocol}://${creds}${host}:${port}${label}`;
}

/** A stable id for a server: the same protocol, host, first port and user give the same id. */
export function entryIdFor(link: ParsedLink): string {
  const key = `${link.protocol}|${link.host}|${link.ports[0]}|${link.username ?? ''}`;
  // FNV-1a, 2 × 32 bits with different offsets: stable, short, not a security property.
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x01000193 + 2) >>> 0;
  }
  return `${link.protocol === 'shadowsocks' ? 'ss' : link.protocol}-${a.toString(16).padStart(8, '0')}${b.toString(16).padStart(4, '0').slice(0, 4)}`;
}
