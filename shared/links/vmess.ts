// vmess:// share links in v2rayN's form: vmess://BASE64(JSON {v, ps, add, port, id, aid, scy,
// net, type, host, path, tls, sni, alpn}). AEAD only: alterId above 0 is legacy VMess and becomes an
// 'unsupported' entry with that reason.
import { VMESS_SECURITY, type VmessSecurity } from '../entry.ts';
import { cleanLabel, clip, decodeLooseBase64, MAX_LINK, parseHost, parsePort, truthy, type ParsedLink } from './common.ts';
import { PortholeError } from '../errors.ts';
import { readStream, type StreamInput } from './stream-settings.ts';
import { unsupportedEntry } from './unsupported.ts';

const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function parseVmess(link: string): ParsedLink {
  const body = link.slice(link.indexOf('://') + 3);
  const hash = body.indexOf('#');
  const encoded = (hash >= 0 ? body.slice(0, hash) : body).trim();
  if (encoded.length > MAX_LINK) throw new PortholeError('bad-link', `the vmess:// link is longer than ${MAX_LINK} characters`);
  const text = decodeLooseBase64(encoded);
  if (text === null) throw new PortholeError('bad-link', 'the vmess:// link is not base64 of a JSON object (v2rayN form)');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new PortholeError('bad-link', 'the vmess:// link does not hold JSON (v2rayN form: vmess://BASE64 of {"add":…,"port":…,"id":…})');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new PortholeError('bad-link', 'the vmess:// link\'s JSON is not an object');
  const o = json as Record<string, unknown>;
  return vmessEntry({
    link,
    server: str(o.add),
    port: num(o.port),
    uuid: str(o.id),
    alterId: num(o.aid),
    security: str(o.scy),
    label: str(o.ps),
    stream: {
      network: str(o.net),
      headerType: str(o.type),
      path: str(o.path),
      wsHost: str(o.host),
      security: str(o.tls),
      sni: str(o.sni),
      alpn: str(o.alpn),
      insecure: truthy(str(o.allowInsecure)) || truthy(str(o['skip-cert-verify'])),
      pin: str(o.pinSha256),
    },
  });
}

export interface VmessFields {
  link: string;
  server: string | undefined;
  port: string | number | undefined;
  uuid: string | undefined;
  alterId: string | number | undefined;
  security: string | undefined;
  label: string | undefined;
  stream: StreamInput;
}

/** The VMess entry for fields read from a link, a Clash proxy or a sing-box outbound. */
export function vmessEntry(f: VmessFields): ParsedLink {
  if (!f.server) throw new PortholeError('bad-link', 'the VMess server has no address');
  const host = parseHost(f.server.includes(':') && !f.server.startsWith('[') ? `[${f.server}]` : f.server);
  const port = parsePort(f.port, null);
  const label = cleanLabel(f.label);
  const aid = Number(f.alterId ?? 0);
  if (Number.isFinite(aid) && aid > 0) return unsupportedEntry({ link: f.link, scheme: 'vmess+alterid', host, port, label });
  const uuid = (f.uuid ?? '').trim();
  if (!UUID_RE.test(uuid)) throw new PortholeError('bad-link', `the VMess user id is not a UUID ("${clip(uuid)}")`);
  const security = (f.security ?? 'auto').trim().toLowerCase() || 'auto';
  if (!(VMESS_SECURITY as readonly string[]).includes(security)) {
    throw new PortholeError('bad-link', `VMess cipher "${clip(security)}" is not supported: use ${VMESS_SECURITY.join(', ')}`);
  }
  const stream = readStream(f.stream, false);
  if (!stream.ok) return unsupportedEntry({ link: f.link, scheme: `vmess+${stream.feature}`, host, port, label });
  const out: ParsedLink = { protocol: 'vmess', host, ports: [port], uuid: uuid.toLowerCase() };
  if (security !== 'auto') out.security = security as VmessSecurity;
  if (stream.transport) out.transport = stream.transport;
  if (stream.tls) out.tls = stream.tls;
  if (label) out.label = label;
  return out;
}

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function num(v: unknown): string | number | undefined {
  return typeof v === 'number' || typeof v === 'string' ? v : undefined;
}

/** The v2rayN JSON of an entry (formatting back). */
export function formatVmess(e: ParsedLink): string {
  const json = {
    v: '2',
    ps: e.label ?? '',
    add: e.host,
    port: String(e.ports[0]),
    id: e.uuid ?? '',
    aid: '0',
    scy: e.security ?? 'auto',
    net: e.transport?.type ?? 'tcp',
    type: 'none',
    host: e.transport?.host ?? '',
    path: e.transport?.path ?? '',
    tls: e.tls ? 'tls' : '',
    sni: e.tls?.sni ?? '',
    alpn: e.tls?.alpn?.join(',') ?? '',
    ...(e.tls?.insecure ? { allowInsecure: '1' } : {}),
    ...(e.tls?.pinSha256 ? { pinSha256: e.tls.pinSha256 } : {}),
  };
  return `vmess://${btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(json))))}`;
}
