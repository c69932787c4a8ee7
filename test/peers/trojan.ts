// Debian's trojan (trojan-gfw) server as a real peer on a 127.0.0.1 free port, TLS with a test-made
// certificate. A client with a wrong password is handed to the fallback (remote_addr:remote_port),
// which is `fallback` when given, else a free port where nothing listens.
import fs from 'node:fs';
import path from 'node:path';
import { BINARIES } from './binaries.ts';
import { writeCertificate } from './certs.ts';
import type { NamedCertificate } from './certs.ts';
import { freePort, LOOPBACK } from './free-port.ts';
import { makePeerDir, startPeer } from './process.ts';
import type { Peer } from './process.ts';

export interface TrojanServerOptions {
  password: string;
  certificate: NamedCertificate;
  fallback?: { host: string; port: number };
}

export interface TrojanPeer extends Peer {
  readonly password: string;
}

export async function startTrojan(options: TrojanServerOptions): Promise<TrojanPeer> {
  const dir = makePeerDir('trojan');
  const port = await freePort();
  const { keyFile, certFile } = writeCertificate(dir, options.certificate);
  const fallback = options.fallback ?? { host: LOOPBACK, port: await freePort() };
  const config = {
    run_type: 'server',
    local_addr: LOOPBACK,
    local_port: port,
    remote_addr: fallback.host,
    remote_port: fallback.port,
    password: [options.password],
    log_level: 2,
    ssl: { cert: certFile, key: keyFile, key_password: '', alpn: ['http/1.1'], reuse_session: true, session_ticket: false, prefer_server_cipher: true },
    tcp: { no_delay: true, keep_alive: true, reuse_port: false, fast_open: false },
  };
  const file = path.join(dir, 'config.json');
  fs.writeFileSync(file, JSON.stringify(config), { mode: 0o644 });
  const peer = await startPeer({ name: 'trojan', binary: BINARIES.trojan, args: ['-c', file], port, dir });
  return { ...peer, password: options.password };
}
