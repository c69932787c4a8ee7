// LAN sharing credentials: RFC 1929 for SOCKS5, Proxy-Authorization Basic for HTTP.
// Tests only have loopback, so the bridge is told not to exempt loopback clients.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type Bridge } from '../../electron/core/bridge/index.ts';
import { startHttpTarget, HELLO_BODY, type HttpTarget } from '../peers/index.ts';
import { bridgeWith, connectTo, curl, directUpstream, httpExchange, readAll, readN, socks5, waitClosed } from './helpers.ts';

const share = { username: 'alice', password: 's3cret pass', exemptLoopback: false };
let web: HttpTarget;
let bridge: Bridge;
beforeAll(async () => {
  web = await startHttpTarget();
  bridge = await bridgeWith([directUpstream()], { share });
});
afterAll(async () => {
  await bridge.close();
  await web.close();
});

const basic = (u: string, p: string): string => Buffer.from(`${u}:${p}`).toString('base64');

describe('SOCKS5 username/password', () => {
  it('accepts the right credentials', async () => {
    const { socket, rep } = await socks5(bridge.port, { host: '127.0.0.1', port: web.port }, { auth: { user: 'alice', pass: 's3cret pass' } });
    expect(rep).toBe(0);
    socket.write(`GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    expect((await readAll(socket)).toString()).toContain(HELLO_BODY);
  });

  it('rejects wrong credentials with status 1 and closes', async () => {
    const { socket, rep, reply } = await socks5(bridge.port, { host: '127.0.0.1', port: web.port }, { auth: { user: 'alice', pass: 'wrong' } });
    expect(rep).toBe(-1);
    expect([...reply]).toEqual([0x01, 0x01]);
    await waitClosed(socket);
  });

  it('answers 0xFF to a client that offers only "no authentication"', async () => {
    const { socket, rep } = await socks5(bridge.port, { host: '127.0.0.1', port: web.port });
    expect(rep).toBe(0xff);
    await waitClosed(socket);
  });

  it('works with curl --proxy-user over socks5h, and fails with a wrong password', async () => {
    const ok = await curl(['-x', `socks5h://127.0.0.1:${bridge.port}`, '--proxy-user', 'alice:s3cret pass', `http://127.0.0.1:${web.port}/hello`]);
    expect(ok.stdout).toBe(HELLO_BODY);
    const bad = await curl(['-x', `socks5h://127.0.0.1:${bridge.port}`, '--proxy-user', 'alice:nope', `http://127.0.0.1:${web.port}/hello`]);
    expect(bad.code).not.toBe(0);
    expect(bad.stdout).toBe('');
  });
});

describe('HTTP Proxy-Authorization', () => {
  it('answers 407 with a challenge without credentials and closes; forwards with them', async () => {
    const first = await connectTo(bridge.port);
    const r1 = await httpExchange(first, `GET http://127.0.0.1:${web.port}/hello HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(r1.status).toBe(407);
    expect(r1.head).toMatch(/\r\nproxy-authenticate: Basic realm=/i);
    await waitClosed(first);
    const second = await connectTo(bridge.port);
    const r2 = await httpExchange(second, `GET http://127.0.0.1:${web.port}/hello HTTP/1.1\r\nHost: x\r\nProxy-Authorization: Basic ${basic('alice', 'wrong')}\r\n\r\n`);
    expect(r2.status).toBe(407);
    await waitClosed(second);
    const socket = await connectTo(bridge.port);
    const r3 = await httpExchange(socket, `GET http://127.0.0.1:${web.port}/headers HTTP/1.1\r\nHost: x\r\nProxy-Authorization: Basic ${basic('alice', 's3cret pass')}\r\n\r\n`);
    expect(r3.status).toBe(200);
    expect(JSON.parse(r3.body)['proxy-authorization']).toBeUndefined();
    socket.destroy();
  });

  it('answers 407 to CONNECT without credentials and tunnels with them', async () => {
    const c = await connectTo(bridge.port);
    c.write(`CONNECT 127.0.0.1:${web.port} HTTP/1.1\r\n\r\n`);
    expect((await readAll(c)).toString()).toMatch(/^HTTP\/1\.1 407 /);
    const ok = await curl(['-p', '--proxy', `http://127.0.0.1:${bridge.port}`, '--proxy-user', 'alice:s3cret pass', `http://127.0.0.1:${web.port}/hello`]);
    expect(ok.stdout).toBe(HELLO_BODY);
  });

  it('serves the PAC to a client that must authenticate only with credentials', async () => {
    const anonymous = await connectTo(bridge.port);
    expect((await httpExchange(anonymous, 'GET /proxy.pac HTTP/1.1\r\nHost: x\r\n\r\n')).status).toBe(401);
    await waitClosed(anonymous);
    const socket = await connectTo(bridge.port);
    const r = await httpExchange(socket, `GET /proxy.pac HTTP/1.1\r\nHost: x\r\nAuthorization: Basic ${basic('alice', 's3cret pass')}\r\n\r\n`);
    expect(r.status).toBe(200);
    socket.destroy();
  });
});

describe('sharing defaults', () => {
  it('generates random credentials and still lets loopback clients in without them', async () => {
    const a = await startBridge({ host: '127.0.0.1', port: 0, candidates: () => [directUpstream()], share: true });
    const b = await startBridge({ host: '127.0.0.1', port: 0, candidates: () => [directUpstream()], share: {} });
    try {
      expect(a.share?.username).toMatch(/^porthole-[0-9a-f]{6}$/);
      expect(a.share?.password.length).toBeGreaterThanOrEqual(16);
      expect(a.share?.password).not.toBe(b.share?.password);
      const { socket, rep } = await socks5(a.port, { host: '127.0.0.1', port: web.port });
      expect(rep).toBe(0);
      socket.destroy();
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('is off by default, and refuses a non-loopback bind without it', async () => {
    const plain = await bridgeWith([directUpstream()]);
    expect(plain.share).toBeNull();
    expect(plain.host).toBe('127.0.0.1');
    await plain.close();
    await expect(startBridge({ host: '0.0.0.0', port: 0, candidates: () => [] })).rejects.toThrow(/without LAN sharing/);
  });

  it('does not treat a SOCKS5 auth sub-negotiation with a bad version as success', async () => {
    const socket = await connectTo(bridge.port);
    socket.write(Buffer.from([0x05, 0x01, 0x02]));
    expect([...(await readN(socket, 2))]).toEqual([0x05, 0x02]);
    const u = Buffer.from('alice');
    const p = Buffer.from('s3cret pass');
    socket.write(Buffer.concat([Buffer.from([0x02, u.length]), u, Buffer.from([p.length]), p]));
    expect([...(await readAll(socket))]).toEqual([0x01, 0x01]);
  });
});
