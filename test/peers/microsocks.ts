// microsocks: a tiny SOCKS5 server, optionally with username/password (-u/-P).
// Outgoing connections are bound to 127.0.0.1 (-b), so it can only reach loopback.
import { BINARIES } from './binaries.ts';
import { freePort, LOOPBACK } from './free-port.ts';
import { makePeerDir, startPeer } from './process.ts';
import type { Peer } from './process.ts';

export interface MicrosocksOptions {
  user?: string;
  pass?: string;
  /** A given port (e.g. a server that comes up later where the list said it would); default a free one. */
  port?: number;
}

export interface MicrosocksPeer extends Peer {
  readonly user: string | undefined;
  readonly pass: string | undefined;
}

export async function startMicrosocks(options: MicrosocksOptions = {}): Promise<MicrosocksPeer> {
  if ((options.user === undefined) !== (options.pass === undefined)) throw new Error('startMicrosocks: give both user and pass, or neither');
  const port = options.port ?? await freePort();
  const args = ['-i', LOOPBACK, '-p', String(port), '-b', LOOPBACK];
  if (options.user !== undefined && options.pass !== undefined) args.push('-u', options.user, '-P', options.pass);
  const peer = await startPeer({ name: 'microsocks', binary: BINARIES.microsocks, args, port, dir: makePeerDir('microsocks') });
  return { ...peer, user: options.user, pass: options.pass };
}
