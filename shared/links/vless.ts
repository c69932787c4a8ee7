// vless:// share links: vless://UUID@HOST:PORT?encryption=none&security=tls|none&type=tcp|ws&…#NAME.
// No flow (XTLS Vision) and no Reality: such links become 'unsupported' entries with the reason.
import { parseHost, parseLabel, parsePort, splitHostPort, splitUrl, type ParsedLink } from './common.ts';
import { PortholeError } from '../errors.ts';
import { readStream } from './stream-settings.ts';
import { streamParams } from './trojan.ts';
import { unsupportedEntry } from './unsupported.ts';

const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function parseVless(link: string): ParsedLink {
  const url = splitUrl(link);
  const uuid = (url.userinfo ?? '').trim();
  if (uuid === '') throw new PortholeError('bad-link', 'the vless:// link has no user id (vless://UUID@host:port)');
  const hp = splitHostPort(url.hostPort);
  const host = parseHost(hp.host);
  const port = parsePort(hp.port, 443);
  const label = parseLabel(url.fragment);
  const q = url.query;
  const unsupported = (feature: string) => unsupportedEntry({ link, scheme: `vless+${feature}`, host, port, label });
  if ((q.get('security') ?? '').toLowerCase() === 'reality' || q.has('pbk')) return unsupported('reality');
  const flow = (q.get('flow') ?? '').trim();
  if (flow !== '' && flow !== 'none') return unsupported('flow');
  const encryption = (q.get('encryption') ?? 'none').trim().toLowerCase();
  if (encryption !== 'none' && encryption !== '') return unsupported('encryption');
  if (!UUID_RE.test(uuid)) throw new PortholeError('bad-link', `the vless:// user id is not a UUID ("${uuid.slice(0, 40)}")`);
  const stream = readStream(streamParams(q), false);
  if (!stream.ok) return unsupported(stream.feature);
  const out: ParsedLink = { protocol: 'vless', host, ports: [port], uuid: uuid.toLowerCase() };
  if (stream.transport) out.transport = stream.transport;
  if (stream.tls) out.tls = stream.tls;
  if (label) out.label = label;
  return out;
}
