// Dante (danted): a full SOCKS5 server with CONNECT, UDP ASSOCIATE and half-close support.
// It listens and connects out on 127.0.0.1 only, and only allows loopback destinations.
// With `auth`, clients must use the username method; the user exists only in the peer's private
// /etc/passwd and /etc/shadow (see private-etc.ts), the machine's real users are untouched.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BINARIES, requireBinary } from './binaries.ts';
import { freePort, LOOPBACK } from './free-port.ts';
import { makePeerDir, startPeer } from './process.ts';
import type { Peer } from './process.ts';

export interface DanteOptions {
  /** Require SOCKS5 username/password authentication with this user. */
  auth?: { user: string; pass: string };
}

export interface DantePeer extends Peer {
  readonly auth: { user: string; pass: string } | undefined;
}

export async function startDante(options: DanteOptions = {}): Promise<DantePeer> {
  const port = await freePort();
  const dir = makePeerDir('dante');
  const method = options.auth ? 'username' : 'none';
  const config = [
    'logoutput: stderr',
    `internal: ${LOOPBACK} port = ${port}`,
    `external: ${LOOPBACK}`,
    'clientmethod: none',
    `socksmethod: ${method}`,
    'user.privileged: root',
    'user.unprivileged: nobody',
    'timeout.negotiate: 10',
    'client pass { from: 127.0.0.0/8 to: 0.0.0.0/0 }',
    'socks pass { from: 127.0.0.0/8 to: 127.0.0.0/8 command: connect udpassociate }',
    'socks pass { from: 127.0.0.0/8 to: 127.0.0.0/8 command: udpreply }',
    '',
  ].join('\n');
  const configFile = path.join(dir, 'danted.conf');
  fs.writeFileSync(configFile, config, { mode: 0o644 });
  let privateEtc = {};
  if (options.auth) {
    const { user, pass } = options.auth;
    if (!/^[a-z][a-z0-9-]{0,30}$/.test(user)) throw new Error(`startDante: user name ${JSON.stringify(user)} is not a plain login name`);
    const hash = execFileSync(requireBinary(BINARIES.openssl), ['passwd', '-6', '-stdin'], { input: `${pass}\n` }).toString('utf8').trim();
    privateEtc = {
      passwdLines: [`${user}:x:64999:64999:porthole test user:/nonexistent:/usr/sbin/nologin`],
      shadowLines: [`${user}:${hash}:19000:0:99999:7:::`],
    };
  }
  const peer = await startPeer({
    name: 'dante',
    binary: BINARIES.danted,
    args: ['-f', configFile, '-N', '1', '-p', path.join(dir, 'danted.pid')],
    port,
    dir,
    privateEtc,
  });
  return { ...peer, auth: options.auth };
}
