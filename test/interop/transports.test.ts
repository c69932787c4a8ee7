// The 2026 transports (Trojan, VLESS, VMess AEAD, Shadowsocks over WebSocket and with a salt prefix; TLS, WebSocket, a CDN front) against real peers: Debian's v2ray
// and trojan, and nginx as a TLS-terminating front, all on 127.0.0.1 with certificates made here.
// Each kind: through the upstream itself (names only the peer resolves, large bodies both ways, a
// server that speaks first, half-close) and through the real bridge with curl. Failures keep their
// classes: a wrong pin, a wrong path or Host, an unknown user.
import { PortholeError } from '../../shared/errors.ts';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bridge } from '../../electron/core/bridge/index.ts';
import { upstreamFor, type UpstreamError } from '../../electron/core/bridge/upstreams/index.ts';
import type { Upstream } from '../../electron/core/bridge/upstreams/index.ts';
import { probeOne } from '../helpers/probe-one.ts';
import type { ProbeOptions } from '../../electron/core/probe/index.ts';
import type { Entry } from '../../shared/entry.ts';
import { parseProxyLink } from '../../shared/proxy-link.ts';
import {
  delay, HELLO_BODY, httpOver, sha256Hex, startHttpTarget, startTcpTarget, shareLinkFor, startTransportWorld, targetBody, TRANSPORT_KINDS, UPSTREAM_ONLY_HOST, WORLD_SS_PREFIX,
} from '../peers/index.ts';
import type { HttpTarget, TcpServerHandle, TransportKind, TransportWorld } from '../peers/index.ts';
import { bridgeWith, curl } from '../bridge/helpers.ts';

const LARGE = 8_000_000;
const UPLOAD = 4_000_000;
const BANNER = 'SSH-2.0-porthole-test\r\n';

let world: TransportWorld;
let target: HttpTarget;
let echo: TcpServerHandle;
let banner: TcpServerHandle;

beforeAll(async () => {
  [world, target, echo, banner] = await Promise.all([startTransportWorld(), startHttpTarget(), startTcpTarget(), startTcpTarget({ banner: BANNER })]);
  targetBody(LARGE);
}, 60_000);

afterAll(async () => {
  await Promise.all([world?.stop(), target?.close(), echo?.close(), banner?.close()]);
});

function up(entry: Entry): Upstream {
  return upstreamFor(entry, entry.ports[0] as number);
}

async function failure(promise: Promise<unknown>): Promise<UpstreamError> {
  const err = await promise.then(() => new Error('expected a failure, got success'), (e: unknown) => e);
  expect(err).toBeInstanceOf(PortholeError);
  return err as UpstreamError;
}

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

