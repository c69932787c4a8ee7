// Outline access-key configs, as an ssconf:// address answers or a person pastes them:
//   legacy JSON {server, server_port, password, method, prefix}
//   YAML/JSON transport form: transport: {$type: tcpudp, tcp: {$type: shadowsocks, endpoint, cipher,
//     secret, prefix}}, where endpoint is "host:port", {$type: dial, address} or
//     {$type: websocket, url: wss://…} (Shadowsocks over WebSocket).
//   {error: {message}}: the provider's message, shown to the person as is.
import { cleanLabel, clip, parseHost, parsePort, splitHostPort, splitUrl, type ParsedLink } from './common.ts';
import { PortholeError } from '../errors.ts';
import { asLink, asObj, serverOf, str, type Obj } from './config-values.ts';
import { shadowsocksEntry } from './shadowsocks.ts';
import { readStream } from './stream-settings.ts';
import { unsupportedEntry } from './unsupported.ts';

/** The provider answered with an error message for the person ('provider-message', shown as it wrote it). */
function providerMessage(message: string): PortholeError {
  return new PortholeError('provider-message', `the key's provider says: ${message}`);
}

/** Whether a parsed JSON/YAML value looks like an Outline config (so callers can pick this reader). */
export function isOutlineConfig(value: unknown): boolean {
  const o = asObj(value);
  if (!o) return false;
  return o.transport !== undefined || asObj(o.error) !== undefined || (o.server !== undefined && o.server_port !== undefined && o.method !== undefined);
}

export function outlineConfig(value: unknown, label?: string): ParsedLink {
  const o = asObj(value);
  if (!o) throw new PortholeError('bad-link', 'the Outline key is not a config object');
  const error = asObj(o.error);
  if (error) throw providerMessage(cleanLabel(str(error.message)) ?? 'an error without a message');
  const link = asLink('outline:', o);
  if (o.transport === undefined) {
    const { host, port } = serverOf(o.server, o.server_port);
    return shadowsocksEntry({ link, host, port, method: str(o.method), password: str(o.password), prefix: str(o.prefix), label });
  }
  const transport = asObj(o.transport);
  if (!transport) throw new PortholeError('bad-link', 'the Outline key\'s transport is not a mapping');
  const type = str(transport.$type) ?? 'shadowsocks';
  if (type === 'tcpudp') return dialer(asObj(transport.tcp), link, label);
  return dialer(transport, link, label);
}

function dialer(d: Obj | undefined, link: string, label: string | undefined): ParsedLink {
  if (!d) throw new PortholeError('bad-link', 'the Outline key has no tcp dialer');
  const type = str(d.$type) ?? 'shadowsocks';
  if (type !== 'shadowsocks') throw new PortholeError('bad-link', `the Outline key uses a "${clip(type)}" dialer, which Porthole doesn't speak yet`);
  const endpoint = d.endpoint;
  const common = { link, method: str(d.cipher), password: str(d.secret), prefix: str(d.prefix), label };
  if (typeof endpoint === 'string') {
    const hp = splitHostPort(endpoint.trim());
    return shadowsocksEntry({ ...common, host: parseHost(hp.host), port: parsePort(hp.port, null) });
  }
  const e = asObj(endpoint);
  if (!e) throw new PortholeError('bad-link', 'the Outline key has no endpoint');
  const kind = str(e.$type) ?? 'dial';
  if (kind === 'dial') {
    const hp = splitHostPort((str(e.address) ?? '').trim());
    return shadowsocksEntry({ ...common, host: parseHost(hp.host), port: parsePort(hp.port, null) });
  }
  if (kind === 'websocket') return overWebSocket(str(e.url) ?? '', common);
  const at = addressOf(e);
  if (at) return unsupportedEntry({ link, scheme: `outline+${kind}`.slice(0, 32), host: at.host, port: at.port, label });
  throw new PortholeError('bad-link', `the Outline key's endpoint "${clip(kind)}" is not one Porthole speaks yet`);
}

function overWebSocket(url: string, common: { link: string; method: string | undefined; password: string | undefined; prefix: string | undefined; label: string | undefined }): ParsedLink {
  if (!url.startsWith('wss://') && !url.startsWith('ws://')) throw new PortholeError('bad-link', 'the Outline key\'s websocket url is not ws:// or wss://');
  const u = splitUrl(url);
  const hp = splitHostPort(u.hostPort);
  const host = parseHost(hp.host);
  const secure = u.scheme === 'wss';
  const port = parsePort(hp.port, secure ? 443 : 80);
  const path = (u.path || '/') + (u.rawQuery ? `?${u.rawQuery}` : '');
  const stream = readStream({ network: 'ws', path, security: secure ? 'tls' : 'none' }, false);
  const entry = shadowsocksEntry({ ...common, host, port });
  if (!stream.ok || entry.protocol !== 'shadowsocks') return entry;
  return { ...entry, ...(stream.transport ? { transport: stream.transport } : {}), ...(stream.tls ? { tls: stream.tls } : {}) };
}

function addressOf(e: Obj): { host: string; port: number } | null {
  try {
    const hp = splitHostPort((str(e.address) ?? str(e.endpoint) ?? '').trim());
    return { host: parseHost(hp.host), port: parsePort(hp.port, null) };
  } catch {
    return null;
  }
}
