// Every upstream connector against its real peer (Debian daemons started by test/peers) on 127.0.0.1.
// Destination names that only the peers can resolve prove that names are resolved by the upstream.
// The test process never looks that name up itself: its resolver is not on loopback.
// Shadowsocks runs once per cipher library that can serve each cipher (sodium-native, node:crypto,
// node:crypto as Electron's BoringSSL has it, @noble/ciphers), so the app's fallback meets ss-server too.
import { PortholeError } from '../../shared/errors.ts';
import fs from 'node:fs';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectUpstream, upstreamFor, type UpstreamError } from '../../electron/core/bridge/upstreams/index.ts';
import type { Upstream, UpstreamForOptions } from '../../electron/core/bridge/upstreams/index.ts';
import { CipherProvider, PROVIDER_PROFILES } from '../../electron/core/bridge/upstreams/shadowsocks-crypto.ts';
import type { ProfileName } from '../../electron/core/bridge/upstreams/shadowsocks-crypto.ts';
import type { Entry } from '../../shared/entry.ts';
import {
  byeLine, delay, freePort, HELLO_BODY, httpOver, sha256Hex, startBlackhole, startDante, startHttpTarget, startMicrosocks,
  startSsServer, startTcpTarget, startTinyproxy, startTlsFront, startUdpEcho, targetBody, UPSTREAM_ONLY_HOST,
} from '../peers/index.ts';
import type { DantePeer, HttpTarget, MicrosocksPeer, Peer, SsMethod, SsServerPeer, TcpServerHandle, TinyproxyPeer, TlsFront, UdpEcho } from '../peers/index.ts';

const LARGE = 20_000_000;
const UPLOAD = 8_000_000;
const BANNER = 'SSH-2.0-porthole-test\r\n';
const METHODS: SsMethod[] = ['chacha20-ietf-poly1305', 'aes-256-gcm', 'aes-128-gcm'];
const MICRO = { user: 'porthole', pass: 'micro-pass' };
const DANTE = { user: 'porthole', pass: 'dante-pass' };
const TINY = { user: 'porthole', pass: 'tiny-pass' };

let target: HttpTarget;
let echo: TcpServerHandle;
let banner: TcpServerHandle;
let blackhole: TcpServerHandle;
let udpEcho: UdpEcho;
let microsocks: MicrosocksPeer;
let dante: DantePeer;
let danteAuth: DantePeer;
let tinyproxy: TinyproxyPeer;
let tlsFront: TlsFront;
const ssServers = new Map<SsMethod, SsServerPeer>();
const peers: Peer[] = [];

beforeAll(async () => {
  [target, echo, banner, blackhole, udpEcho] = await Promise.all([
    startHttpTarget(), startTcpTarget(), startTcpTarget({ banner: BANNER }), startBlackhole(), startUdpEcho(),
  ]);
  const started = await Promise.all([
    startMicrosocks(MICRO), startDante(), startDante({ auth: DANTE }), startTinyproxy({ basicAuth: TINY }),
    ...METHODS.map((method) => startSsServer({ method, password: `ss-${method}` })),
  ]);
  peers.push(...started);
  [microsocks, dante, danteAuth, tinyproxy] = started as [MicrosocksPeer, DantePeer, DantePeer, TinyproxyPeer];
  METHODS.forEach((method, i) => ssServers.set(method, started[4 + i] as SsServerPeer));
  tlsFront = await startTlsFront(tinyproxy);
  targetBody(LARGE);
});

afterAll(async () => {
  await Promise.all(peers.map((p) => p.stop()));
  await Promise.all([target?.close(), echo?.close(), banner?.close(), blackhole?.close(), udpEcho?.close(), tlsFront?.close()]);
});

function upstream(fields: Omit<Entry, 'id' | 'ports' | 'host'> & { port: number; host?: string }, options?: UpstreamForOptions): Upstream {
  const { port, host, ...rest } = fields;
  return upstreamFor({ id: 'test', host: host ?? '127.0.0.1', ports: [port], ...rest }, port, options);
}

function ss(method: SsMethod, overrides: { password?: string; port?: number; firstReplyTimeoutMs?: number; provider?: CipherProvider } = {}): Upstream {
  const server = ssServers.get(method) as SsServerPeer;
  return upstream(
    { protocol: 'shadowsocks', port: overrides.port ?? server.port, method, password: overrides.password ?? server.password },
    {
      shadowsocks: {
        ...(overrides.firstReplyTimeoutMs ? { firstReplyTimeoutMs: overrides.firstReplyTimeoutMs } : {}),
        ...(overrides.provider ? { provider: overrides.provider } : {}),
      },
    },
  );
}

