// Parses and formats one share link (the codecs live in shared/links/, one per format):
//   socks5://user:pass@host:port  socks://BASE64(user:pass)@…  http://…  https://…
//   ss://…  (SIP002, Outline keys with prefix, legacy base64, v2ray-plugin websocket)
//   trojan://…  vless://…  vmess://BASE64(JSON)  (transport ws/tcp, TLS with SNI, ALPN, pin)
//   tg://socks?…  https://t.me/socks?…  (SOCKS5)   tg://proxy?…  https://t.me/proxy?…  (MTProto)
//   hysteria2://, tuic://, wireguard://, ssr://, vless+Reality, … → an 'unsupported' entry, kept.
// ssconf:// (Outline dynamic keys) must be fetched: parseProxyLink throws PortholeError('dynamic-key')
// for them, its `url` the https address to fetch. Every other failure is a PortholeError('bad-link')
// that names what is wrong in the link (isLinkError catches every kind).
import { encodeBase64Url, utf8 } from './base64url.ts';
import { checkEntry } from './links/check.ts';
import { clip, MAX_LINK, type ParsedLink } from './links/common.ts';
import { PortholeError } from './errors.ts';
import { parseShadowsocks, prefixText } from './links/shadowsocks.ts';
import { parseSocksOrHttp } from './links/socks-http.ts';
import { isTelegramLink, parseMtproto, parseTelegramSocks } from './links/telegram.ts';
import { parseTrojan } from './links/trojan.ts';
import { UNSUPPORTED_SCHEMES, unsupportedFromLink } from './links/unsupported.ts';
import { parseVless } from './links/vless.ts';
import { formatVmess, parseVmess } from './links/vmess.ts';

export { isLinkError, type ParsedLink } from './links/common.ts';
export { unsupportedReason } from './links/unsupported.ts';

/** Schemes a link may start with, for finding links inside a pasted message. */
export const LINK_SCHEMES = ['socks5', 'socks5h', 'socks', 'ss', 'ssconf', 'trojan', 'vless', 'vmess', 'tg', ...Object.keys(UNSUPPORTED_SCHEMES)] as const;

export function parseProxyLink(input: string): ParsedLink {
  const link = input.trim();
  if (link === '') throw new PortholeError('bad-link', 'the link is empty');
  if (link.length > MAX_LINK) throw new PortholeError('bad-link', `the link is longer than ${MAX_LINK} characters`);
  const colon = link.indexOf(':');
  const scheme = colon > 0 ? link.slice(0, colon).toLowerCase() : '';
  if (!/^[a-z][a-z0-9+.-]{0,31}$/.test(scheme)) {
    throw new PortholeError('bad-link', `"${clip(link)}" has no scheme: expected a link such as vless://, vmess://, trojan://, ss://, socks5://, http:// or tg://`);
  }
  return checkEntry(parseByScheme(link, scheme));
}

function parseByScheme(link: string, scheme: string): ParsedLink {
  const telegram = isTelegramLink(link);
  if (telegram === 'socks') return parseTelegramSocks(link);
  if (telegram === 'proxy') return parseMtproto(link);
  switch (scheme) {
    case 'socks5':
    case 'socks5h':
    case 'socks':
      return parseSocksOrHttp(link, 'socks5');
    case 'http':
    case 'https':
      return parseSocksOrHttp(link, scheme);
    case 'ss':
      return parseShadowsocks(link);
    case 'ssconf':
      return dynamicKey(link);
    case 'trojan':
      return parseTrojan(link);
    case 'vless':
      return parseVless(link);
    case 'vmess':
      return parseVmess(link);
    case 'tg':
      throw new PortholeError('bad-link', 'this tg:// link is not a proxy: expected tg://proxy or tg://socks');
    default: {
      const known = UNSUPPORTED_SCHEMES[scheme];
      if (known) return unsupportedFromLink(link, known);
      throw new PortholeError('bad-link', `unknown kind of link "${clip(scheme)}:": expected vless://, vmess://, trojan://, ss://, socks5://, http:// or tg://`);
    }
  }
}

function dynamicKey(link: string): never {
  const rest = link.slice(link.indexOf('://') + 3);
  if (rest === '') throw new PortholeError('bad-link', 'the ssconf:// key has no address');
  // An Outline dynamic key: its config must be fetched from `url` (https).
  throw new PortholeError('dynamic-key', 'this is an Outline dynamic key (ssconf://): its server is fetched from the address it names', { url: `https://${rest}` });
}

