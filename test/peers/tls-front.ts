// A TLS terminator in front of a TCP peer (e.g. tinyproxy), to test HTTPS proxies: TLS to the proxy,
// then plain HTTP CONNECT inside. Uses a throwaway self-signed certificate for 127.0.0.1 / localhost,
// made once per test process with the openssl CLI; pass `ca` to the client to trust it.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { BINARIES, requireBinary } from './binaries.ts';
import { listenOnLoopback, LOOPBACK } from './free-port.ts';

export interface TestCertificate {
  key: string;
  cert: string;
}

let cached: TestCertificate | null = null;

/** A self-signed certificate for CN porthole-test-proxy, SAN IP:127.0.0.1 and DNS:localhost. */
export function testCertificate(): TestCertificate {
  if (cached) return cached;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-cert-'));
  try {
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    execFileSync(requireBinary(BINARIES.openssl), [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=porthole-test-proxy',
      '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    cached = { key: fs.readFileSync(key, 'utf8'), cert: fs.readFileSync(cert, 'utf8') };
    return cached;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface TlsFront {
  readonly host: string;
  readonly port: number;
  /** PEM of the self-signed certificate, to trust it as a CA. */
  readonly ca: string;
  close(): Promise<void>;
}

export async function startTlsFront(target: { host: string; port: number }): Promise<TlsFront> {
  const { key, cert } = testCertificate();
  const sockets = new Set<net.Socket>();
  const server = tls.createServer({ key, cert, allowHalfOpen: true }, (clear) => {
    const back = net.connect({ host: target.host, port: target.port, allowHalfOpen: true });
    sockets.add(clear);
    sockets.add(back);
    const done = (): void => {
      clear.destroy();
      back.destroy();
      sockets.delete(clear);
      sockets.delete(back);
    };
    clear.on('error', done).on('close', done);
    back.on('error', done).on('close', done);
    clear.pipe(back);
    back.pipe(clear);
  });
  // Raw connections too: a client that rejects our certificate never reaches the handler above.
  server.on('connection', (raw: net.Socket) => {
    sockets.add(raw);
    raw.once('close', () => sockets.delete(raw));
  });
  server.on('tlsClientError', () => {});
  const port = await listenOnLoopback(server);
  return {
    host: LOOPBACK,
    port,
    ca: cert,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
