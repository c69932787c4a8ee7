// ShadowsocksStream against a scripted in-process Shadowsocks server (the real ss-server is in
// test/interop): coalescing of the address header, half-close, backpressure, and failure modes; under
// every cipher provider profile, with chacha20 (where the profiles differ) and AES-GCM.
import { PortholeError } from '../../../../shared/errors.ts';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AeadOpener, AeadSealer, CIPHER_SPECS, evpBytesToKey } from './shadowsocks-aead.ts';
import type { CipherSpec } from './shadowsocks-aead.ts';
import { CipherProvider, PROVIDER_PROFILES } from './shadowsocks-crypto.ts';
import type { ProfileName } from './shadowsocks-crypto.ts';
import { ShadowsocksStream } from './shadowsocks-stream.ts';
import type { ShadowsocksStreamOptions } from './shadowsocks-stream.ts';
import { encodeAddress as encodeSocksAddress } from '../../net/socks5-address.ts';
import { type UpstreamError } from './types.ts';

const header = encodeSocksAddress({ host: 'target.test', port: 80 });

interface ServerSide {
  socket: net.Socket;
  /** Decrypted chunks in arrival order. */
  chunks: Buffer[];
  plain(): Buffer;
  ended: Promise<void>;
  /** Sends sealed data to the client. */
  send(data: Buffer): boolean;
  sealer: AeadSealer;
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

interface Setup {
  spec: CipherSpec;
  key: Buffer;
  provider: CipherProvider;
}
let setup: Setup;

async function pair(options: Partial<ShadowsocksStreamOptions> = {}): Promise<{ client: ShadowsocksStream; server: ServerSide }> {
  const { spec, key, provider } = setup;
  let accept: (s: ServerSide) => void = () => {};
  const accepted = new Promise<ServerSide>((r) => (accept = r));
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    // The scripted server uses node:crypto, so each profile is checked against another library.
    const opener = new AeadOpener(spec, key, new CipherProvider('node'));
    const sealer = new AeadSealer(spec, key, undefined, new CipherProvider('node'));
    const chunks: Buffer[] = [];
    socket.on('data', (d: Buffer) => chunks.push(...opener.open(d)));
    socket.on('error', () => {});
    accept({
      socket,
      chunks,
      plain: () => Buffer.concat(chunks),
      ended: new Promise((r) => socket.once('end', () => r())),
      send: (data) => socket.write(sealer.seal([data])),
      sealer,
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const socket = net.connect({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, allowHalfOpen: true });
  await new Promise((r) => socket.once('connect', r));
  const client = new ShadowsocksStream(socket, { upstream: 'shadowsocks test', spec, key, header, provider, ...options });
  client.on('error', () => {});
  const side = await accepted;
  cleanups.push(() => {
    client.destroy();
    side.socket.destroy();
    server.close();
  });
  return { client, server: side };
}

const until = async (cond: () => boolean, ms = 2000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
};

function errorOf(stream: ShadowsocksStream): Promise<UpstreamError> {
  return new Promise((resolve) => stream.once('error', (e) => resolve(e as UpstreamError)));
}

const CASES = (Object.keys(PROVIDER_PROFILES) as ProfileName[]).flatMap((profile) => (['chacha20-ietf-poly1305', 'aes-256-gcm'] as const).map((method) => ({ profile, method })));

/** More bytes than a paused loopback connection absorbs (its kernel buffers grow up to tcp_rmem + tcp_wmem). */
function moreThanLoopbackHolds(): number {
  const max = (file: string): number => {
    try {
      return Number(fs.readFileSync(file, 'utf8').trim().split(/\s+/).at(-1)) || 0;
    } catch {
      return 0;
    }
  };
  return Math.max(4 * 1024 * 1024, max('/proc/sys/net/ipv4/tcp_rmem') + max('/proc/sys/net/ipv4/tcp_wmem') + 2 * 1024 * 1024);
}

describe.each(CASES)('ShadowsocksStream, $method, provider $profile', ({ profile, method }) => {
  beforeAll(() => {
    const spec = CIPHER_SPECS[method];
    setup = { spec, key: evpBytesToKey('stream-test', spec.keyLength), provider: new CipherProvider(profile) };
  });

  it('sends the address header and the first payload in the same chunk', async () => {
    const { client, server } = await pair();
    client.write('GET / HTTP/1.1\r\n\r\n');
    await until(() => server.chunks.length > 0);
    expect(server.chunks[0]?.toString('latin1')).toBe(Buffer.concat([header, Buffer.from('GET / HTTP/1.1\r\n\r\n')]).toString('latin1'));
  });

  it('sends the header alone when the client does not speak first, then relays the server banner', async () => {
    const { client, server } = await pair({ headerDelayMs: 10 });
    await until(() => server.chunks.length > 0);
    expect(server.plain().equals(header)).toBe(true);
    server.send(Buffer.from('220 hello\r\n'));
    const [chunk] = (await new Promise<Buffer[]>((r) => client.once('data', (d: Buffer) => r([d]))));
    expect(chunk?.toString()).toBe('220 hello\r\n');
  });

  it('half-closes: end() reaches the server after all data, and the reply still arrives', async () => {
    const { client, server } = await pair();
    const data = randomBytes(300_000);
    client.write(data);
    client.end();
    await server.ended;
    expect(server.plain().equals(Buffer.concat([header, data]))).toBe(true);
    server.send(Buffer.from('bye'));
    server.socket.end();
    const got: Buffer[] = [];
    client.on('data', (d: Buffer) => got.push(d));
    await new Promise((r) => client.once('end', r));
    expect(Buffer.concat(got).toString()).toBe('bye');
  });

  it('splits one huge write into bounded batches and delivers it intact', async () => {
    const { client, server } = await pair();
    const data = randomBytes(6 * 1024 * 1024);
    const done = new Promise((r) => client.write(data, r));
    await done;
    client.end();
    await server.ended;
    const plain = server.plain();
    expect(plain.length).toBe(header.length + data.length);
    expect(createHash('sha256').update(plain.subarray(header.length)).digest('hex')).toBe(createHash('sha256').update(data).digest('hex'));
  });

  it('keeps concurrent tunnels intact while they share the pool of sealed-batch buffers', async () => {
    // Every batch here is sealed into a pooled buffer (plain TCP, >= 16 KiB): one handed back before
    // the kernel took it would show up as another tunnel's bytes.
    const tunnels = await Promise.all(Array.from({ length: 4 }, () => pair()));
    const sent = tunnels.map(() => randomBytes(3 * 1024 * 1024 + 123));
    await Promise.all(tunnels.map(async ({ client, server }, i) => {
      const data = sent[i] as Buffer;
      for (let at = 0; at < data.length; at += 64 * 1024) {
        if (!client.write(data.subarray(at, at + 64 * 1024))) await new Promise((r) => client.once('drain', r));
      }
      client.end();
      await server.ended;
    }));
    tunnels.forEach(({ server }, i) => {
      const plain = server.plain();
      expect(plain.length).toBe(header.length + (sent[i] as Buffer).length);
      expect(createHash('sha256').update(plain.subarray(header.length)).digest('hex')).toBe(createHash('sha256').update(sent[i] as Buffer).digest('hex'));
    });
  });

  it('reuses a sealed-batch buffer only once the socket has taken it', async () => {
    const held: { wire: Buffer; done: (err?: Error | null) => void }[] = [];
    const streams = Array.from({ length: 3 }, () => {
      // A plain net.Socket (so the stream pools its batches) whose writes wait for us.
      const socket = new net.Socket();
      socket.write = ((wire: Buffer, done?: (err?: Error | null) => void) => {
        held.push({ wire, done: done ?? (() => {}) });
        return true;
      }) as net.Socket['write'];
      const stream = new ShadowsocksStream(socket, { upstream: 'pool test', spec: setup.spec, key: setup.key, header, provider: setup.provider });
      stream.on('error', () => {});
      cleanups.push(() => stream.destroy());
      return stream;
    });
    const [a, b, c] = streams as [ShadowsocksStream, ShadowsocksStream, ShadowsocksStream];
    await new Promise((r) => a.write(randomBytes(64 * 1024), r));
    await new Promise((r) => b.write(randomBytes(64 * 1024), r));
    const [first, second] = held as [(typeof held)[0], (typeof held)[0]];
    expect(second.wire.buffer).not.toBe(first.wire.buffer);
    first.done();
    await new Promise((r) => c.write(randomBytes(64 * 1024), r));
    expect((held[2] as (typeof held)[0]).wire.buffer).toBe(first.wire.buffer);
  });

  it('completes a write that had to wait for the socket to drain (server reads late)', { timeout: 120_000 }, async () => {
    const { client, server } = await pair();
    server.socket.pause();
    const data = randomBytes(moreThanLoopbackHolds());
    let written = false;
    client.write(data, () => (written = true));
    await new Promise((r) => setTimeout(r, 200));
    expect(written).toBe(false);
    server.socket.resume();
    // Generous: the pure-JS profiles open tens of MiB here, on a shared machine.
    await until(() => written, 60_000);
    client.end();
    await new Promise((r) => client.once('finish', r));
    await server.ended;
    expect(server.plain().length).toBe(header.length + data.length);
  });

  it('applies backpressure: a client that does not read stops the socket, then gets everything', async () => {
    const { client, server } = await pair();
    client.write('x');
    const data = randomBytes(16 * 1024 * 1024);
    server.send(data);
    await new Promise((r) => setTimeout(r, 300));
    // Not read by anyone: the readable side holds about its high-water mark, the rest waits in the kernel
    // and in the server's send buffer.
    expect(client.readableLength).toBeLessThan(1024 * 1024);
    expect(server.socket.writableLength).toBeGreaterThan(4 * 1024 * 1024);
    const hash = createHash('sha256');
    let n = 0;
    client.on('data', (d: Buffer) => {
      hash.update(d);
      n += d.length;
    });
    await until(() => n === data.length, 10_000);
    expect(hash.digest('hex')).toBe(createHash('sha256').update(data).digest('hex'));
  });

  it('fails with auth when the server data does not authenticate', async () => {
    const { client, server } = await pair();
    const failed = errorOf(client);
    client.write('hi');
    await until(() => server.chunks.length > 0);
    const wire = server.sealer.seal([Buffer.from('reply')]);
    wire[wire.length - 1] = (wire[wire.length - 1] ?? 0) ^ 0xff;
    server.socket.write(wire);
    const err = await failed;
    expect(err).toBeInstanceOf(PortholeError);
    expect(err.code).toBe('auth');
    expect(err.message).toMatch(/failed authentication/);
    expect(client.destroyed).toBe(true);
  });

  it('fails with bad-reply when the server stops in the middle of a chunk', async () => {
    const { client, server } = await pair();
    const failed = errorOf(client);
    client.write('hi');
    client.resume();
    await until(() => server.chunks.length > 0);
    const wire = server.sealer.seal([Buffer.from('reply')]);
    server.socket.end(wire.subarray(0, wire.length - 4));
    const err = await failed;
    expect(err.code).toBe('bad-reply');
    expect(err.message).toMatch(/middle of a chunk/);
  });

  it('fails with timeout when a request gets no byte back (what ss-server does for a wrong password)', async () => {
    const { client } = await pair({ firstReplyTimeoutMs: 200 });
    const failed = errorOf(client);
    const started = Date.now();
    client.write('GET / HTTP/1.1\r\n\r\n');
    const err = await failed;
    expect(err.code).toBe('timeout');
    expect(err.message).toMatch(/wrong password or cipher/);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('does not time out an idle connection that never sent a request', async () => {
    const { client } = await pair({ firstReplyTimeoutMs: 100 });
    await new Promise((r) => setTimeout(r, 300));
    expect(client.destroyed).toBe(false);
  });
});
