// shadowsocks-libev's ss-server (AEAD ciphers). Its internal resolver is pointed at 127.0.0.1 (-d) and
// outgoing connections are bound to 127.0.0.1 (-b), so it never talks to anything off the machine.
import { BINARIES } from './binaries.ts';
import { freePort, LOOPBACK } from './free-port.ts';
import { makePeerDir, startPeer } from './process.ts';
import type { Peer } from './process.ts';

export type SsMethod = 'chacha20-ietf-poly1305' | 'aes-256-gcm' | 'aes-128-gcm';

export interface SsServerOptions {
  method: SsMethod;
  password: string;
  /** Also relay UDP (-u). */
  udp?: boolean;
}

export interface SsServerPeer extends Peer {
  readonly method: SsMethod;
  readonly password: string;
}

export async function startSsServer(options: SsServerOptions): Promise<SsServerPeer> {
  const port = await freePort();
  const args = ['-s', LOOPBACK, '-p', String(port), '-k', options.password, '-m', options.method, '-b', LOOPBACK, '-d', LOOPBACK, '-t', '30', '--no-delay'];
  if (options.udp) args.push('-u');
  const peer = await startPeer({ name: `ss-server(${options.method})`, binary: BINARIES.ssServer, args, port, dir: makePeerDir('ss-server') });
  return { ...peer, method: options.method, password: options.password };
}

export interface SsLocalOptions extends SsServerOptions {
  server: Peer;
}

/**
 * shadowsocks-libev's ss-local: a SOCKS5 front end that talks Shadowsocks to `server`. Useful as the
 * reference client in benchmarks (compare with our own Shadowsocks connector).
 */
export async function startSsLocal(options: SsLocalOptions): Promise<Peer & { readonly method: SsMethod }> {
  const port = await freePort();
  const args = ['-s', options.server.host, '-p', String(options.server.port), '-l', String(port), '-b', LOOPBACK, '-k', options.password, '-m', options.method, '--no-delay'];
  const peer = await startPeer({ name: `ss-local(${options.method})`, binary: BINARIES.ssLocal, args, port, dir: makePeerDir('ss-local') });
  return { ...peer, method: options.method };
}
