import { PassThrough, Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { HttpExchange } from './http-exchange.ts';

/** A fake server end: `reply(request)` returns what to send back (or null to stay silent). */
function pair(reply: (request: string, n: number) => string | Buffer | null): { client: Duplex; sent: string[]; server: PassThrough } {
  const toClient = new PassThrough();
  const sent: string[] = [];
  let n = 0;
  const client = new Duplex({
    read() {},
    write(chunk: Buffer, _enc, cb) {
      const req = chunk.toString('latin1');
      sent.push(req);
      const answer = reply(req, n++);
      if (answer !== null) setImmediate(() => toClient.write(answer));
      cb();
    },
    destroy(err, cb) {
      toClient.destroy();
      cb(err);
    },
  });
  toClient.on('data', (d: Buffer) => client.push(d));
  toClient.on('end', () => client.push(null));
  return { client, sent, server: toClient };
}

const req = { path: '/x', host: 'example.test', timeoutMs: 1000 };

describe('HttpExchange', () => {
  it('reads a content-length answer and keeps the connection for a second request', async () => {
    const { client, sent } = pair(() => 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello');
    const x = new HttpExchange(client);
    const a = await x.request(req);
    expect(a).toMatchObject({ status: 200, bodyBytes: 5, reusable: true, truncated: false });
    const b = await x.request(req);
    expect(b.status).toBe(200);
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatch(/^GET \/x HTTP\/1\.1\r\nHost: example\.test\r\n/);
    expect(sent[0]).toMatch(/Connection: keep-alive\r\n\r\n$/);
  });

  it('reads chunked bodies split across packets, with chunk extensions and trailers', async () => {
    const body = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nWiki\r\n5\r\npedia\r\n0\r\nX-Trailer: 1\r\n\r\n';
    const toClient = new PassThrough();
    const client = Duplex.from({ readable: toClient, writable: new PassThrough() });
    const x = new HttpExchange(client);
    const pending = x.request(req);
    for (const piece of body.match(/.{1,3}/gs)!) toClient.write(piece);
    const a = await pending;
    expect(a).toMatchObject({ status: 200, bodyBytes: 9, reusable: true });
  });

  it('a 204 has no body; a close-delimited body ends with the connection and is not reusable', async () => {
    const { client } = pair(() => 'HTTP/1.1 204 No Content\r\n\r\n');
    expect(await new HttpExchange(client).request(req)).toMatchObject({ status: 204, bodyBytes: 0, reusable: true });
    const p = pair(() => 'HTTP/1.0 200 OK\r\n\r\nsome bytes');
    const x = new HttpExchange(p.client);
    const pending = x.request(req);
    setTimeout(() => p.server.end(), 20);
    expect(await pending).toMatchObject({ status: 200, bodyBytes: 10, reusable: false });
  });

  it('"Connection: close" makes the answer non-reusable; maxBody stops a long body early', async () => {
    const { client } = pair(() => 'HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok');
    expect((await new HttpExchange(client).request(req)).reusable).toBe(false);
    const big = pair(() => `HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n${'a'.repeat(100000)}`);
    const a = await new HttpExchange(big.client).request({ ...req, maxBody: 1000 });
    expect(a.truncated).toBe(true);
    expect(a.reusable).toBe(false);
  });

  it('rejects what is not HTTP as bad-reply, silence as timeout, an early close as reset', async () => {
    const garbage = pair(() => Buffer.from([0x05, 0xff, 0x00, 0x13, 0x37, 0x00, 0x01]));
    await expect(new HttpExchange(garbage.client).request(req)).rejects.toMatchObject({ code: 'bad-reply' });
    const silent = pair(() => null);
    await expect(new HttpExchange(silent.client).request({ ...req, timeoutMs: 50 })).rejects.toMatchObject({ code: 'timeout' });
    const closer = pair(() => null);
    const pending = new HttpExchange(closer.client).request(req);
    setTimeout(() => closer.server.end(), 10);
    await expect(pending).rejects.toMatchObject({ code: 'reset', message: expect.stringMatching(/without any answer/) });
  });

  it('skips an interim 100 Continue answer', async () => {
    const { client } = pair(() => 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    expect((await new HttpExchange(client).request(req)).status).toBe(200);
  });
});
