// tinyproxy: an HTTP proxy that supports CONNECT, optionally with Basic authentication.
// Runs in the foreground (-d) with its own config; listens on 127.0.0.1 and only serves loopback clients.
import fs from 'node:fs';
import path from 'node:path';
import { BINARIES } from './binaries.ts';
import { freePort, LOOPBACK } from './free-port.ts';
import { makePeerDir, startPeer } from './process.ts';
import type { Peer } from './process.ts';

export interface TinyproxyOptions {
  basicAuth?: { user: string; pass: string };
}

export interface TinyproxyPeer extends Peer {
  readonly basicAuth: { user: string; pass: string } | undefined;
}

export async function startTinyproxy(options: TinyproxyOptions = {}): Promise<TinyproxyPeer> {
  const port = await freePort();
  const dir = makePeerDir('tinyproxy');
  const lines = [
    'User nobody',
    'Group nogroup',
    `Port ${port}`,
    `Listen ${LOOPBACK}`,
    `Bind ${LOOPBACK}`,
    'Timeout 60',
    'MaxClients 200',
    'Allow 127.0.0.1',
    'DisableViaHeader Yes',
    'LogLevel Warning',
  ];
  if (options.basicAuth) {
    const { user, pass } = options.basicAuth;
    if (/\s/.test(user) || /\s/.test(pass)) throw new Error('startTinyproxy: basicAuth user and pass must not contain spaces');
    lines.push(`BasicAuth ${user} ${pass}`);
  }
  const configFile = path.join(dir, 'tinyproxy.conf');
  fs.writeFileSync(configFile, `${lines.join('\n')}\n`, { mode: 0o644 });
  const peer = await startPeer({ name: 'tinyproxy', binary: BINARIES.tinyproxy, args: ['-d', '-c', configFile], port, dir });
  return { ...peer, basicAuth: options.basicAuth };
}