describe.each(TRANSPORT_KINDS.map((kind) => ({ kind })))('$kind', ({ kind }: { kind: TransportKind }) => {
  const entry = (): Entry => world.entries[kind];

  it('fetches a small body from a name only the server can resolve', async () => {
    const before = target.requests.length;
    const stream = await up(entry()).connect({ host: UPSTREAM_ONLY_HOST, port: target.port }, { timeoutMs: 10_000 });
    const res = await httpOver(stream, { host: `${UPSTREAM_ONLY_HOST}:${target.port}`, path: '/hello' });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe(HELLO_BODY);
    expect(target.requests.slice(before).map((r) => r.host)).toContain(`${UPSTREAM_ONLY_HOST}:${target.port}`);
  });

  it('downloads and uploads megabytes intact', async () => {
    const down = await up(entry()).connect({ host: '127.0.0.1', port: target.port }, { timeoutMs: 10_000 });
    const res = await httpOver(down, { host: `127.0.0.1:${target.port}`, path: `/bytes/${LARGE}` });
    expect(res.status).toBe(200);
    expect(res.body.length).toBe(LARGE);
    expect(res.sha256).toBe(sha256Hex(targetBody(LARGE)));
    const body = targetBody(UPLOAD);
    const upStream = await up(entry()).connect({ host: '127.0.0.1', port: target.port }, { timeoutMs: 10_000 });
    const posted = await httpOver(upStream, { method: 'POST', host: `127.0.0.1:${target.port}`, path: '/sha256', body });
    expect(posted.body.toString()).toBe(sha256Hex(body));
  });

  it('keeps the bytes of a server that speaks first', async () => {
    const stream = await up(entry()).connect({ host: '127.0.0.1', port: banner.port }, { timeoutMs: 10_000 });
    await delay(100);
    const { data } = await readSome(stream, BANNER.length);
    stream.destroy();
    expect(data).toBe(BANNER);
  });

  it('half-closes: our FIN reaches the target and our stream ends', async () => {
    const stream = await up(entry()).connect({ host: '127.0.0.1', port: echo.port }, { timeoutMs: 10_000 });
    const conn = echo.nextConnection();
    const reading = readSome(stream, Number.MAX_SAFE_INTEGER, 10_000);
    stream.write('ping');
    await delay(100);
    stream.end();
    expect((await (await conn).ended).toString()).toBe('ping');
    const { data, ended } = await reading;
    expect(ended).toBe(true);
    expect(data.startsWith('ping')).toBe(true);
  });

  it('carries curl through the real bridge', async () => {
    const bridge: Bridge = await bridgeWith([up(entry())]);
    try {
      const res = await curl(['--proxy', `socks5h://127.0.0.1:${bridge.port}`, `http://${UPSTREAM_ONLY_HOST}:${target.port}/hello`]);
      expect(res.stderr).toBe('');
      expect(res.stdout).toBe(HELLO_BODY);
      const big = await curl(['--proxy', `http://127.0.0.1:${bridge.port}`, `http://127.0.0.1:${target.port}/bytes/${LARGE}`]);
      expect(sha256Hex(big.body)).toBe(sha256Hex(targetBody(LARGE)));
    } finally {
      await bridge.close();
    }
  });
});

describe('from a share link to a page', () => {
  it.each(TRANSPORT_KINDS.map((kind) => ({ kind })))('$kind', async ({ kind }: { kind: TransportKind }) => {
    const link = shareLinkFor(world.entries[kind], kind);
    if (link === null) {
      // Only the Shadowsocks-over-WebSocket front, whose SNI differs from its Host: no link form carries that.
      expect(kind).toBe('ss-ws-tls-front');
      return;
    }
    const parsed = parseProxyLink(link);
    expect(parsed.protocol).toBe(world.entries[kind].protocol);
    const entry: Entry = { ...parsed, id: `link-${kind}` } as Entry;
    const stream = await up(entry).connect({ host: UPSTREAM_ONLY_HOST, port: target.port }, { timeoutMs: 10_000 });
    const res = await httpOver(stream, { host: `${UPSTREAM_ONLY_HOST}:${target.port}`, path: '/hello' });
    expect(res.body.toString()).toBe(HELLO_BODY);
  });
});

