// Every 2026 transport kind against real peers at once, for the interop tests, the bridge tests and the
// benchmark: one v2ray with an inbound per kind (Shadowsocks over WebSocket is Outline's transport),
// shadowsocks-libev's ss-server for the salt prefix, (certificates for the real server name, pinned by the
// entries), Debian's trojan server, and nginx as a CDN front whose certificate is for an allowlisted
// front name, passing WebSocket upgrades for the real Host to v2ray's plain WebSocket inbounds.
// `entries` are Entry objects a link or a list would carry; `outbounds` describe the same servers to
// v2ray's own client (benchmarks).
import type { Entry, VmessSecurity } from '../../shared/entry.ts';
import { certificateFor } from './certs.ts';
import type { NamedCertificate } from './certs.ts';
import { startNginxFront } from './nginx.ts';
import type { NginxPeer } from './nginx.ts';
import type { Peer } from './process.ts';
import { startSsServer } from './ss-server.ts';
import { startTrojan } from './trojan.ts';
import { startV2ray } from './v2ray.ts';
import type { V2rayInbound, V2rayOutbound, V2rayPeer } from './v2ray.ts';

export const REAL_HOST = 'real.porthole.test';
export const FRONT_HOST = 'allowed-front.porthole.test';
export const WORLD_UUID = '6f1c7e3a-2b4d-4c5e-9a8b-1d2e3f405162';
export const WORLD_PASSWORD = 'trojan-world-pass';

export const TRANSPORT_KINDS = [
  'trojan-tls', 'trojan-gfw-tls', 'trojan-ws-tls-front',
  'vless-tcp', 'vless-tls', 'vless-ws', 'vless-ws-tls', 'vless-ws-tls-front',
  'vmess-tcp', 'vmess-chacha', 'vmess-none', 'vmess-zero', 'vmess-tls', 'vmess-ws', 'vmess-ws-tls-front',
  'ss-ws', 'ss-ws-tls-front', 'ss-prefix',
] as const;
export const WORLD_SS_METHOD = 'chacha20-ietf-poly1305';
/** Outline-style salt prefix: the first bytes of a TLS record (base64url). */
export const WORLD_SS_PREFIX = Buffer.from([0x16, 0x03, 0x01, 0x00, 0xa8, 0x01, 0x01]).toString('base64url');
export type TransportKind = (typeof TRANSPORT_KINDS)[number];

export interface TransportWorld {
  readonly entries: Readonly<Record<TransportKind, Entry>>;
  readonly outbounds: Readonly<Record<TransportKind, V2rayOutbound>>;
  readonly realCert: NamedCertificate;
  readonly frontCert: NamedCertificate;
  readonly v2ray: V2rayPeer;
  readonly nginx: NginxPeer;
  stop(): Promise<void>;
}

interface KindSpec {
  inbound: Omit<V2rayInbound, 'tag'> | null;
  /** Uses the inbound of another kind (VMess body ciphers are the client's choice). */
  sameAs?: TransportKind;
  security?: VmessSecurity;
  /** Behind the nginx front: the inbound is plain ws on this path. */
  front?: string;
}

