// The layered dialer of the 2026 transports: TCP → optional TLS (SNI, ALPN, a pinned certificate,
// insecure only when the entry says so) → optional WebSocket (path, Host header) → a byte stream for
// the proxy protocol on top (Trojan, VLESS, VMess, Shadowsocks). Every socket is tracked by the guard.
import { PortholeError } from '../../../../shared/errors.ts';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import type { Tls, Transport } from '../../../../shared/entry.ts';
import { hostPort } from '../../net/destination.ts';
import { openTcp, SOCKET_DEFAULTS } from './guard.ts';
import type { Guard, TlsClientOptions } from './guard.ts';

import { loadWebSocket, openWebSocket } from './websocket-layer.ts';

export interface LayerSettings {
  host: string;
  port: number;
  /** Present means TLS is on. */
  tls?: Tls | undefined;
  transport?: Transport | undefined;
  /** Extra trusted CAs (tests and explicitly trusted setups); the entry's pin is the product's way. */
  extraTls?: TlsClientOptions | undefined;
}

/** "trojan+ws+tls 1.2.3.4:443": the protocol and its layers, never credentials. */
export function describeLayers(protocol: string, settings: LayerSettings): string {
  const parts = [protocol];
  if (settings.transport?.type === 'ws') parts.push('ws');
  if (settings.tls) parts.push('tls');
  return `${parts.join('+')} ${hostPort(settings.host, settings.port)}`;
}

/** SHA-256 of a DER certificate, base64url without padding (the form of Tls.pinSha256). */
export function certificatePin(der: Buffer): string {
  return createHash('sha256').update(der).digest('base64url');
}

/** The ALPN list to offer: a WebSocket needs HTTP/1.1 (h2 would break the upgrade). */
function alpnFor(settings: LayerSettings): string[] | undefined {
  const wanted = settings.tls?.alpn;
  if (settings.transport?.type === 'ws') {
    const usable = (wanted ?? []).filter((p) => p !== 'h2' && p !== 'h3');
    return usable.length > 0 ? usable : ['http/1.1'];
  }
  return wanted && wanted.length > 0 ? wanted : undefined;
}

/** TLS sessions to resume, per server and settings: a resumed handshake saves a round of public-key
 * work on every new connection (setup latency). Bounded; the oldest goes first. */
const sessions = new Map<string, Buffer>();
const MAX_SESSIONS = 256;

function rememberSession(key: string, session: Buffer): void {
  sessions.delete(key);
  if (sessions.size >= MAX_SESSIONS) {
    const oldest = sessions.keys().next();
    if (!oldest.done) sessions.delete(oldest.value);
  }
  sessions.set(key, session);
}

/** TLS to the server with the entry's settings; resolves once the handshake (and any pin) checked out. */
async function openTlsLayer(guard: Guard, settings: LayerSettings): Promise<tls.TLSSocket> {
  const entryTls = settings.tls ?? {};
  const servername = entryTls.sni ?? settings.extraTls?.servername ?? (net.isIP(settings.host) ? undefined : settings.host);
  const pinned = entryTls.pinSha256;
  // A pin replaces the CA check (self-signed servers); insecure turns every check off.
  const verify = !pinned && !entryTls.insecure && settings.extraTls?.rejectUnauthorized !== false;
  const alpn = alpnFor(settings);
  // Everything that decides whether the server is accepted is part of the key: a session made under
  // one trust setting is never resumed under another.
  const sessionKey = [settings.host, settings.port, servername ?? '', alpn?.join(',') ?? '', pinned ?? '', verify ? 'verify' : 'no-verify', settings.extraTls?.ca ? 'ca' : ''].join('|');
  const session = sessions.get(sessionKey);
  // TLS connects by itself (not over a socket of ours): destroying a wrapped socket under a live
  // TLSSocket has crashed node here.
  const socket = guard.track(tls.connect({
    ...SOCKET_DEFAULTS,
    host: settings.host,
    port: settings.port,
    ...(servername ? { servername } : {}),
    ...(alpn ? { ALPNProtocols: alpn } : {}),
    ...(settings.extraTls?.ca ? { ca: settings.extraTls.ca } : {}),
    rejectUnauthorized: verify,
    ...(session ? { session } : {}),
  }));
  // A session is kept only once the server passed every check (the pin below): a resumed session
  // then proves it is the same server, since only it can open its own ticket.
  let checked = !pinned;
  let unchecked: Buffer | null = null;
  socket.on('session', (next: Buffer) => {
    if (checked) rememberSession(sessionKey, next);
    else unchecked = next;
  });
  await once(socket, 'secureConnect');
  guard.check();
  // tls.connect does not apply noDelay: without this, a request header followed by a small first
  // payload waits for the server's delayed ACK (Nagle), 40 ms per connection.
  socket.setNoDelay(true);
  if (pinned && !socket.isSessionReused()) {
    const cert = socket.getPeerCertificate(false);
    const actual = cert.raw ? certificatePin(cert.raw) : '';
    if (actual !== pinned) {
      throw new PortholeError('bad-reply', `${guard.upstream}: the server's certificate is not the pinned one (SHA-256 ${actual || 'missing'}, expected ${pinned}): someone may be intercepting the connection`, { upstream: guard.upstream, hop: 'proxy' });
    }
  }
  checked = true;
  if (unchecked) rememberSession(sessionKey, unchecked);
  return socket;
}

/** Opens every layer below the proxy protocol; the result carries the protocol's bytes. */
export async function openLayers(guard: Guard, settings: LayerSettings): Promise<Duplex> {
  if (settings.transport?.type === 'ws') await loadWebSocket();
  const below: net.Socket = settings.tls ? await openTlsLayer(guard, settings) : await openTcp(guard, settings.host, settings.port);
  if (settings.transport?.type !== 'ws') return below;
  const hostHeader = settings.transport.host ?? settings.tls?.sni ?? settings.host;
  return openWebSocket(guard, below, { hostHeader, path: settings.transport.path ?? '/' });
}
