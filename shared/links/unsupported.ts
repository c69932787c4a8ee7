// Servers Porthole recognises but cannot speak yet (Reality, Hysteria2, TUIC, WireGuard, …):
// kept as 'unsupported' entries with the link they came from and a plain reason, never dropped
// and never dialled.
import { clip, cleanLabel, MAX_LINK, parseHost, parsePort, splitHostPort, splitUrl, type ParsedLink } from './common.ts';
import { PortholeError } from '../errors.ts';

/** Link schemes that name a known proxy protocol Porthole does not speak; value: its usual name. */
export const UNSUPPORTED_SCHEMES: Record<string, string> = {
  hysteria2: 'hysteria2',
  hy2: 'hysteria2',
  hysteria: 'hysteria',
  tuic: 'tuic',
  wireguard: 'wireguard',
  wg: 'wireguard',
  ssr: 'shadowsocksr',
  juicity: 'juicity',
  anytls: 'anytls',
  snell: 'snell',
  naive: 'naive',
  'naive+https': 'naive',
  'naive+quic': 'naive',
  mieru: 'mieru',
  brook: 'brook',
  ssh: 'ssh',
  socks4: 'socks4',
  socks4a: 'socks4',
  shadowtls: 'shadowtls',
};

/** Why an entry of this kind cannot be used: a short English phrase after "needs …". */
export function unsupportedReason(scheme: string | undefined): string {
  const s = scheme ?? 'unknown';
  if (s === 'vmess+alterid') return 'legacy VMess (alterId above 0), which Porthole does not speak; ask for an AEAD (alterId 0) link';
  if (s === 'socks4') return 'SOCKS4, which Porthole does not speak; ask for a socks5:// link';
  if (s.endsWith('+reality')) return `${s.replace(/\+reality$/, '')} with Reality, a protocol Porthole doesn't speak yet`;
  if (s.includes('+')) {
    const [proto, extra] = [s.slice(0, s.indexOf('+')), s.slice(s.indexOf('+') + 1)];
    return `${proto} with ${extra}, which Porthole doesn't speak yet`;
  }
  return `${s}, a protocol Porthole doesn't speak yet`;
}

/** An unsupported entry for `link`; host and port come from the link's authority when it has one. */
export function unsupportedFromLink(link: string, scheme: string, fallbackPort = 443): ParsedLink {
  if (link.length > MAX_LINK) throw new PortholeError('bad-link', `the ${scheme} link is longer than ${MAX_LINK} characters`);
  const url = splitUrl(link);
  const hp = splitHostPort(url.hostPort);
  let host: string;
  try {
    host = parseHost(hp.host);
  } catch {
    throw new PortholeError('bad-link', `this ${scheme} link has no readable server address ("${clip(url.hostPort)}")`);
  }
  return unsupportedEntry({ link, scheme, host, port: parsePort(hp.port, fallbackPort), label: url.fragment === undefined ? undefined : safeLabel(url.fragment) });
}

export function unsupportedEntry(options: { link: string; scheme: string; host: string; port: number; label?: string | undefined }): ParsedLink {
  const out: ParsedLink = {
    protocol: 'unsupported',
    host: options.host,
    ports: [options.port],
    link: options.link.slice(0, MAX_LINK),
    scheme: options.scheme.slice(0, 32),
  };
  if (options.label) out.label = options.label;
  return out;
}

function safeLabel(fragment: string): string | undefined {
  try {
    return cleanLabel(decodeURIComponent(fragment));
  } catch {
    return cleanLabel(fragment);
  }
}
