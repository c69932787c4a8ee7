// socks5://, socks5h://, socks:// (v2rayN writes socks://BASE64(user:pass)@host:port) and
// http(s):// proxy links. A proxy link has no path.
import { clip, decode, decodeLooseBase64, parseHost, parseLabel, parsePort, splitHostPort, splitUrl, type ParsedLink } from './common.ts';
import { PortholeError } from '../errors.ts';

const DEFAULT_PORT = { socks5: 1080, http: 8080, https: 443 } as const;

export function parseSocksOrHttp(link: string, protocol: 'socks5' | 'http' | 'https'): ParsedLink {
  const url = splitUrl(link);
  if (url.path !== '' && url.path !== '/') throw new PortholeError('bad-link', `a ${protocol} proxy link has no path (found "${clip(url.path)}")`);
  const hp = splitHostPort(url.hostPort);
  const out: ParsedLink = { protocol, host: parseHost(hp.host), ports: [parsePort(hp.port, DEFAULT_PORT[protocol])] };
  if (url.userinfo !== undefined && url.userinfo !== '') {
    let userinfo = url.userinfo;
    if (protocol === 'socks5' && !userinfo.includes(':')) {
      const decoded = decodeLooseBase64(userinfo);
      if (decoded !== null && decoded.includes(':')) userinfo = encodeURIComponent(decoded.slice(0, decoded.indexOf(':'))) + ':' + encodeURIComponent(decoded.slice(decoded.indexOf(':') + 1));
    }
    const i = userinfo.indexOf(':');
    out.username = decode(i < 0 ? userinfo : userinfo.slice(0, i), 'user name');
    if (i >= 0) out.password = decode(userinfo.slice(i + 1), 'password');
  }
  const label = parseLabel(url.fragment);
  if (label) out.label = label;
  return out;
}