/** Formats an entry back as a link (first port). Used for sharing and display. */
export function formatProxyLink(entry: ParsedLink, options: { withCredentials?: boolean } = {}): string {
  const withCreds = options.withCredentials ?? true;
  const host = entry.host.includes(':') ? `[${entry.host}]` : entry.host;
  const port = entry.ports[0];
  const label = entry.label ? `#${encodeURIComponent(entry.label)}` : '';
  switch (entry.protocol) {
    case 'shadowsocks': {
      const info = withCreds ? `${encodeBase64Url(utf8(`${entry.method ?? ''}:${entry.password ?? ''}`))}@` : '';
      const query = new URLSearchParams();
      if (entry.prefix && withCreds) query.set('prefix', prefixText(entry.prefix));
      if (entry.transport?.type === 'ws') {
        const opts = ['v2ray-plugin', 'mode=websocket', ...(entry.tls ? ['tls'] : []), ...(entry.transport.host ?? entry.tls?.sni ? [`host=${entry.transport.host ?? entry.tls?.sni}`] : []), `path=${entry.transport.path ?? '/'}`];
        query.set('plugin', opts.join(';'));
      }
      const q = query.size > 0 ? `/?${query.toString().replace(/\+/g, '%20')}` : '';
      return `ss://${info}${host}:${port}${q}${label}`;
    }
    case 'trojan':
    case 'vless': {
      const cred = entry.protocol === 'trojan' ? encodeURIComponent(entry.password ?? '') : entry.uuid ?? '';
      const q = streamQuery(entry);
      return `${entry.protocol}://${withCreds ? `${cred}@` : ''}${host}:${port}${q ? `?${q}` : ''}${label}`;
    }
    case 'vmess':
      return withCreds ? formatVmess(entry) : `vmess://${host}:${port}${label}`;
    case 'mtproto':
      return `tg://proxy?server=${encodeURIComponent(entry.host)}&port=${port}${withCreds ? `&secret=${entry.secret ?? ''}` : ''}`;
    case 'unsupported':
      return withCreds && entry.link ? entry.link : `${entry.scheme ?? 'unknown'}://${host}:${port}${label}`;
    default: {
      const creds = withCreds && entry.username !== undefined
        ? `${encodeURIComponent(entry.username)}${entry.password !== undefined ? `:${encodeURIComponent(entry.password)}` : ''}@`
        : '';
      return `${entry.protocol}://${creds}${host}:${port}${label}`;
    }
  }
}

function streamQuery(e: ParsedLink): string {
  const q = new URLSearchParams();
  if (e.protocol === 'vless') q.set('encryption', 'none');
  q.set('security', e.tls ? 'tls' : 'none');
  if (e.tls?.sni) q.set('sni', e.tls.sni);
  if (e.tls?.alpn) q.set('alpn', e.tls.alpn.join(','));
  if (e.tls?.pinSha256) q.set('pinSha256', e.tls.pinSha256);
  if (e.tls?.insecure) q.set('allowInsecure', '1');
  q.set('type', e.transport?.type ?? 'tcp');
  if (e.transport?.host) q.set('host', e.transport.host);
  if (e.transport?.path) q.set('path', e.transport.path);
  return q.toString();
}

/**
 * A stable id for a server: the same protocol, host, first port and user give the same id. The
 * kinds added in 2026 also count their transport (one CDN host often fronts several paths).
 */
export function entryIdFor(link: ParsedLink): string {
  const base = `${link.protocol}|${link.host}|${link.ports[0]}|${link.username ?? ''}`;
  const more = ['socks5', 'http', 'https', 'shadowsocks'].includes(link.protocol) && !link.transport && !link.prefix
    ? ''
    : `|${link.transport?.type ?? ''}|${link.transport?.path ?? ''}|${link.transport?.host ?? ''}|${link.tls?.sni ?? ''}|${link.uuid ?? ''}|${link.scheme ?? ''}|${link.secret ?? ''}|${link.prefix ?? ''}`;
  const key = base + more;
  // FNV-1a, 2 × 32 bits with different offsets: stable, short, not a security property.
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x01000193 + 2) >>> 0;
  }
  const prefix = link.protocol === 'shadowsocks' ? 'ss' : link.protocol === 'unsupported' ? 'x' : link.protocol;
  return `${prefix}-${a.toString(16).padStart(8, '0')}${b.toString(16).padStart(4, '0').slice(0, 4)}`;
}
