// Clash / mihomo YAML `proxies:` items → entries. Kinds Porthole cannot speak become
// 'unsupported' entries; each item's problem names the item.
import { cleanLabel, type ParsedLink } from './common.ts';
import { PortholeError } from '../errors.ts';
import { asLink, asObj, bool, serverOf, str, strList, type Obj } from './config-values.ts';
import { shadowsocksEntry } from './shadowsocks.ts';
import { readStream, type StreamInput } from './stream-settings.ts';
import { UNSUPPORTED_SCHEMES, unsupportedEntry } from './unsupported.ts';
import { vmessEntry } from './vmess.ts';

const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function clashProxy(item: unknown): ParsedLink {
  const o = asObj(item);
  if (!o) throw new PortholeError('bad-link', 'the proxy is not a mapping of name, type, server, port');
  const type = (str(o.type) ?? '').toLowerCase();
  if (type === '') throw new PortholeError('bad-link', 'the proxy has no type');
  const { host, port } = serverOf(o.server, o.port);
  const label = cleanLabel(str(o.name));
  const link = asLink('clash:', o);
  const unsupported = (scheme: string) => unsupportedEntry({ link, scheme, host, port, label });
  const withLabel = (e: ParsedLink): ParsedLink => (label && e.protocol !== 'unsupported' ? { ...e, label } : e);
  switch (type) {
    case 'ss': {
      const plugin = str(o.plugin);
      const entry = shadowsocksEntry({ link, host, port, method: str(o.cipher), password: str(o.password), label, prefix: undefined });
      if (!plugin || entry.protocol !== 'shadowsocks') return entry;
      const opts = asObj(o['plugin-opts']) ?? {};
      if (plugin !== 'v2ray-plugin' || (str(opts.mode) ?? 'websocket') !== 'websocket') return unsupported(`ss+${plugin}`.slice(0, 32));
      const stream = readStream({ network: 'ws', path: str(opts.path), wsHost: str(opts.host), security: bool(opts.tls) ? 'tls' : 'none', sni: str(opts.host), insecure: bool(opts['skip-cert-verify']) }, false);
      if (!stream.ok) return unsupported(`ss+${plugin}`);
      return { ...entry, ...(stream.transport ? { transport: stream.transport } : {}), ...(stream.tls ? { tls: stream.tls } : {}) };
    }
    case 'vmess':
      return vmessEntry({ link, server: str(o.server), port, uuid: str(o.uuid), alterId: str(o.alterId), security: str(o.cipher), label: str(o.name), stream: clashStream(o, false) });
    case 'vless': {
      if (asObj(o['reality-opts'])) return unsupported('vless+reality');
      const flow = str(o.flow) ?? '';
      if (flow !== '') return unsupported('vless+flow');
      const uuid = (str(o.uuid) ?? '').trim();
      if (!UUID_RE.test(uuid)) throw new PortholeError('bad-link', 'the vless proxy\'s uuid is not a UUID');
      const stream = readStream(clashStream(o, false), false);
      if (!stream.ok) return unsupported(`vless+${stream.feature}`);
      return withLabel({ protocol: 'vless', host, ports: [port], uuid: uuid.toLowerCase(), ...streamFields(stream) });
    }
    case 'trojan': {
      const password = str(o.password);
      if (!password) throw new PortholeError('bad-link', 'the trojan proxy has no password');
      const stream = readStream({ ...clashStream(o, true), sni: str(o.sni) ?? str(o.servername) }, true);
      if (!stream.ok) return unsupported(`trojan+${stream.feature}`);
      return withLabel({ protocol: 'trojan', host, ports: [port], password, tls: stream.tls ?? {}, ...(stream.transport ? { transport: stream.transport } : {}) });
    }
    case 'socks5':
    case 'http': {
      if (bool(o.tls) && type === 'socks5') return unsupported('socks5+tls');
      const protocol = type === 'http' && bool(o.tls) ? 'https' : type;
      const out: ParsedLink = { protocol, host, ports: [port] };
      const user = str(o.username);
      const pass = str(o.password);
      if (user) out.username = user;
      if (pass) out.password = pass;
      if (protocol === 'https') {
        const stream = readStream({ security: 'tls', sni: str(o.sni), insecure: bool(o['skip-cert-verify']), pin: str(o.fingerprint) }, false);
        if (stream.ok && stream.tls && Object.keys(stream.tls).length > 0) out.tls = stream.tls;
      }
      return withLabel(out);
    }
    default:
      return unsupported(UNSUPPORTED_SCHEMES[type] ?? type.slice(0, 32));
  }
}

function clashStream(o: Obj, tlsByDefault: boolean): StreamInput {
  const ws = asObj(o['ws-opts']) ?? {};
  const headers = asObj(ws.headers) ?? {};
  const tls = o.tls === undefined ? tlsByDefault : bool(o.tls);
  return {
    network: str(o.network) ?? 'tcp',
    path: str(ws.path) ?? str(o['ws-path']),
    wsHost: str(headers.Host) ?? str(headers.host),
    security: tls ? 'tls' : 'none',
    sni: str(o.servername) ?? str(o.sni),
    alpn: strList(o.alpn),
    insecure: bool(o['skip-cert-verify']),
    pin: str(o.fingerprint),
  };
}

function streamFields(stream: { transport?: ParsedLink['transport']; tls?: ParsedLink['tls'] }): Partial<ParsedLink> {
  return { ...(stream.transport ? { transport: stream.transport } : {}), ...(stream.tls ? { tls: stream.tls } : {}) };
}