/** One provider profile per distinct library serving `method`. */
function providersFor(method: SsMethod): { library: string; provider: CipherProvider }[] {
  const seen = new Map<string, CipherProvider>();
  for (const profile of Object.keys(PROVIDER_PROFILES) as ProfileName[]) {
    const provider = new CipherProvider(profile);
    const library = provider.backendFor(method)?.name;
    if (library && !seen.has(library)) seen.set(library, provider);
  }
  return [...seen].map(([library, provider]) => ({ library, provider }));
}

async function failure(promise: Promise<unknown>): Promise<UpstreamError> {
  const err = await promise.then(() => new Error('expected a failure, got success'), (e: unknown) => e);
  expect(err).toBeInstanceOf(PortholeError);
  return err as UpstreamError;
}

/** Reads until `bytes` bytes arrived or the stream ended/closed. */
function readSome(stream: Duplex, bytes: number, timeoutMs = 5000): Promise<{ data: string; ended: boolean }> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let size = 0;
    let ended = false;
    const finish = (): void => {
      clearTimeout(timer);
      stream.removeListener('data', onData);
      resolve({ data: Buffer.concat(parts).toString(), ended });
    };
    const onData = (chunk: Buffer): void => {
      parts.push(chunk);
      size += chunk.length;
      if (size >= bytes) finish();
    };
    const timer = setTimeout(finish, timeoutMs);
    stream.on('data', onData);
    stream.once('end', () => {
      ended = true;
      finish();
    });
    stream.once('close', finish);
  });
}

interface Case {
  name: string;
  make: () => Upstream;
  /** 'full': the peer keeps relaying the other direction after our FIN (dante); 'closes': it closes both. */
  halfClose: 'full' | 'closes';
}

const cases: Case[] = [
  { name: 'socks5 microsocks (user/pass)', make: () => upstream({ protocol: 'socks5', port: microsocks.port, username: MICRO.user, password: MICRO.pass }), halfClose: 'closes' },
  { name: 'socks5 dante', make: () => upstream({ protocol: 'socks5', port: dante.port }), halfClose: 'full' },
  { name: 'socks5 dante (username method)', make: () => upstream({ protocol: 'socks5', port: danteAuth.port, username: DANTE.user, password: DANTE.pass }), halfClose: 'full' },
  { name: 'http tinyproxy (basic auth)', make: () => upstream({ protocol: 'http', port: tinyproxy.port, username: TINY.user, password: TINY.pass }), halfClose: 'closes' },
  {
    name: 'https (TLS front) tinyproxy (basic auth)',
    make: () => upstream({ protocol: 'https', port: tlsFront.port, username: TINY.user, password: TINY.pass }, { tls: { ca: tlsFront.ca } }),
    halfClose: 'closes',
  },
  ...METHODS.flatMap((method) => providersFor(method).map(({ library, provider }): Case => ({
    name: `shadowsocks ${method} ss-server, ${library}`, make: () => ss(method, { provider }), halfClose: 'closes',
  }))),
];

describe('the test machine', () => {
  it('cannot resolve the upstream-only name itself (so a successful fetch proves remote DNS)', () => {
    expect(fs.readFileSync('/etc/hosts', 'utf8')).not.toContain(UPSTREAM_ONLY_HOST);
  });
});

describe.each(cases)('$name', ({ make, halfClose }) => {
  it('fetches a small body from a name only the upstream can resolve', async () => {
    const before = target.requests.length;
    const stream = await make().connect({ host: UPSTREAM_ONLY_HOST, port: target.port }, { timeoutMs: 5000 });
    const res = await httpOver(stream, { host: `${UPSTREAM_ONLY_HOST}:${target.port}`, path: '/hello' });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe(HELLO_BODY);
    expect(target.requests.slice(before).map((r) => r.host)).toContain(`${UPSTREAM_ONLY_HOST}:${target.port}`);
  });

  it('downloads 20 MB intact', async () => {
    const stream = await make().connect({ host: '127.0.0.1', port: target.port }, { timeoutMs: 5000 });
    const res = await httpOver(stream, { host: `127.0.0.1:${target.port}`, path: `/bytes/${LARGE}` });
    expect(res.status).toBe(200);
    expect(res.body.length).toBe(LARGE);
    expect(res.sha256).toBe(sha256Hex(targetBody(LARGE)));
  });

  it('uploads 8 MB intact', async () => {
    const body = targetBody(UPLOAD);
    const stream = await make().connect({ host: '127.0.0.1', port: target.port }, { timeoutMs: 5000 });
    const res = await httpOver(stream, { method: 'POST', host: `127.0.0.1:${target.port}`, path: '/sha256', body });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe(sha256Hex(body));
  });

  it('keeps the bytes of a server that speaks first, even when read late', async () => {
    const stream = await make().connect({ host: '127.0.0.1', port: banner.port }, { timeoutMs: 5000 });
    await delay(150);
    const { data } = await readSome(stream, BANNER.length);
    stream.destroy();
    expect(data).toBe(BANNER);
  });

  it(halfClose === 'full' ? 'half-closes: our FIN reaches the target and its answer still comes back' : 'half-closes: our FIN reaches the target and our stream ends', async () => {
    const stream = await make().connect({ host: '127.0.0.1', port: echo.port }, { timeoutMs: 5000 });
    const conn = echo.nextConnection();
    const reading = readSome(stream, Number.MAX_SAFE_INTEGER, 5000);
    stream.write('ping');
    await delay(100);
    stream.end();
    expect((await (await conn).ended).toString()).toBe('ping');
    const { data, ended } = await reading;
    expect(ended).toBe(true);
    if (halfClose === 'full') expect(data).toBe(`ping${byeLine(4)}`);
    else expect(data).toBe('ping');
  });
});

