// Socks5Upstream against scripted SOCKS5 servers, for wire details the real peers cannot force
// (test/interop covers microsocks and dante).
import { PortholeError } from '../../../../shared/errors.ts';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Socks5Upstream } from './socks5.ts';
import { type UpstreamError } from './types.ts';

const servers: net.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

/**
 * A SOCKS5 server that accepts method 0 (or 2 when `auth`), records the CONNECT request, and answers
 * with `reply` (bytes after the 10-byte success reply are tunnel payload), all in one write.
 */
async function scriptedSocks(reply: Buffer, requests: Buffer[] = [], auth = false): Promise<number> {
  const server = net.createServer((socket) => {
    let stage = 0;
    let buffered = Buffer.alloc(0);
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (stage === 0 && buffered.length >= 2 + (buffered[1] ?? 0)) {
        buffered = buffered.subarray(2 + (buffered[1] ?? 0));
        socket.write(Buffer.from([5, auth ? 2 : 0]));
        stage = auth ? 1 : 2;
      }
      if (stage === 1 && buffered.length >= 2) {
        const ulen = buffered[1] ?? 0;
        const plen = buffered[2 + ulen] ?? 0;
        if (buffered.length < 3 + ulen + plen) return;
        requests.push(buffered.subarray(0, 3 + ulen + plen));
        buffered = buffered.subarray(3 + ulen + plen);
        socket.write(Buffer.from([1, 0]));
        stage = 2;
      }
      if (stage === 2 && buffered.length >= 5) {
        requests.push(buffered);
        socket.write(reply);
        stage = 3;
      }
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

const SUCCESS = Buffer.from([5, 0, 0, 1, 127, 0, 0, 1, 0x1f, 0x90]);

describe('Socks5Upstream', () => {
  it('keeps payload that arrives in the same segment as the final reply, even when read late', async () => {
    const port = await scriptedSocks(Buffer.concat([SUCCESS, Buffer.from('SSH-2.0-early\r\n')]));
    const stream = await new Socks5Upstream({ id: 'x', host: '127.0.0.1', port }).connect({ host: 'a.test', port: 22 });
    await new Promise((r) => setTimeout(r, 50));
    const chunk = await new Promise<Buffer | null>((r) => {
      stream.once('data', r);
      setTimeout(() => r(null), 2000);
    });
    expect(chunk?.toString()).toBe('SSH-2.0-early\r\n');
    stream.destroy();
  });

  it('keeps payload when the server sends it and closes at once', async () => {
    const server = net.createServer((socket) => {
      socket.on('error', () => {});
      socket.once('data', () => {
        socket.write(Buffer.from([5, 0]));
        socket.once('data', () => socket.end(Buffer.concat([SUCCESS, Buffer.from('bye')])));
      });
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const stream = await new Socks5Upstream({ id: 'x', host: '127.0.0.1', port: (server.address() as AddressInfo).port }).connect({ host: 'a.test', port: 1 });
    await new Promise((r) => setTimeout(r, 50));
    let text = '';
    for await (const chunk of stream) text += (chunk as Buffer).toString();
    expect(text).toBe('bye');
  });

  it('sends names as names and credentials as RFC 1929', async () => {
    const requests: Buffer[] = [];
    const port = await scriptedSocks(SUCCESS, requests, true);
    const stream = await new Socks5Upstream({ id: 'x', host: '127.0.0.1', port, username: 'üser', password: 'pw' }).connect({ host: 'only-upstream.porthole.test', port: 443 });
    stream.destroy();
    const user = Buffer.from('üser');
    expect(requests[0]?.toString('hex')).toBe(Buffer.concat([Buffer.from([1, user.length]), user, Buffer.from([2]), Buffer.from('pw')]).toString('hex'));
    const name = Buffer.from('only-upstream.porthole.test');
    expect(requests[1]?.toString('hex')).toBe(Buffer.concat([Buffer.from([5, 1, 0, 3, name.length]), name, Buffer.from([1, 187])]).toString('hex'));
  });

  it('maps reply codes to kinds and blames the destination for its own failures', async () => {
    const cases: [number, string, string][] = [[5, 'refused', 'destination'], [4, 'unreachable', 'destination'], [2, 'refused', 'proxy'], [7, 'bad-reply', 'proxy']];
    for (const [code, kind, stage] of cases) {
      const port = await scriptedSocks(Buffer.from([5, code, 0, 1, 0, 0, 0, 0, 0, 0]));
      const err = await new Socks5Upstream({ id: 'x', host: '127.0.0.1', port }).connect({ host: 'a.test', port: 1 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PortholeError);
      expect([(err as UpstreamError).code, (err as UpstreamError).hop], `reply ${code}`).toEqual([kind, stage]);
    }
  });

  it('calls garbage a bad reply', async () => {
    const port = await scriptedSocks(Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n'));
    const err = await new Socks5Upstream({ id: 'x', host: '127.0.0.1', port }).connect({ host: 'a.test', port: 1 }).catch((e: unknown) => e);
    expect((err as UpstreamError).code).toBe('bad-reply');
  });
});