describe('Shadowsocks salt prefix', () => {
  it('the stream starts with the prefix bytes, and the rest of the salt is random', async () => {
    const seen: Buffer[] = [];
    const server = net.createServer((socket) => {
      socket.once('data', (data: Buffer) => {
        seen.push(data);
        socket.destroy();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const entry = { ...world.entries['ss-prefix'], ports: [port] };
      for (let i = 0; i < 2; i++) {
        const stream = await upstreamFor(entry, port).connect({ host: '127.0.0.1', port: 80 }, { timeoutMs: 5000 });
        stream.on('error', () => {});
        stream.write('GET / HTTP/1.1\r\n\r\n');
        await delay(200);
        stream.destroy();
      }
    } finally {
      server.close();
    }
    const prefix = Buffer.from(WORLD_SS_PREFIX, 'base64url');
    expect(seen).toHaveLength(2);
    for (const first of seen) expect(first.subarray(0, prefix.length).equals(prefix)).toBe(true);
    expect((seen[0] as Buffer).subarray(0, 32).equals((seen[1] as Buffer).subarray(0, 32))).toBe(false);
  });
});

describe('failures keep their classes', () => {
  const dest = (): { host: string; port: number } => ({ host: '127.0.0.1', port: target.port });

  it('a certificate that is not the pinned one fails at the proxy, saying so', async () => {
    const entry = world.entries['vless-tls'];
    const err = await failure(up({ ...entry, tls: { ...entry.tls, pinSha256: world.frontCert.pin } }).connect(dest(), { timeoutMs: 10_000 }));
    expect(err.code).toBe('bad-reply');
    expect(err.hop).toBe('proxy');
    expect(err.message).toMatch(/not the pinned one/);
  });

  it('a self-signed certificate without a pin is refused; insecure (the link said so) accepts it', async () => {
    const entry = world.entries['trojan-gfw-tls'];
    const err = await failure(up({ ...entry, tls: { sni: 'real.porthole.test' } }).connect(dest(), { timeoutMs: 10_000 }));
    expect(err.code).toBe('bad-reply');
    const stream = await up({ ...entry, tls: { sni: 'real.porthole.test', insecure: true } }).connect(dest(), { timeoutMs: 10_000 });
    expect((await httpOver(stream, { host: 'x', path: '/hello' })).body.toString()).toBe(HELLO_BODY);
  });

  it('the front refuses a wrong Host or path with a clear WebSocket error', async () => {
    const entry = world.entries['vless-ws-tls-front'];
    const transport = entry.transport ?? { type: 'ws' as const };
    for (const bad of [{ ...transport, host: 'other.porthole.test' }, { ...transport, path: '/nope' }]) {
      const err = await failure(up({ ...entry, transport: bad }).connect(dest(), { timeoutMs: 10_000 }));
      expect(err.code).toBe('bad-reply');
      expect(err.hop).toBe('proxy');
      expect(err.message).toMatch(/refused the WebSocket upgrade .*404/);
    }
  });

  it('an unknown VLESS user gets no data through', async () => {
    const entry = world.entries['vless-tcp'];
    const stream = await up({ ...entry, uuid: '00000000-0000-4000-8000-000000000000' }).connect(dest(), { timeoutMs: 10_000 });
    await expect(httpOver(stream, { host: 'x', path: '/hello', timeoutMs: 5000 })).rejects.toThrow();
  });

  it('a dead port is refused', async () => {
    const entry = world.entries['trojan-tls'];
    const err = await failure(upstreamFor({ ...entry, ports: [1] }, 1).connect(dest(), { timeoutMs: 10_000 }));
    expect(err.code).toBe('refused');
  });
});

describe('probing goes through the same upstreams', () => {
  const options: ProbeOptions = { timeouts: { connectMs: 10_000, handshakeMs: 10_000, requestMs: 5000 }, defaultProbeUrls: [] };
  const probeUrl = (): string => `http://127.0.0.1:${target.port}/hello`;

  it('every kind probes ok', async () => {
    const results = await Promise.all(TRANSPORT_KINDS.map((kind) => probeOne({ ...world.entries[kind], probeUrls: [probeUrl()] }, options)));
    for (const r of results) expect(r.error).toBeNull();
    expect(results.every((r) => r.ok)).toBe(true);
  });

  it("a wrong user id or password is the server's silence at the handshake, not a blocked probe URL", async () => {
    const vless = { ...world.entries['vless-ws-tls-front'], uuid: '00000000-0000-4000-8000-000000000000', probeUrls: [probeUrl()] };
    const trojan = { ...world.entries['trojan-tls'], password: 'not-the-password', probeUrls: [probeUrl()] };
    const vmess = { ...world.entries['vmess-tls'], uuid: '00000000-0000-4000-8000-000000000000', probeUrls: [probeUrl()] };
    for (const r of await Promise.all([probeOne(vless, options), probeOne(trojan, options), probeOne(vmess, options)])) {
      expect(r.ok).toBe(false);
      expect(r.error?.stage).toBe('handshake');
      expect(r.error?.message).toMatch(/wrong (user id|password)/);
    }
  });
});