describe('authentication', () => {
  it('microsocks: a wrong password and missing credentials fail with auth', async () => {
    const wrong = await failure(upstream({ protocol: 'socks5', port: microsocks.port, username: MICRO.user, password: 'nope' }).connect({ host: '127.0.0.1', port: target.port }));
    expect(wrong.code).toBe('auth');
    expect(wrong.message).toMatch(/rejected the username or password/);
    const none = await failure(upstream({ protocol: 'socks5', port: microsocks.port }).connect({ host: '127.0.0.1', port: target.port }));
    expect(none.code).toBe('auth');
    expect(none.message).not.toContain('micro-pass');
  });

  it('dante: a wrong password fails with auth', async () => {
    const wrong = await failure(upstream({ protocol: 'socks5', port: danteAuth.port, username: DANTE.user, password: 'nope' }).connect({ host: '127.0.0.1', port: target.port }));
    expect(wrong.code).toBe('auth');
  });

  it('tinyproxy: a wrong password and missing credentials fail with auth (407)', async () => {
    const wrong = await failure(upstream({ protocol: 'http', port: tinyproxy.port, username: TINY.user, password: 'nope' }).connect({ host: '127.0.0.1', port: target.port }));
    expect(wrong.code).toBe('auth');
    expect(wrong.message).toMatch(/rejected the username or password \(40[17]/);
    const none = await failure(upstream({ protocol: 'http', port: tinyproxy.port }).connect({ host: '127.0.0.1', port: target.port }));
    expect(none.code).toBe('auth');
    expect(none.message).toMatch(/requires authentication/);
  });

  it('https: an untrusted proxy certificate is refused by default', async () => {
    const err = await failure(upstream({ protocol: 'https', port: tlsFront.port }).connect({ host: '127.0.0.1', port: target.port }, { timeoutMs: 5000 }));
    expect(err.code).toBe('bad-reply');
    expect(err.message).toMatch(/self.signed|certificate/i);
  });

  it('shadowsocks: a wrong password or cipher fails cleanly within the reply timeout instead of hanging', async () => {
    const attempts = [
      ss('chacha20-ietf-poly1305', { password: 'wrong', firstReplyTimeoutMs: 1000 }),
      ss('chacha20-ietf-poly1305', { password: 'wrong', firstReplyTimeoutMs: 1000, provider: new CipherProvider('boringssl') }),
      upstream(
      { protocol: 'shadowsocks', port: (ssServers.get('aes-256-gcm') as SsServerPeer).port, method: 'aes-128-gcm', password: 'ss-aes-256-gcm' },
      { shadowsocks: { firstReplyTimeoutMs: 1000 } },
      )];
    await Promise.all(attempts.map(async (u) => {
      const started = Date.now();
      const stream = await u.connect({ host: '127.0.0.1', port: target.port });
      const err = await failure(httpOver(stream, { host: 'x', path: '/hello' }));
      expect(err.code).toBe('timeout');
      expect(err.message).toMatch(/wrong password or cipher/);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(stream.destroyed).toBe(true);
    }));
  });
});

describe('failures', () => {
  it('a port where nothing listens fails with refused, for every protocol', async () => {
    const port = await freePort();
    const all = [
      upstream({ protocol: 'socks5', port }),
      upstream({ protocol: 'http', port }),
      upstream({ protocol: 'https', port }),
      upstream({ protocol: 'shadowsocks', port, method: 'aes-128-gcm', password: 'x' }),
    ];
    for (const u of all) expect((await failure(u.connect({ host: '127.0.0.1', port: target.port }))).code, u.describe).toBe('refused');
    expect((await failure(new DirectUpstream().connect({ host: '127.0.0.1', port }))).code).toBe('refused');
  });

  it('a destination the proxy cannot reach is blamed on the destination', async () => {
    const port = await freePort();
    const viaDante = await failure(upstream({ protocol: 'socks5', port: dante.port }).connect({ host: '127.0.0.1', port }));
    expect([viaDante.code, viaDante.hop]).toEqual(['refused', 'destination']);
    const viaTiny = await failure(upstream({ protocol: 'http', port: tinyproxy.port, username: TINY.user, password: TINY.pass }).connect({ host: '127.0.0.1', port }));
    expect([viaTiny.code, viaTiny.hop]).toEqual(['bad-reply', 'destination']);
  });

  it('a proxy that accepts and never answers times out within timeoutMs and its sockets are destroyed', async () => {
    for (const protocol of ['socks5', 'http', 'https'] as const) {
      const started = Date.now();
      const err = await failure(upstream({ protocol, port: blackhole.port }).connect({ host: '127.0.0.1', port: target.port }, { timeoutMs: 300 }));
      const elapsed = Date.now() - started;
      expect(err.code, protocol).toBe('timeout');
      expect(elapsed).toBeGreaterThanOrEqual(290);
      expect(elapsed).toBeLessThan(1000);
    }
    await waitFor(() => blackhole.openCount() === 0);
  });

  it('an abort signal stops a pending connect at once and destroys its socket', async () => {
    const controller = new AbortController();
    const accepted = blackhole.connections.length;
    const started = Date.now();
    const pending = upstream({ protocol: 'socks5', port: blackhole.port }).connect({ host: '127.0.0.1', port: 80 }, { signal: controller.signal, timeoutMs: 10_000 });
    setTimeout(() => controller.abort(), 100);
    const err = await failure(pending);
    expect(err.code).toBe('aborted');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(blackhole.connections.length).toBe(accepted + 1);
    await waitFor(() => blackhole.openCount() === 0);
  });

  it('an already aborted signal does not even connect', async () => {
    const accepted = blackhole.connections.length;
    const err = await failure(upstream({ protocol: 'http', port: blackhole.port }).connect({ host: '127.0.0.1', port: 80 }, { signal: AbortSignal.abort() }));
    expect(err.code).toBe('aborted');
    await delay(50);
    expect(blackhole.connections.length).toBe(accepted);
  });
});

describe('UDP ASSOCIATE', () => {
  it('relays datagrams through dante to an IP and to a name only dante can resolve', async () => {
    const u = upstream({ protocol: 'socks5', port: dante.port });
    const relay = await (u.associateUdp as NonNullable<Upstream['associateUdp']>)({ timeoutMs: 5000 });
    const got: { host: string; port: number; payload: string }[] = [];
    relay.onMessage((from, payload) => got.push({ ...from, payload: payload.toString() }));
    relay.send({ host: '127.0.0.1', port: udpEcho.port }, Buffer.from('datagram one'));
    relay.send({ host: UPSTREAM_ONLY_HOST, port: udpEcho.port }, Buffer.from('datagram two'));
    await waitFor(() => got.length >= 2);
    expect(got.map((g) => g.payload).sort()).toEqual(['datagram one', 'datagram two']);
    for (const g of got) expect([g.host, g.port]).toEqual(['127.0.0.1', udpEcho.port]);
    let closed = false;
    relay.onClose?.(() => (closed = true));
    relay.close();
    expect(closed).toBe(true);
  });

  it('closes the relay, with an error, when the proxy drops the control connection', async () => {
    const own = await startDante();
    try {
      const u = upstream({ protocol: 'socks5', port: own.port });
      const relay = await (u.associateUdp as NonNullable<Upstream['associateUdp']>)({ timeoutMs: 5000 });
      const closed = new Promise<UpstreamError | undefined>((resolve) => relay.onClose?.(resolve));
      await own.stop();
      const err = await closed;
      expect(err).toBeInstanceOf(PortholeError);
      expect(err?.message).toMatch(/closed the UDP association/);
    } finally {
      await own.stop();
    }
  });

  it('fails clearly on a SOCKS5 server without UDP support (microsocks)', async () => {
    const u = upstream({ protocol: 'socks5', port: microsocks.port, username: MICRO.user, password: MICRO.pass });
    const err = await failure((u.associateUdp as NonNullable<Upstream['associateUdp']>)({ timeoutMs: 3000 }));
    expect(['bad-reply', 'refused', 'other', 'reset']).toContain(err.code);
  });
});

describe('direct', () => {
  it('fetches from a local destination', async () => {
    const stream = await new DirectUpstream().connect({ host: '127.0.0.1', port: target.port });
    const res = await httpOver(stream, { host: `127.0.0.1:${target.port}`, path: '/hello' });
    expect(res.body.toString()).toBe(HELLO_BODY);
  });
});

async function waitFor(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await delay(10);
  }
}
