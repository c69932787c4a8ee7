// Upstream connectors: pick the implementation for a list entry and one of its ports.
import type { Entry } from '../../../../shared/entry.ts';
import { upstreamIdFor } from '../../../../shared/server-id.ts';
import { DirectUpstream } from './direct.ts';
import type { TlsClientOptions } from './guard.ts';
import type { LayerSettings } from './layers.ts';
import { HttpConnectUpstream } from './http-connect.ts';
import { ShadowsocksUpstream } from './shadowsocks.ts';
import type { CipherProvider } from './shadowsocks-crypto.ts';
import { Socks5Upstream } from './socks5.ts';
import { TrojanUpstream } from './trojan.ts';
import type { Upstream } from './types.ts';
import { VlessUpstream } from './vless.ts';
import { VmessUpstream } from './vmess.ts';

export { isUpstreamError } from './types.ts';
export type { ConnectOptions, UpstreamError, Destination, UdpRelay, Upstream, UpstreamErrorKind, UpstreamErrorStage } from './types.ts';
export { DirectUpstream, DIRECT_ID } from './direct.ts';
export { Socks5Upstream } from './socks5.ts';
export { HttpConnectUpstream } from './http-connect.ts';
export { ShadowsocksUpstream } from './shadowsocks.ts';
export { TrojanUpstream } from './trojan.ts';
export { VlessUpstream } from './vless.ts';
export { VmessUpstream } from './vmess.ts';
export { certificatePin } from './layers.ts';
export { DEFAULT_CONNECT_TIMEOUT_MS } from './guard.ts';
export { DEFAULT_FIRST_REPLY_TIMEOUT_MS } from './shadowsocks-stream.ts';
export { CipherProvider, getDefaultProvider } from './shadowsocks-crypto.ts';
export type { TlsClientOptions } from './guard.ts';
export { toUpstreamError, kindForCode } from './errors.ts';

export interface UpstreamForOptions {
  /** For entries with TLS: extra CAs, or (tests only) no certificate check. The entry's own settings
   * (SNI, ALPN, pinned certificate, insecure) come first. */
  tls?: TlsClientOptions;
  /** For 'shadowsocks' entries. */
  shadowsocks?: { headerDelayMs?: number; firstReplyTimeoutMs?: number; provider?: CipherProvider };
}

/** Stable id of one port of an entry: "<entry id>:<port>" (shared/server-id.ts). */
export function upstreamId(entry: Pick<Entry, 'id'>, port: number): string {
  return upstreamIdFor(entry.id, port);
}

/** The transport layers (TLS, WebSocket) of an entry. */
function layers(entry: Entry, port: number, options: UpstreamForOptions): LayerSettings {
  return { host: entry.host, port, tls: entry.tls, transport: entry.transport, extraTls: options.tls };
}

/** The connector for `entry` on `port` (one of entry.ports). */
export function upstreamFor(entry: Entry, port: number, options: UpstreamForOptions = {}): Upstream {
  if (!entry.ports.includes(port)) throw new Error(`port ${port} is not one of entry ${entry.id}'s ports`);
  const id = upstreamId(entry, port);
  const { host, username, password } = entry;
  switch (entry.protocol) {
    case 'socks5':
      return new Socks5Upstream({ id, host, port, username, password });
    case 'http':
    case 'https':
      return new HttpConnectUpstream({ id, host, port, tls: entry.protocol === 'https', username, password, ...(options.tls ? { tlsOptions: options.tls } : {}) });
    case 'shadowsocks':
      if (!entry.method || entry.password === undefined) throw new Error(`shadowsocks entry ${entry.id} needs a method and a password`);
      return new ShadowsocksUpstream({
        id, ...layers(entry, port, options), method: entry.method, password: entry.password,
        ...(entry.prefix ? { saltPrefix: Buffer.from(entry.prefix, 'base64url') } : {}), ...options.shadowsocks,
      });
    case 'trojan':
      if (entry.password === undefined) throw new Error(`trojan entry ${entry.id} needs a password`);
      return new TrojanUpstream({ id, ...layers(entry, port, options), password: entry.password });
    case 'vless':
      if (!entry.uuid) throw new Error(`vless entry ${entry.id} needs a user id`);
      return new VlessUpstream({ id, ...layers(entry, port, options), uuid: entry.uuid });
    case 'vmess':
      if (!entry.uuid) throw new Error(`vmess entry ${entry.id} needs a user id`);
      return new VmessUpstream({ id, ...layers(entry, port, options), uuid: entry.uuid, security: entry.security });
    case 'mtproto':
    case 'unsupported':
      throw new Error(`${entry.protocol} entries are never bridged (entry ${entry.id})`);
  }
}

/** A direct (unproxied) connector. */
export function directUpstream(): Upstream {
  return new DirectUpstream();
}
