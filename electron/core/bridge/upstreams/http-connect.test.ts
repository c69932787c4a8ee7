// HTTP CONNECT against scripted fake proxies (the real tinyproxy is in test/interop).
import { PortholeError } from '../../../../shared/errors.ts';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpConnectUpstream } from './http-connect.ts';
import { type UpstreamError } from './types.ts';

describe('HttpConnectUpstream with a scripted proxy', () => {
  const servers: net.Server[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
  });

  /** A proxy that reads the request head, then writes `answer` in the given pieces. */
  async function fakeProxy(pieces: string[], seen: string[] = []): Promise<number> {
    const server = net.createServer((socket) => {
      let head = '';
      socket.on('data', (chunk) => {
        head += chunk.toString('latin1');
        if (!head.includes('\r\n\r\n')) return;
        seen.push(head);
        void (async () => {
          for (const piece of pieces) {
            socket.write(piece);
            await new Promise((r) => setTimeout(r, 5));
          }
        })();
      });
      socket.on('error', () => {});
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return (server.address() as AddressInfo).port;
  }

  function upstream(port: number, auth = false): HttpConnectUpstream {
    return new HttpConnectUpstream({ id: 'x', host: '127.0.0.1', port, tls: false, ...(auth ? { username: 'u', password: 'p' } : {}) });
  }

  async function readAll(stream: NodeJS.ReadableStream, bytes: number): Promise<string> {
    let text = '';
    for await (const chunk of stream) {
      text += (chunk as Buffer).toString();
      if (text.length >= bytes) break;
    }
    return text;
  }

  it('keeps tunnel bytes that arrive with the response head, and the ones after', async () => {
    const seen: string[] = [];
    const port = await fakeProxy(['HTTP/1.1 200 OK\r\nVia: x\r\n\r\nSSH-2.0-banner\r\n', 'more'], seen);
    const stream = await upstream(port, true).connect({ host: 'only-upstream.porthole.test', port: 22 });
    // Let the second piece arrive before anyone reads: nothing may be lost meanwhile.
    await new Promise((r) => setTimeout(r, 50));
    expect(await readAll(stream, 'SSH-2.0-banner\r\nmore'.length)).toBe('SSH-2.0-banner\r\nmore');
    stream.destroy();
    expect(seen[0]).toContain('CONNECT only-upstream.porthole.test:22 HTTP/1.1\r\n');
    expect(seen[0]).toContain(`Proxy-Authorization: Basic ${Buffer.from('u:p').toString('base64')}`);
  });

  it('handles a response head split across reads', async () => {
    const port = await fakeProxy(['HTTP/1.1 20', '0 OK\r\n', '\r', '\ndata']);
    const stream = await upstream(port).connect({ host: 'a.test', port: 1 });
    expect(await readAll(stream, 4)).toBe('data');
    stream.destroy();
  });

  it('maps 407 to auth, other statuses to bad-reply, garbage and early close to bad-reply', async () => {
    const cases: [string[], string, RegExp][] = [
      [['HTTP/1.1 407 Proxy Authentication Required\r\n\r\n'], 'auth', /requires authentication/],
      [['HTTP/1.0 401 Unauthorized\r\n\r\n'], 'auth', /requires authentication \(401/],
      [['HTTP/1.1 403 Forbidden\r\n\r\n'], 'bad-reply', /403 Forbidden/],
      [['HTTP/1.1 502 Bad Gateway\r\n\r\n'], 'bad-reply', /502/],
      [['220 smtp.example ESMTP\r\n'], 'bad-reply', /not HTTP/],
    ];
    for (const [pieces, kind, message] of cases) {
      const port = await fakeProxy(pieces);
      const err = await upstream(port).connect({ host: 'a.test', port: 1 }).catch((e: unknown) => e);
      expect(err, pieces[0]).toBeInstanceOf(PortholeError);
      expect((err as UpstreamError).code).toBe(kind);
      expect((err as UpstreamError).message).toMatch(message);
    }
    const closing = net.createServer((s) => s.once('data', () => s.end()));
    servers.push(closing);
    await new Promise<void>((r) => closing.listen(0, '127.0.0.1', r));
    const err = await upstream((closing.address() as AddressInfo).port).connect({ host: 'a.test', port: 1 }).catch((e: unknown) => e);
    expect((err as UpstreamError).code).toBe('bad-reply');
    expect((err as UpstreamError).message).toMatch(/without answering/);
  });

  it('refuses destinations that could inject into the request', async () => {
    const err = await upstream(1).connect({ host: 'a.test\r\nX-Evil: 1', port: 80 }).catch((e: unknown) => e);
    expect((err as UpstreamError).code).toBe('other');
    expect((err as UpstreamError).message).toMatch(/forbidden characters/);
  });
});
