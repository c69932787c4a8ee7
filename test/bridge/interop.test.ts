// The bridge in front of every real upstream type (Debian daemons from test/peers, all on 127.0.0.1):
// curl and Node clients through the bridge, names only the peers can resolve, large bodies, half-close,
// UDP through dante, failover from a dead peer to a live one.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import dns from 'node:dns';
import type { Bridge, UpstreamFailure } from '../../electron/core/bridge/index.ts';
import { encodeAddress, decodeAddress } from '../../electron/core/net/socks5-address.ts';
import { upstreamFor, type UpstreamForOptions } from '../../electron/core/bridge/upstreams/index.ts';
import type { Upstream } from '../../electron/core/bridge/upstreams/types.ts';
import type { Entry } from '../../shared/entry.ts';
import {
  byeLine, freePort, HELLO_BODY, sha256Hex, startDante, startHttpTarget, startMicrosocks, startSsServer, startTcpTarget,
  startTinyproxy, startTlsFront, startUdpEcho, targetBody, UPSTREAM_ONLY_HOST,
  type HttpTarget, type Peer, type TcpServerHandle, type TlsFront, type UdpEcho,
} from '../peers/index.ts';
import { bridgeWith, curl, readAll, readN, socks5 } from './helpers.ts';

const MICRO = { user: 'porthole', pass: 'micro-pass' };
const TINY = { user: 'porthole', pass: 'tiny-pass' };
const SS = { method: 'chacha20-ietf-poly1305' as const, password: 'ss-bridge-pass' };
const BIG = 5_000_000;

let web: HttpTarget;
let tcp: TcpServerHandle;
let udpEcho: UdpEcho;
let tlsFront: TlsFront;
const peers: Peer[] = [];
const bridges = new Map<string, Bridge>();
let lookupSpy: ReturnType<typeof vi.spyOn>;
const uploadFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-bridge-it-')), 'upload.bin');

function entryUpstream(fields: Omit<Entry, 'id' | 'ports' | 'host'> & { port: number }, options?: UpstreamForOptions): Upstream {
  const { port, ...rest } = fields;
  return upstreamFor({ id: `it-${fields.protocol}`, host: '127.0.0.1', ports: [port], ...rest }, port, options);
}

beforeAll(async () => {
  [web, tcp, udpEcho] = await Promise.all([startHttpTarget(), startTcpTarget(), startUdpEcho()]);
  const [micro, dante, tiny, ss] = await Promise.all([startMicrosocks(MICRO), startDante(), startTinyproxy({ basicAuth: TINY }), startSsServer(SS)]);
  peers.push(micro, dante, tiny, ss);
  tlsFront = await startTlsFront(tiny);
  const ups: [string, Upstream][] = [
    ['microsocks', entryUpstream({ protocol: 'socks5', port: micro.port, username: MICRO.user, password: MICRO.pass })],
    ['dante', entryUpstream({ protocol: 'socks5', port: dante.port })],
    ['tinyproxy', entryUpstream({ protocol: 'http', port: tiny.port, username: TINY.user, password: TINY.pass })],
    ['https', entryUpstream({ protocol: 'https', port: tlsFront.port, username: TINY.user, password: TINY.pass }, { tls: { ca: tlsFront.ca } })],
    ['shadowsocks', entryUpstream({ protocol: 'shadowsocks', port: ss.port, method: SS.method, password: SS.password })],
  ];
  for (const [name, u] of ups) bridges.set(name, await bridgeWith([u]));
  targetBody(BIG);
  fs.writeFileSync(uploadFile, targetBody(2_000_000));
  lookupSpy = vi.spyOn(dns, 'lookup');
}, 60_000);

afterAll(async () => {
  lookupSpy?.mockRestore();
  await Promise.all([...bridges.values()].map((b) => b.close()));
  await Promise.all(peers.map((p) => p.stop()));
  await Promise.all([web?.close(), tcp?.close(), udpEcho?.close(), tlsFront?.close()]);
  fs.rmSync(path.dirname(uploadFile), { recursive: true, force: true });
});

const names = ['microsocks', 'dante', 'tinyproxy', 'https', 'shadowsocks'];

