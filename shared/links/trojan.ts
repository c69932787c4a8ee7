// trojan:// share links: trojan://PASSWORD@HOST:PORT?security=tls&sni=…&type=ws&host=…&path=…#NAME
// (the form v2rayN, Xray and the common panels write). Always TLS unless the link says otherwise.
import { decode, parseHost, parseLabel, parsePort, splitHostPort, splitUrl, truthy, type ParsedLink } from './common.ts';
import { PortholeError } from '../errors.ts';
import { readStream, type StreamInput } from './stream-settings.ts';
import { unsupportedEntry } from './unsupported.ts';

export function parseTrojan(link: string): ParsedLink {
  const url = splitUrl(link);
  if (url.userinfo === undefined || url.userinfo === '') throw new PortholeError('bad-link', 'the trojan:// link has no password (trojan://PASSWORD@host:port)');
  const hp = splitHostPort(url.hostPort);
  const host = parseHost(hp.host);
  const port = parsePort(hp.port, 443);
  const label = parseLabel(url.fragment);
  const q = url.query;
  const stream = readStream(streamParams(q), true);
  if (!stream.ok) return unsupportedEntry({ link, scheme: `trojan+${stream.feature}`, host, port, label });
  const out: ParsedLink = { protocol: 'trojan', host, ports: [port], password: decode(url.userinfo, 'password'), tls: stream.tls ?? {} };
  if (stream.transport) out.transport = stream.transport;
  if (label) out.label = label;
  return out;
}

/** The query parameters v2rayN/Xray links use for transport and TLS (trojan, vless). */
export function streamParams(q: URLSearchParams): StreamInput {
  return {
    network: q.get('type') ?? undefined,
    headerType: q.get('headerType') ?? undefined,
    path: q.get('path') ?? undefined,
    wsHost: q.get('host') ?? undefined,
    security: q.get('security') ?? undefined,
    sni: q.get('sni') ?? q.get('peer') ?? undefined,
    alpn: q.get('alpn') ?? undefined,
    insecure: truthy(q.get('allowInsecure')) || truthy(q.get('insecure')),
    pin: q.get('pinSha256') ?? q.get('pcs') ?? undefined,
  };
}
