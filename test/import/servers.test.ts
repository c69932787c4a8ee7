// Servers people bring themselves, end to end through the importer: subscriptions become the
// person's own servers, bad lines are named, and Outline dynamic keys (ssconf://) are fetched over
// real HTTPS — directly, and through an HTTP proxy when the direct way is blocked.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import { createServer as createHttpsServer, type Server } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClient } from '../../electron/core/catalog/open.ts';
import { importInput } from '../../electron/core/catalog/import.ts';
import { UserServerStore } from '../../electron/core/catalog/user-servers.ts';
import { porthole } from '../helpers/cli.ts';
import { BINARIES, requireBinary } from '../peers/index.ts';

const UUID = 'b831381d-6324-4d53-ad4f-8cda48b30811';
const KEY_HOST = 'keys.porthole.test'; // resolvable by nobody: only the proxy below knows where it is
let tmp: string;
let cert: { key: string; cert: string };
let keyServer: Server;
let keyPort: number;
const served: string[] = [];

function makeCert(dir: string): { key: string; cert: string } {
  const key = path.join(dir, 'key.pem');
  const crt = path.join(dir, 'cert.pem');
  execFileSync(requireBinary(BINARIES.openssl), [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', crt, '-days', '2',
    '-subj', '/CN=outline-keys', '-addext', `subjectAltName=IP:127.0.0.1,DNS:${KEY_HOST}`,
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  return { key: fs.readFileSync(key, 'utf8'), cert: fs.readFileSync(crt, 'utf8') };
}

const WS_KEY = `transport:
  $type: tcpudp
  tcp:
    $type: shadowsocks
    endpoint:
      $type: websocket
      url: wss://cdn.example.com/SECRET/tcp
    cipher: chacha20-ietf-poly1305
    secret: SS_SECRET
    prefix: "\\x16\\x03\\x01"
`;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-import-servers-'));
  cert = makeCert(tmp);
  keyServer = createHttpsServer({ key: cert.key, cert: cert.cert }, (req, res) => {
    served.push(req.url ?? '');
    if (req.url === '/ws') return res.writeHead(200, { 'content-type': 'text/yaml' }).end(WS_KEY);
    if (req.url === '/json') return res.writeHead(200).end(JSON.stringify({ server: '192.0.2.10', server_port: 8388, password: 'pw', method: 'aes-256-gcm' }));
    if (req.url === '/revoked') return res.writeHead(403).end(JSON.stringify({ error: { message: 'Этот ключ отозван / this key was revoked' } }));
    if (req.url === '/huge') return res.writeHead(200).end('x'.repeat(200_000));
    if (req.url === '/slow') return; // never answers
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => keyServer.listen(0, '127.0.0.1', r));
  keyPort = (keyServer.address() as AddressInfo).port;
});

afterAll(async () => {
  keyServer.closeAllConnections();
  await new Promise((r) => keyServer.close(r));
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function freshStores() {
  return openClient(fs.mkdtempSync(path.join(tmp, 'data-')), { pinned: [] });
}

describe('importing servers of one\'s own', () => {
  it('adds a subscription as own servers, names the bad lines, keeps unsupported ones, and does not add twice', async () => {
    const stores = await freshStores();
    const text = [
      `vless://${UUID}@a.example:443?security=tls&type=ws&path=/a#A`,
      'trojan://pw@b.example:443?allowInsecure=1#B',
      'vmess://!!!',
      'hysteria2://x@c.example:443#Hy',
      'tg://proxy?server=mt.example&port=443&secret=dd0123456789abcdef0123456789abcdef',
    ].join('\n');
    const [outcome] = await importInput(stores, Buffer.from(Buffer.from(text).toString('base64')));
    expect(outcome).toMatchObject({ kind: 'servers', status: 'added', format: 'base64', unsupported: 1, already: 0 });
    if (outcome?.kind !== 'servers' || outcome.status === 'rejected') throw new Error('unexpected');
    expect(outcome.servers.map((s) => s.protocol)).toEqual(['vless', 'trojan', 'unsupported', 'mtproto']);
    expect(outcome.problems).toEqual([{ line: 3, message: expect.stringMatching(/^line 3 \(vmess:\/\/!!!\): .*base64/) }]);
    expect(outcome.message).toMatch(/added 4 servers of your own; 1 of them need a protocol Porthole doesn't speak yet; 1 line could not be read/);
    const stored = (await new UserServerStore(stores.dataDir).load()).list();
    expect(stored.map((s) => s.id)).toEqual(outcome.servers.map((s) => s.id));
    const [again] = await importInput(stores, text);
    expect(again).toMatchObject({ kind: 'servers', status: 'already-added', already: 4 });
  });

  it('says why nothing could be added, and refuses a deeply nested config', async () => {
    const stores = await freshStores();
    const [bad] = await importInput(stores, 'vless://nope@a.example:443\ntrojan://@b.example:1');
    expect(bad).toMatchObject({ kind: 'servers', status: 'rejected', message: expect.stringMatching(/line 1 .*not a UUID.*\(and 1 more problem\)/) });
    const [deep] = await importInput(stores, `{"outbounds": ${'['.repeat(5000)}`);
    expect(deep).toMatchObject({ kind: 'servers', status: 'rejected', message: expect.stringMatching(/nested too deeply/) });
    const [nothing] = await importInput(stores, 'hello, no servers here');
    expect(nothing).toMatchObject({ status: 'rejected', reason: 'nothing-found' });
  });

  it('fetches Outline dynamic keys over HTTPS and shows the provider\'s error message', async () => {
    const stores = await freshStores();
    const text = [
      `ssconf://127.0.0.1:${keyPort}/ws#Outline%20WS`,
      `ssconf://127.0.0.1:${keyPort}/json`,
      `ssconf://127.0.0.1:${keyPort}/revoked`,
      `ssconf://127.0.0.1:${keyPort}/huge`,
    ].join('\n');
    const [outcome] = await importInput(stores, text, { outlineKeys: { ca: cert.cert } });
    if (outcome?.kind !== 'servers' || outcome.status === 'rejected') throw new Error(JSON.stringify(outcome));
    expect(outcome.servers).toEqual([
      expect.objectContaining({ protocol: 'shadowsocks', host: 'cdn.example.com', ports: [443], password: 'SS_SECRET', label: 'Outline WS', prefix: 'FgMB', transport: { type: 'ws', path: '/SECRET/tcp' }, tls: {} }),
      expect.objectContaining({ protocol: 'shadowsocks', host: '192.0.2.10', ports: [8388], method: 'aes-256-gcm' }),
    ]);
    expect(outcome.problems).toEqual([
      { line: 3, message: 'line 3: the key\'s provider says: Этот ключ отозван / this key was revoked' },
      { line: 4, message: expect.stringMatching(/^line 4: .*larger than 64 KB/) },
    ]);
  });

  it('gives up on a silent key server after the timeout and names a certificate it cannot trust', async () => {
    const stores = await freshStores();
    const t0 = Date.now();
    const [slow] = await importInput(stores, `ssconf://127.0.0.1:${keyPort}/slow`, { outlineKeys: { ca: cert.cert, timeoutMs: 1_000 } });
    expect(Date.now() - t0).toBeLessThan(8_000);
    expect(slow).toMatchObject({ status: 'rejected', message: expect.stringMatching(/could not be fetched from 127\.0\.0\.1:\d+: no answer within/) });
    const [untrusted] = await importInput(stores, `ssconf://127.0.0.1:${keyPort}/json`);
    expect(untrusted).toMatchObject({ status: 'rejected', message: expect.stringMatching(/certificate/) });
  });

  it('fetches a key through the bridge\'s HTTP proxy when the direct way fails', async () => {
    const tunnels: string[] = [];
    const sockets = new Set<Socket>();
    const proxy = createHttpServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req: IncomingMessage, client: Socket) => {
      tunnels.push(req.url ?? '');
      sockets.add(client);
      if (req.url !== `${KEY_HOST}:443`) return client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      const up = connect({ host: '127.0.0.1', port: keyPort }, () => {
        sockets.add(up);
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        up.pipe(client);
        client.pipe(up);
      });
      up.on('error', () => client.destroy());
      client.on('error', () => up.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const stores = await freshStores();
      const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      const [outcome] = await importInput(stores, `ssconf://${KEY_HOST}/json#Via`, { outlineKeys: { ca: cert.cert, proxyUrl, timeoutMs: 4_000 } });
      expect(outcome).toMatchObject({ kind: 'servers', status: 'added', servers: [expect.objectContaining({ host: '192.0.2.10', label: 'Via' })] });
      expect(tunnels).toEqual([`${KEY_HOST}:443`]);
    } finally {
      for (const s of sockets) s.destroy(); // tunnels leave the HTTP server: close them here
      await new Promise((r) => proxy.close(r));
    }
  });

  it('porthole import takes a Clash file and a link; lists and probe name what kept servers need', { timeout: 60_000 }, async () => {
    const dataDir = fs.mkdtempSync(path.join(tmp, 'cli-'));
    const file = path.join(tmp, 'clash.yaml');
    fs.writeFileSync(file, `proxies:\n  - {name: tr, type: trojan, server: t.example, port: 443, password: pw, skip-cert-verify: true}\n  - {name: tu, type: tuic, server: u.example, port: 443}\n  - {name: bad, type: vmess, server: v.example, port: 443, uuid: x}\n`);
    const r = await porthole(['import', file, '--data-dir', dataDir]);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/added 2 servers of your own; 1 of them need a protocol Porthole doesn't speak yet; 1 line could not be read/);
    expect(r.stdout).toMatch(/kept, not usable yet: tu needs tuic, a protocol Porthole doesn't speak yet/);
    expect(r.stdout).toMatch(/warning: tr does not check its TLS certificate/);
    expect(r.stderr).toMatch(/could not read line 4 \(proxy "bad"\): the VMess user id is not a UUID/);
    const link = await porthole(['import', `vless://${UUID}@v.example:443?security=tls#V`, '--data-dir', dataDir]);
    expect(link.code).toBe(0);
    expect(link.stdout).toMatch(/added 1 server of your own/);
    const lists = await porthole(['lists', '--data-dir', dataDir]);
    expect(lists.stdout).toMatch(/\(your own servers\)\s+-\s+-\s+3/);
    expect(lists.stdout).toMatch(/1 kept but not used.*\n\s+tu \(x-[0-9a-f]{12}\): needs tuic, a protocol Porthole doesn't speak yet/);
    const probe = await porthole(['probe', '--server', 'hysteria2://x@127.0.0.1:9#Hy', '--probe-url', 'http://127.0.0.1:9/']);
    expect(probe.stdout).toMatch(/Hy hysteria2:\/\/127\.0\.0\.1:9 .* not tested: needs hysteria2, a protocol Porthole doesn't speak yet/);
  });
});
