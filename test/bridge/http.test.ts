// HTTP proxy side of the bridge: absolute-URI forwarding with keep-alive, CONNECT, PAC, errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Bridge } from '../../electron/core/bridge/index.ts';
import type { Destination } from '../../electron/core/bridge/upstreams/types.ts';
import { startHttpTarget, HELLO_BODY, startTcpTarget, byeLine, type HttpTarget, type TcpServerHandle } from '../peers/index.ts';
import { bridgeWith, connectTo, curl, directUpstream, failingUpstream, hangingUpstream, httpExchange, readAll, readN, readUntil, waitClosed } from './helpers.ts';

let web: HttpTarget;
let web2: HttpTarget;
let tcp: TcpServerHandle;
let bridge: Bridge;
const seen: Destination[] = [];
beforeAll(async () => {
  [web, web2, tcp] = await Promise.all([startHttpTarget(), startHttpTarget(), startTcpTarget()]);
  bridge = await bridgeWith([directUpstream('d', seen)]);
});
afterAll(async () => {
  await bridge.close();
  await Promise.all([web.close(), web2.close(), tcp.close()]);
});

describe('absolute-URI requests', () => {
  it('forwards several requests on one client connection, to different hosts, in origin form', async () => {
    const socket = await connectTo(bridge.port);
    const before = web.requests.length;
    const dialsBefore = seen.length;
    const r1 = await httpExchange(socket, `GET http://127.0.0.1:${web.port}/hello HTTP/1.1\r\nHost: 127.0.0.1:${web.port}\r\nProxy-Connection: keep-alive\r\nProxy-Authorization: Basic c2VjcmV0OnNlY3JldA==\r\nX-Drop: 1\r\nConnection: X-Drop\r\n\r\n`);
    expect(r1.status).toBe(200);
    expect(r1.body).toBe(HELLO_BODY);
    const r2 = await httpExchange(socket, `GET http://127.0.0.1:${web2.port}/headers HTTP/1.1\r\nHost: 127.0.0.1:${web2.port}\r\nProxy-Authorization: Basic c2VjcmV0OnNlY3JldA==\r\nX-Keep: yes\r\n\r\n`);
    expect(r2.status).toBe(200);
    const headers = JSON.parse(r2.body) as Record<string, string>;
    expect(headers['x-keep']).toBe('yes');
    expect(headers['proxy-authorization']).toBeUndefined();
    expect(headers['proxy-connection']).toBeUndefined();
    const r3 = await httpExchange(socket, `GET http://127.0.0.1:${web.port}/bytes/1000 HTTP/1.1\r\nHost: 127.0.0.1:${web.port}\r\n\r\n`);
    expect(r3.status).toBe(200);
    expect(r3.body.length).toBeGreaterThan(0);
    expect(web.requests.slice(before).map((r) => r.url)).toEqual(['/hello', '/bytes/1000']);
    expect(web2.requests.at(-1)?.url).toBe('/headers');
    // Upstream connections are kept alive too: one per origin, the second request to web reused it.
    expect(seen.slice(dialsBefore)).toEqual([{ host: '127.0.0.1', port: web.port }, { host: '127.0.0.1', port: web2.port }]);
    expect(socket.destroyed).toBe(false);
    socket.destroy();
  });

  it('keeps framing right: HEAD has no body, and pipelined requests are answered in order', async () => {
    const headServer = http.createServer((req, res) => { res.writeHead(200, { 'content-length': 5 }); res.end(req.method === 'HEAD' ? undefined : 'hello'); });
    await new Promise<void>((r) => headServer.listen(0, '127.0.0.1', () => r()));
    const headPort = (headServer.address() as AddressInfo).port;
    const socket = await connectTo(bridge.port);
    // A HEAD answer announces a length but carries no body: the next response must still parse.
    socket.write(`HEAD http://127.0.0.1:${headPort}/x HTTP/1.1\r\nHost: x\r\n\r\n`);
    const headAnswer = await readUntil(socket, '\r\n\r\n');
    expect(headAnswer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(headAnswer).toMatch(/\r\ncontent-length: 5\r\n/i);
    headServer.closeAllConnections();
    headServer.close();
    socket.write(`GET http://127.0.0.1:${web.port}/hello HTTP/1.1\r\nHost: x\r\n\r\nGET http://127.0.0.1:${web2.port}/bytes/10 HTTP/1.1\r\nHost: y\r\nConnection: close\r\n\r\n`);
    const all = (await readAll(socket)).toString('latin1');
    const statuses = [...all.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => m[1]);
    expect(statuses).toEqual(['200', '200']);
    expect(all.indexOf(HELLO_BODY)).toBeLessThan(all.lastIndexOf('HTTP/1.1 200'));
  });

  it('strips headers named by Connection', async () => {
    const socket = await connectTo(bridge.port);
    const r = await httpExchange(socket, `GET http://127.0.0.1:${web.port}/headers HTTP/1.1\r\nHost: x\r\nX-Private: 1\r\nConnection: X-Private\r\n\r\n`);
    expect(JSON.parse(r.body)['x-private']).toBeUndefined();
    socket.destroy();
  });

  it('forwards a chunked upload through curl --proxy', async () => {
    const r = await curl(['--proxy', `http://127.0.0.1:${bridge.port}`, '-H', 'Transfer-Encoding: chunked', '--data-binary', 'hello chunked world', `http://127.0.0.1:${web.port}/echo`]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('hello chunked world');
  });

  it('works for curl --proxy http:// (plain http)', async () => {
    const r = await curl(['--proxy', `http://127.0.0.1:${bridge.port}`, `http://127.0.0.1:${web.port}/hello`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(HELLO_BODY);
  });

  it('answers 400 to a malformed request and closes', async () => {
    const socket = await connectTo(bridge.port);
    socket.write('GARBAGE\r\n\r\n');
    const all = (await readAll(socket)).toString();
    expect(all).toMatch(/^HTTP\/1\.1 400 /);
  });

  it('answers 400 for non-http absolute URIs', async () => {
    const socket = await connectTo(bridge.port);
    const r = await httpExchange(socket, 'GET ftp://127.0.0.1/x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    expect(r.status).toBe(400);
    socket.destroy();
  });

  it('answers 431 to an oversized head', async () => {
    const socket = await connectTo(bridge.port);
    socket.write(`GET http://127.0.0.1:${web.port}/ HTTP/1.1\r\nX-Big: ${'a'.repeat(40_000)}\r\n\r\n`);
    expect((await readAll(socket)).toString()).toMatch(/^HTTP\/1\.1 431 /);
  });
});

describe('PAC', () => {
  it('serves /proxy.pac pointing at the bridge', async () => {
    const r = await curl([`http://127.0.0.1:${bridge.port}/proxy.pac`, '-D', '-']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/content-type: application\/x-ns-proxy-autoconfig/i);
    expect(r.stdout).toContain(`PROXY 127.0.0.1:${bridge.port}`);
    expect(r.stdout).toContain('function FindProxyForURL');
  });

  it('serves the PAC for an absolute URI that names the bridge itself (no loop)', async () => {
    const before = seen.length;
    const socket = await connectTo(bridge.port);
    const r = await httpExchange(socket, `GET http://127.0.0.1:${bridge.port}/proxy.pac HTTP/1.1\r\nHost: 127.0.0.1:${bridge.port}\r\n\r\n`);
    expect(r.status).toBe(200);
    expect(seen.length).toBe(before);
    socket.destroy();
  });

  it('answers 405 to POST /proxy.pac and 404 elsewhere', async () => {
    const socket = await connectTo(bridge.port);
    const r = await httpExchange(socket, 'POST /proxy.pac HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n');
    expect(r.status).toBe(405);
    expect(r.head).toMatch(/\r\nallow: GET, HEAD/i);
    const r2 = await httpExchange(socket, 'GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(r2.status).toBe(404);
    socket.destroy();
  });
});

describe('CONNECT', () => {
  it('tunnels and passes the half-close', async () => {
    const socket = await connectTo(bridge.port);
    socket.write(`CONNECT 127.0.0.1:${tcp.port} HTTP/1.1\r\nHost: 127.0.0.1:${tcp.port}\r\n\r\n`);
    const head = await readN(socket, 'HTTP/1.1 200 Connection Established\r\n\r\n'.length);
    expect(head.toString()).toBe('HTTP/1.1 200 Connection Established\r\n\r\n');
    socket.end('abc');
    expect((await readAll(socket)).toString()).toBe(`abc${byeLine(3)}`);
  });

  it('keeps bytes sent along with the CONNECT head', async () => {
    const socket = await connectTo(bridge.port);
    socket.end(`CONNECT 127.0.0.1:${tcp.port} HTTP/1.1\r\n\r\nearly`);
    expect((await readAll(socket)).toString()).toBe(`HTTP/1.1 200 Connection Established\r\n\r\nearly${byeLine(5)}`);
  });

  it('tunnels for curl -p (proxytunnel)', async () => {
    const r = await curl(['-p', '--proxy', `http://127.0.0.1:${bridge.port}`, `http://127.0.0.1:${web.port}/hello`]);
    expect(r.stdout).toBe(HELLO_BODY);
  });

  it('answers 400 to a bad authority', async () => {
    const socket = await connectTo(bridge.port);
    socket.write('CONNECT nonsense HTTP/1.1\r\n\r\n');
    expect((await readAll(socket)).toString()).toMatch(/^HTTP\/1\.1 400 /);
  });
});

describe('upstream failures over HTTP', () => {
  it('502 when the upstream refuses, 504 when it times out, 503 when there is none', async () => {
    const refused = await bridgeWith([failingUpstream('f', 'refused')]);
    const slow = await bridgeWith([hangingUpstream()], { limits: { connectTimeoutMs: 200 } });
    const none = await bridgeWith([]);
    try {
      for (const [b, status] of [[refused, 502], [slow, 504], [none, 503]] as const) {
        const socket = await connectTo(b.port);
        const r = await httpExchange(socket, 'GET http://example.invalid/ HTTP/1.1\r\nHost: example.invalid\r\n\r\n');
        expect(r.status).toBe(status);
        await waitClosed(socket);
        const c = await connectTo(b.port);
        c.write('CONNECT example.invalid:443 HTTP/1.1\r\n\r\n');
        expect((await readAll(c)).toString()).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
      }
    } finally {
      await Promise.all([refused.close(), slow.close(), none.close()]);
    }
  });
});