describe.each(names)('bridge → %s', (name) => {
  const b = (): Bridge => bridges.get(name) as Bridge;

  it('curl --socks5-hostname reaches a name only the upstream can resolve', async () => {
    const r = await curl(['--socks5-hostname', `127.0.0.1:${b().port}`, `http://${UPSTREAM_ONLY_HOST}:${web.port}/hello`]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(HELLO_BODY);
  });

  it('curl --proxy http:// (absolute URI) fetches a large body intact', async () => {
    const r = await curl(['--proxy', `http://127.0.0.1:${b().port}`, `http://${UPSTREAM_ONLY_HOST}:${web.port}/bytes/${BIG}`], 60_000);
    expect(r.stderr).toBe('');
    expect(r.body.length).toBe(BIG);
    expect(sha256Hex(r.body)).toBe(sha256Hex(targetBody(BIG)));
  });

  it('curl -x socks5h:// uploads a large body intact', async () => {
    const r = await curl(['-x', `socks5h://127.0.0.1:${b().port}`, '--data-binary', `@${uploadFile}`, `http://${UPSTREAM_ONLY_HOST}:${web.port}/sha256`], 30_000);
    expect(r.stdout).toBe(sha256Hex(fs.readFileSync(uploadFile)));
  });

  // dante keeps a half-closed connection usable; the others close it on the first FIN.
  it(name === 'dante' ? 'passes a half-close through: the answer after our FIN still arrives' : 'passes our FIN through and ends the client stream', async () => {
    const { socket, rep } = await socks5(b().port, { host: '127.0.0.1', port: tcp.port });
    expect(rep).toBe(0);
    socket.write('half');
    expect((await readN(socket, 4)).toString()).toBe('half');
    socket.end();
    const rest = (await readAll(socket, 10_000)).toString();
    expect(rest).toBe(name === 'dante' ? byeLine(4) : '');
  });

  it('counted the traffic on its upstream', () => {
    const s = b().stats().upstreams[0];
    expect(s?.bytesDown).toBeGreaterThan(BIG);
    expect(s?.bytesUp).toBeGreaterThan(1_000_000);
  });
});

describe('UDP and failover with real peers', () => {
  it('relays UDP through dante (SOCKS5 UDP ASSOCIATE on both hops)', async () => {
    const b = bridges.get('dante') as Bridge;
    const { socket, rep, reply } = await socks5(b.port, { host: '0.0.0.0', port: 0 }, { cmd: 0x03 });
    expect(rep).toBe(0);
    const relayPort = decodeAddress(reply, 3)?.dest.port as number;
    const client = dgram.createSocket('udp4');
    await new Promise<void>((r) => client.bind(0, '127.0.0.1', () => r()));
    try {
      const answer = new Promise<Buffer>((resolve) => client.once('message', resolve));
      client.send(Buffer.concat([Buffer.from([0, 0, 0]), encodeAddress({ host: udpEcho.host, port: udpEcho.port }), Buffer.from('via dante')]), relayPort, '127.0.0.1');
      const msg = await answer;
      const from = decodeAddress(msg, 3);
      expect(from?.dest.port).toBe(udpEcho.port);
      expect(msg.subarray(from?.end).toString()).toBe('via dante');
    } finally {
      client.close();
      socket.destroy();
    }
  });

  it('refuses UDP ASSOCIATE when the only upstream cannot relay UDP (HTTP proxy)', async () => {
    const { socket, rep } = await socks5((bridges.get('tinyproxy') as Bridge).port, { host: '0.0.0.0', port: 0 }, { cmd: 0x03 });
    expect(rep).toBe(0x07);
    socket.destroy();
  });

  it('fails over from a dead SOCKS5 peer to a live one and reports the dead one', async () => {
    const deadPort = await freePort();
    const dead = entryUpstream({ protocol: 'socks5', port: deadPort });
    const live = [...peers][1] as Peer; // dante
    const b = await bridgeWith([dead, entryUpstream({ protocol: 'socks5', port: live.port })]);
    const failures: UpstreamFailure[] = [];
    b.on('upstream-failure', (f) => failures.push(f));
    try {
      const r = await curl(['--socks5-hostname', `127.0.0.1:${b.port}`, `http://${UPSTREAM_ONLY_HOST}:${web.port}/hello`]);
      expect(r.stdout).toBe(HELLO_BODY);
      expect(failures.map((f) => [f.upstreamId, f.kind])).toEqual([[`it-socks5:${deadPort}`, 'refused']]);
    } finally {
      await b.close();
    }
  });

  it('never resolved a name in this process', () => {
    // Upstreams are given as IP literals and the peers resolve UPSTREAM_ONLY_HOST: no name was looked
    // up here (dgram passes its IP literals through dns.lookup, which answers them without DNS).
    const names = (lookupSpy.mock.calls as unknown[][]).map((c) => String(c[0])).filter((h) => net.isIP(h) === 0);
    expect(names).toEqual([]);
  });
});
