import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { connectRequest, exchangeConnect, parseResponseHead } from './http-connect.ts';

// From electron/core/bridge/upstreams/http-connect.test.ts (the codec moved here).
describe('CONNECT request and response head', () => {
  it('asks for host:port with Basic credentials, IPv6 in brackets', () => {
    expect(connectRequest({ host: 'example.org', port: 443 }, 'user', 'pä:ss')).toBe(
      `CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\nProxy-Authorization: Basic ${Buffer.from('user:pä:ss').toString('base64')}\r\n\r\n`,
    );
    expect(connectRequest({ host: '::1', port: 80 })).toBe('CONNECT [::1]:80 HTTP/1.1\r\nHost: [::1]:80\r\n\r\n');
  });

  it('parses status lines and rejects garbage', () => {
    expect(parseResponseHead(Buffer.from('HTTP/1.1 200 Connection established\r\n\r\nrest'))).toEqual({ status: 200, reason: 'Connection established', length: 39 });
    expect(parseResponseHead(Buffer.from('HTTP/1.0 407\r\nProxy-Authenticate: Basic\r\n\r\n'))?.status).toBe(407);
    expect(parseResponseHead(Buffer.from('HTTP/1.1 200 OK\r\n'))).toBeNull();
    expect(() => parseResponseHead(Buffer.from('SSH-2.0-OpenSSH\r\n'))).toThrow(/not HTTP/);
    expect(() => parseResponseHead(Buffer.from('HTTP/1.1 abc\r\n\r\n'))).toThrow(/bad status line/);
    expect(() => parseResponseHead(Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nX: '), Buffer.alloc(20_000, 97)]))).toThrow(/exceeds/);
  });
});

describe('exchangeConnect over a socket', () => {
  const servers: net.Server[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
  });

  /** A proxy that records the request head and answers with `pieces` (then ends when `end`). */
  async function proxy(pieces: (string | Buffer)[], end = false, seen: string[] = []): Promise<number> {
    const server = net.createServer((socket) => {
      let head = '';
      socket.on('error', () => {});
      socket.on('data', (chunk) => {
        head += chunk.toString('latin1');
        if (!head.includes('\r\n\r\n')) return;
        seen.push(head);
        void (async () => {
          for (const piece of pieces) {
            socket.write(piece);
            await new Promise((r) => setTimeout(r, 5));
          }
          if (end) socket.end();
        })();
      });
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return (server.address() as AddressInfo).port;
  }

  it('sends the request on a socket still connecting, reads a head split over writes, returns the tunnel bytes', async () => {
    const seen: string[] = [];
    const port = await proxy(['HTTP/1.1 200 Conn', 'ection established\r', '\n\r\nfirst tunnel bytes'], false, seen);
    const socket = net.connect(port, '127.0.0.1');
    const answer = await exchangeConnect(socket, { host: 'example.org', port: 443 }, 'u', 'p');
    socket.destroy();
    expect(answer).toMatchObject({ ok: true, head: { status: 200, reason: 'Connection established' } });
    expect(answer.ok && answer.rest.toString()).toBe('first tunnel bytes');
    expect(seen[0]).toBe(connectRequest({ host: 'example.org', port: 443 }, 'u', 'p'));
    expect(socket.listenerCount('data')).toBe(0);
  });

  it('says "closed" when the proxy ends before a whole head, "garbage" for a non-HTTP answer, and rejects with socket errors', async () => {
    const closing = net.connect(await proxy(['HTTP/1.1 200'], true), '127.0.0.1');
    await expect(exchangeConnect(closing, { host: 'a.test', port: 1 })).resolves.toMatchObject({ ok: false, problem: 'closed' });
    closing.destroy();
    const ssh = net.connect(await proxy(['SSH-2.0-OpenSSH_9\r\n']), '127.0.0.1');
    await expect(exchangeConnect(ssh, { host: 'a.test', port: 1 })).resolves.toMatchObject({ ok: false, problem: 'garbage', detail: expect.stringMatching(/not HTTP/) });
    ssh.destroy();
    const free = await proxy([]);
    await new Promise((r) => servers.pop()!.close(r));
    const refused = net.connect(free, '127.0.0.1');
    await expect(exchangeConnect(refused, { host: 'a.test', port: 1 })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
