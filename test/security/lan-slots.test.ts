// LAN sharing cannot be used to exhaust the bridge: an unauthenticated LAN host gets nothing
// but a challenge and a closed connection, a slow second request head is timed out, and LAN
// hosts cannot take the connections kept for this computer's own browsers. Tests only have
// loopback, so "the LAN" is 127.0.0.2 and this computer is 127.0.0.1.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Bridge } from '../../electron/core/bridge/index.ts';
import { bridgeWith, directUpstream, httpExchange, readN, socks5, waitClosed } from '../bridge/helpers.ts';
import { startHttpTarget } from '../peers/index.ts';

const share = { username: 'alice', password: 's3cret', exemptLoopback: ['127.0.0.1'] };
const auth = `Basic ${Buffer.from('alice:s3cret').toString('base64')}`;
const open: net.Socket[] = [];
let bridge: Bridge | null = null;
afterEach(async () => {
  for (const s of open.splice(0)) s.destroy();
  await bridge?.close();
  bridge = null;
});

function fromLan(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host: '127.0.0.1', localAddress: '127.0.0.2' });
    open.push(s);
    s.once('connect', () => { s.off('error', reject); s.on('error', () => {}); resolve(s); });
    s.once('error', reject);
  });
}

describe('LAN sharing under attack', () => {
  it('authenticates before answering anything, and closes after the challenge', async () => {
    bridge = await bridgeWith([directUpstream()], { share });
    for (const [request, status, header] of [
      ['GET /proxy.pac HTTP/1.1\r\nHost: x\r\n\r\n', 401, 'www-authenticate'],
      ['GET /nothing-here HTTP/1.1\r\nHost: x\r\n\r\n', 401, 'www-authenticate'],
      ['GET http://203.0.113.1/ HTTP/1.1\r\nHost: x\r\n\r\n', 407, 'proxy-authenticate'],
    ] as const) {
      const s = await fromLan(bridge.port);
      const r = await httpExchange(s, request);
      expect(r.status, request).toBe(status);
      expect(r.head.toLowerCase()).toContain(`\r\n${header}: basic realm=`);
      await waitClosed(s, 3000);
    }
    // With credentials the PAC file is served (Authorization for the bridge itself, or Proxy-Authorization).
    for (const h of ['Authorization', 'Proxy-Authorization']) {
      const s = await fromLan(bridge.port);
      const r = await httpExchange(s, `GET /proxy.pac HTTP/1.1\r\nHost: x\r\n${h}: ${auth}\r\n\r\n`);
      expect(r.status).toBe(200);
      expect(r.body).toContain('FindProxyForURL');
    }
  });

  it('times out a partial second request head, but not an idle kept-alive connection', async () => {
    bridge = await bridgeWith([directUpstream()], { share, limits: { handshakeTimeoutMs: 400 } });
    const slow = await fromLan(bridge.port);
    expect((await httpExchange(slow, `GET /proxy.pac HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth}\r\n\r\n`)).status).toBe(200);
    const idle = await fromLan(bridge.port);
    expect((await httpExchange(idle, `GET /proxy.pac HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth}\r\n\r\n`)).status).toBe(200);
    slow.write('GET /proxy.pac HTTP/1.1\r\nHost: x\r\n'); // never finished
    const t = Date.now();
    await waitClosed(slow, 5000);
    expect(Date.now() - t).toBeLessThan(4000);
    expect(idle.destroyed).toBe(false);
    expect((await httpExchange(idle, `GET /proxy.pac HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth}\r\n\r\n`)).status).toBe(200);
  });

  it("keeps connections for this computer's own clients when LAN hosts hold every other slot", async () => {
    const web = await startHttpTarget();
    try {
      bridge = await bridgeWith([directUpstream()], { share, limits: { maxConnections: 24, loopbackReserve: 6, handshakeTimeoutMs: 60_000 } });
      const lan = await Promise.all(Array.from({ length: 40 }, () => fromLan(bridge!.port)));
      // The LAN hosts hold what they can (the rest is closed at once).
      await new Promise((r) => setTimeout(r, 300));
      expect(lan.filter((s) => !s.destroyed).length).toBeLessThanOrEqual(18);
      let ok = 0;
      for (let i = 0; i < 5; i++) {
        const { socket, rep } = await socks5(bridge.port, { host: '127.0.0.1', port: web.port });
        open.push(socket);
        if (rep === 0) {
          socket.write('GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
          if ((await readN(socket, 12)).toString().startsWith('HTTP/1.1 200')) ok++;
        }
      }
      expect(ok).toBe(5);
    } finally {
      await web.close();
    }
  });
});
