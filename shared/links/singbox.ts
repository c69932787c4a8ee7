// sing-box JSON `outbounds` → entries. Routing outbounds (direct, block, dns, selector, urltest)
// are not servers and are passed over; kinds Porthole cannot speak become 'unsupported' entries.
import { cleanLabel, type ParsedLink } from './common.ts';
import { PortholeError } from '../errors.ts';
import { asLink, asObj, bool, serverOf, str, strList, type Obj } from './config-values.ts';
import { shadowsocksEntry } from './shadowsocks.ts';
import { readStream, type StreamInput } from './stream-settings.ts';
import { UNSUPPORTED_SCHEMES, unsupportedEntry } from './unsupported.ts';
import { vmessEntry } from './vmess.ts';

const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
export const ROUTING_OUTBOUNDS = new Set(['direct', 'block', 'dns', 'selector', 'urltest', 'tor']);

export function singboxOutbound(item: unknown): ParsedLink {
  const o = asObj(item);
  if (!o) throw new PortholeError('bad-link', 'the outbound is not an object');
  const type = (str(o.type) ?? '').toLowerCase();
  if (type === '') throw new PortholeError('bad-link', 'the outbound has no type');
  const first = asObj(Array.isArray(o.peers) ? o.peers[0] : undefined);
  const { host, port } = serverOf(o.server ?? first?.server, o.server_port ?? first?.server_port);
  const label = cleanLabel(str(o.tag));
  const link = asLink('sing-box:', o);
  const unsupported = (scheme: string) => unsupportedEntry({ link, scheme, host, port, label });
  const withLabel = (e: ParsedLink): ParsedLink => (label && e.protocol !== 'unsupported' ? { ...e, label } : e);
  const tls = asObj(o.tls);
  if (tls && asObj(tls.reality) && bool(asObj(tls.reality)!.enabled)) return unsupported(`${type}+reality`.slice(0, 32));
  switch (type) {
    case 'shadowsocks': {
      const plugin = str(o.plugin);
      if (plugin) return unsupported(`ss+${plugin}`.slice(0, 32));
      return shadowsocksEntry({ link, host, port, method: str(o.method), password: str(o.password), label });
    }
    case 'vmess':
      return vmessEntry({ link, server: str(o.server), port, uuid: str(o.uuid), alterId: str(o.alter_id), security: str(o.security), label: str(o.tag), stream: stream(o) });
    case 'vless': {
      const flow = str(o.flow) ?? '';
      if (flow !== '') return unsupported('vless+flow');
      const uuid = (str(o.uuid) ?? '').trim();
      if (!UUID_RE.test(uuid)) throw new PortholeError('bad-link', 'the vless outbound\'s uuid is not a UUID');
      const s = readStream(stream(o), false);
      if (!s.ok) return unsupported(`vless+${s.feature}`);
      return withLabel({ protocol: 'vless', host, ports: [port], uuid: uuid.toLowerCase(), ...(s.transport ? { transport: s.transport } : {}), ...(s.tls ? { tls: s.tls } : {}) });
    }
    case 'trojan': {
      const password = str(o.password);
      if (!password) throw new PortholeError('bad-link', 'the trojan outbound has no password');
      const s = readStream(stream(o), false);
      if (!s.ok) return unsupported(`trojan+${s.feature}`);
      if (!s.tls) return unsupported('trojan+no-tls');
      return withLabel({ protocol: 'trojan', host, ports: [port], password, tls: s.tls, ...(s.transport ? { transport: s.transport } : {}) });
    }
    case 'socks':
    case 'http': {
      if (type === 'socks' && str(o.version) !== undefined && str(o.version) !== '5') return unsupported('socks4');
      const s = readStream(stream(o), false);
      const protocol = type === 'socks' ? 'socks5' : s.ok && s.tls ? 'https' : 'http';
      if (type === 'socks' && s.ok && s.tls) return unsupported('socks5+tls');
      const out: ParsedLink = { protocol, host, ports: [port] };
      const user = str(o.username);
      const pass = str(o.password);
      if (user) out.username = user;
      if (pass) out.password = pass;
      if (protocol === 'https' && s.ok && s.tls && Object.keys(s.tls).length > 0) out.tls = s.tls;
      return withLabel(out);
    }
    default:
      return unsupported(UNSUPPORTED_SCHEMES[type] ?? type.slice(0, 32));
  }
}

function stream(o: Obj): StreamInput {
  const tls = asObj(o.tls);
  const transport = asObj(o.transport);
  const headers = asObj(transport?.headers) ?? {};
  const hostHeader = headers.Host ?? headers.host;
  return {
    network: str(transport?.type) ?? 'tcp',
    path: str(transport?.path),
    wsHost: Array.isArray(hostHeader) ? str(hostHeader[0]) : str(hostHeader),
    security: tls && bool(tls.enabled) ? 'tls' : 'none',
    sni: str(tls?.server_name),
    alpn: strList(tls?.alpn),
    insecure: bool(tls?.insecure),
  };
}