export async function startTransportWorld(): Promise<TransportWorld> {
  const realCert = certificateFor([REAL_HOST]);
  const frontCert = certificateFor([FRONT_HOST]);
  const id = { uuid: WORLD_UUID };
  const pw = { password: WORLD_PASSWORD };
  const ss = { method: WORLD_SS_METHOD, password: WORLD_PASSWORD };
  const specs: Record<TransportKind, KindSpec> = {
    'trojan-tls': { inbound: { protocol: 'trojan', ...pw, tls: realCert } },
    'trojan-gfw-tls': { inbound: null },
    'trojan-ws-tls-front': { inbound: { protocol: 'trojan', ...pw, network: 'ws', path: '/tj' }, front: '/tj' },
    'vless-tcp': { inbound: { protocol: 'vless', ...id } },
    'vless-tls': { inbound: { protocol: 'vless', ...id, tls: realCert } },
    'vless-ws': { inbound: { protocol: 'vless', ...id, network: 'ws', path: '/vl' } },
    'vless-ws-tls': { inbound: { protocol: 'vless', ...id, network: 'ws', path: '/vlt', tls: realCert } },
    'vless-ws-tls-front': { inbound: { protocol: 'vless', ...id, network: 'ws', path: '/vf' }, front: '/vf' },
    'vmess-tcp': { inbound: { protocol: 'vmess', ...id } },
    'vmess-chacha': { inbound: null, sameAs: 'vmess-tcp', security: 'chacha20-poly1305' },
    'vmess-none': { inbound: null, sameAs: 'vmess-tcp', security: 'none' },
    'vmess-zero': { inbound: null, sameAs: 'vmess-tcp', security: 'zero' },
    'vmess-tls': { inbound: { protocol: 'vmess', ...id, tls: realCert } },
    'vmess-ws': { inbound: { protocol: 'vmess', ...id, network: 'ws', path: '/vm' } },
    'vmess-ws-tls-front': { inbound: { protocol: 'vmess', ...id, network: 'ws', path: '/vmf' }, front: '/vmf' },
    'ss-ws': { inbound: { protocol: 'shadowsocks', ...ss, network: 'ws', path: '/outline-tcp' } },
    'ss-ws-tls-front': { inbound: { protocol: 'shadowsocks', ...ss, network: 'ws', path: '/osf' }, front: '/osf' },
    'ss-prefix': { inbound: null },
  };
  const inbounds: V2rayInbound[] = [];
  for (const [tag, spec] of Object.entries(specs)) if (spec.inbound) inbounds.push({ tag, ...spec.inbound });
  const peers: Peer[] = [];
  try {
    const v2ray = await startV2ray(inbounds);
    peers.push(v2ray);
    const trojan = await startTrojan({ ...pw, certificate: realCert });
    peers.push(trojan);
    const ssServer = await startSsServer({ method: WORLD_SS_METHOD, password: WORLD_PASSWORD });
    peers.push(ssServer);
    const routes: Record<string, number> = {};
    for (const [tag, spec] of Object.entries(specs)) if (spec.front) routes[spec.front] = v2ray.ports[tag] as number;
    const nginx = await startNginxFront({ certificate: frontCert, realHost: REAL_HOST, routes });
    peers.push(nginx);

    const entries = {} as Record<TransportKind, Entry>;
    const outbounds = {} as Record<TransportKind, V2rayOutbound>;
    for (const kind of TRANSPORT_KINDS) {
      const spec = specs[kind];
      const inbound = spec.sameAs ? specs[spec.sameAs].inbound : spec.inbound;
      const protocol = kind.startsWith('trojan') ? 'trojan' : kind.startsWith('vless') ? 'vless' : kind.startsWith('ss') ? 'shadowsocks' : 'vmess';
      const port = kind === 'trojan-gfw-tls' ? trojan.port : kind === 'ss-prefix' ? ssServer.port : spec.front ? nginx.port : (v2ray.ports[spec.sameAs ?? kind] as number);
      const ws = inbound?.network === 'ws';
      const path = spec.front ?? inbound?.path;
      const tls = kind === 'trojan-gfw-tls' || Boolean(inbound?.tls) || Boolean(spec.front);
      const sni = spec.front ? FRONT_HOST : REAL_HOST;
      const pin = spec.front ? frontCert.pin : realCert.pin;
      entries[kind] = {
        id: kind,
        protocol,
        host: '127.0.0.1',
        ports: [port],
        ...(protocol === 'trojan' ? pw : protocol === 'shadowsocks' ? ss : id),
        ...(kind === 'ss-prefix' ? { prefix: WORLD_SS_PREFIX } : {}),
        ...(spec.security ? { security: spec.security } : {}),
        ...(ws ? { transport: { type: 'ws', ...(path ? { path } : {}), host: REAL_HOST } } : {}),
        ...(tls ? { tls: { sni, pinSha256: pin } } : {}),
      };
      outbounds[kind] = {
        protocol,
        host: '127.0.0.1',
        port,
        ...(protocol === 'trojan' ? pw : protocol === 'shadowsocks' ? ss : id),
        ...(spec.security ? { security: spec.security } : {}),
        ...(ws ? { network: 'ws', ...(path ? { path } : {}), wsHost: REAL_HOST } : {}),
        ...(tls ? { tls: { serverName: sni } } : {}),
      };
    }
    let stopped = false;
    return {
      entries, outbounds, realCert, frontCert, v2ray, nginx,
      stop: async () => {
        if (stopped) return;
        stopped = true;
        await Promise.all(peers.map((p) => p.stop()));
      },
    };
  } catch (err) {
    await Promise.all(peers.map((p) => p.stop()));
    throw err;
  }
}

/** The share link a panel would hand out for an entry (v2rayN forms; Outline keys for a prefix); null when no link form carries it. */
export function shareLinkFor(e: Entry, kind: string): string | null {
  const port = e.ports[0] as number;
  const q = new URLSearchParams();
  if (e.tls) {
    q.set('security', 'tls');
    if (e.tls.sni) q.set('sni', e.tls.sni);
    if (e.tls.pinSha256) q.set('pinSha256', e.tls.pinSha256);
  }
  if (e.transport?.type === 'ws') {
    q.set('type', 'ws');
    if (e.transport.path) q.set('path', e.transport.path);
    if (e.transport.host) q.set('host', e.transport.host);
  }
  switch (e.protocol) {
    case 'trojan':
      return `trojan://${encodeURIComponent(e.password ?? '')}@${e.host}:${port}?${q.toString()}#${kind}`;
    case 'vless':
      q.set('encryption', 'none');
      return `vless://${e.uuid ?? ''}@${e.host}:${port}?${q.toString()}#${kind}`;
    case 'vmess': {
      const json = {
        v: '2', ps: kind, add: e.host, port: String(port), id: e.uuid, aid: '0', scy: e.security ?? 'auto', net: e.transport?.type ?? 'tcp',
        type: 'none', host: e.transport?.host ?? '', path: e.transport?.path ?? '', tls: e.tls ? 'tls' : '', sni: e.tls?.sni ?? '', pinSha256: e.tls?.pinSha256 ?? '',
      };
      return `vmess://${Buffer.from(JSON.stringify(json)).toString('base64')}`;
    }
    case 'shadowsocks': {
      const info = Buffer.from(`${e.method ?? ''}:${e.password ?? ''}`).toString('base64url');
      if (e.prefix) return `ss://${info}@${e.host}:${port}/?outline=1&prefix=${encodeURIComponent(Buffer.from(e.prefix, 'base64url').toString('latin1'))}#${kind}`;
      // v2ray-plugin's SNI is its host: a front name different from the Host header has no link form.
      if (e.transport?.type === 'ws' && !e.tls) return `ss://${info}@${e.host}:${port}/?plugin=${encodeURIComponent(`v2ray-plugin;path=${e.transport.path ?? '/'};host=${e.transport.host ?? ''}`)}#${kind}`;
      return null;
    }
    default:
      return null;
  }
}
