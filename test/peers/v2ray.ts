// Debian's v2ray (4.x, v4 JSON config) as a real peer: one process with any number of inbounds
// (VMess with alterId 0, VLESS without flow, Trojan, Shadowsocks; over TCP or WebSocket, with or without
// TLS), all on 127.0.0.1 free ports. The freedom outbound binds to 127.0.0.1 and names are resolved from
// the peer's private /etc/hosts (UPSTREAM_ONLY_HOST works). Also a v2ray *client* (SOCKS inbound → one
// outbound) for the benchmarks: the reference implementation measured against our bridge.
import fs from 'node:fs';
import path from 'node:path';
import { BINARIES } from './binaries.ts';
import { writeCertificate } from './certs.ts';
import type { NamedCertificate } from './certs.ts';
import { freePort, LOOPBACK } from './free-port.ts';
import { makePeerDir, startPeer } from './process.ts';
import type { Peer } from './process.ts';
import { waitForAccept } from './wait.ts';

export type V2rayProtocol = 'vmess' | 'vless' | 'trojan' | 'shadowsocks';

export interface V2rayInbound {
  /** Names the inbound in `ports`. */
  tag: string;
  protocol: V2rayProtocol;
  network?: 'tcp' | 'ws';
  /** WebSocket path (default "/"). */
  path?: string;
  /** TLS on this inbound with this certificate. */
  tls?: NamedCertificate;
  /** vmess, vless: the user id. */
  uuid?: string;
  /** trojan, shadowsocks. */
  password?: string;
  /** shadowsocks cipher. */
  method?: string;
}

export interface V2rayPeer extends Peer {
  /** Port of each inbound by tag. */
  readonly ports: Readonly<Record<string, number>>;
}

interface StreamSpec {
  network?: 'tcp' | 'ws' | undefined;
  path?: string | undefined;
  host?: string | undefined;
  tls?: { certFiles?: { keyFile: string; certFile: string }; serverName?: string; allowInsecure?: boolean } | undefined;
}

function streamSettings(spec: StreamSpec): Record<string, unknown> {
  const out: Record<string, unknown> = { network: spec.network ?? 'tcp' };
  if (spec.network === 'ws') out['wsSettings'] = { path: spec.path ?? '/', ...(spec.host ? { headers: { Host: spec.host } } : {}) };
  if (spec.tls) {
    out['security'] = 'tls';
    out['tlsSettings'] = {
      ...(spec.tls.certFiles ? { certificates: [{ certificateFile: spec.tls.certFiles.certFile, keyFile: spec.tls.certFiles.keyFile }] } : {}),
      ...(spec.tls.serverName ? { serverName: spec.tls.serverName } : {}),
      ...(spec.tls.allowInsecure ? { allowInsecure: true } : {}),
      alpn: ['http/1.1'],
    };
  }
  return out;
}

function inboundSettings(inbound: V2rayInbound): Record<string, unknown> {
  switch (inbound.protocol) {
    case 'vmess':
      return { clients: [{ id: inbound.uuid, alterId: 0 }] };
    case 'vless':
      return { clients: [{ id: inbound.uuid }], decryption: 'none' };
    case 'trojan':
      return { clients: [{ password: inbound.password }] };
    case 'shadowsocks':
      return { method: inbound.method, password: inbound.password, network: 'tcp' };
  }
}

async function run(name: string, dir: string, config: Record<string, unknown>, port: number): Promise<Peer> {
  const file = path.join(dir, 'config.json');
  fs.writeFileSync(file, JSON.stringify(config, null, 2), { mode: 0o644 });
  return startPeer({ name, binary: BINARIES.v2ray, args: ['-config', file], port, dir, readyTimeoutMs: 20_000 });
}

const BASE = {
  log: { loglevel: 'warning', access: 'none' },
  outbounds: [{ protocol: 'freedom', sendThrough: LOOPBACK, settings: { domainStrategy: 'AsIs' } }],
};

export async function startV2ray(inbounds: readonly V2rayInbound[]): Promise<V2rayPeer> {
  if (inbounds.length === 0) throw new Error('startV2ray: no inbounds');
  const dir = makePeerDir('v2ray');
  const ports: Record<string, number> = {};
  const config = {
    ...BASE,
    inbounds: await Promise.all(inbounds.map(async (inbound, i) => {
      const port = await freePort();
      ports[inbound.tag] = port;
      const certFiles = inbound.tls ? writeCertificate(dir, inbound.tls, `in${i}-`) : undefined;
      return {
        tag: inbound.tag,
        listen: LOOPBACK,
        port,
        protocol: inbound.protocol,
        settings: inboundSettings(inbound),
        streamSettings: streamSettings({ network: inbound.network, path: inbound.path, tls: certFiles ? { certFiles } : undefined }),
      };
    })),
  };
  const first = inbounds[0] as V2rayInbound;
  const peer = await run(`v2ray(${inbounds.map((i) => i.tag).join(',')})`, dir, config, ports[first.tag] as number);
  try {
    for (const port of Object.values(ports)) await waitForAccept(LOOPBACK, port, 10_000, () => (peer.exited() ? `v2ray exited:\n${peer.output()}` : null));
  } catch (err) {
    await peer.stop();
    throw err;
  }
  return { ...peer, ports };
}

/** The server a v2ray client talks to, as v2ray's own outbound settings. */
export interface V2rayOutbound {
  protocol: V2rayProtocol;
  host: string;
  port: number;
  uuid?: string;
  password?: string;
  method?: string;
  /** vmess body cipher. */
  security?: string;
  network?: 'tcp' | 'ws';
  path?: string;
  /** WebSocket Host header. */
  wsHost?: string;
  /** TLS with this SNI; certificate checks off (self-signed test peers). */
  tls?: { serverName: string };
}

function outboundSettings(o: V2rayOutbound): Record<string, unknown> {
  switch (o.protocol) {
    case 'vmess':
      return { vnext: [{ address: o.host, port: o.port, users: [{ id: o.uuid, alterId: 0, security: o.security ?? 'aes-128-gcm' }] }] };
    case 'vless':
      return { vnext: [{ address: o.host, port: o.port, users: [{ id: o.uuid, encryption: 'none' }] }] };
    case 'trojan':
      return { servers: [{ address: o.host, port: o.port, password: o.password }] };
    case 'shadowsocks':
      return { servers: [{ address: o.host, port: o.port, method: o.method, password: o.password }] };
  }
}

/** v2ray as a local SOCKS5 client (127.0.0.1, no auth) in front of one outbound: the reference client. */
export async function startV2rayClient(outbound: V2rayOutbound): Promise<Peer> {
  const dir = makePeerDir('v2ray-client');
  const port = await freePort();
  const config = {
    log: { loglevel: 'warning', access: 'none' },
    inbounds: [{ listen: LOOPBACK, port, protocol: 'socks', settings: { auth: 'noauth', udp: false } }],
    outbounds: [{
      protocol: outbound.protocol,
      settings: outboundSettings(outbound),
      streamSettings: streamSettings({
        network: outbound.network,
        path: outbound.path,
        host: outbound.wsHost,
        tls: outbound.tls ? { serverName: outbound.tls.serverName, allowInsecure: true } : undefined,
      }),
    }],
  };
  return run(`v2ray-client(${outbound.protocol})`, dir, config, port);
}
