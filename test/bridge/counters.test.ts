// Byte and connection counters per upstream and in total.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTcpTarget, byeLine, type TcpServerHandle } from '../peers/index.ts';
import { bridgeWith, connectTo, curl, directUpstream, readAll, socks5, until } from './helpers.ts';

let target: TcpServerHandle;
beforeAll(async () => { target = await startTcpTarget(); });
afterAll(async () => { await target.close(); });

describe('counters', () => {
  it('counts payload bytes both ways per upstream and in total, and open streams', async () => {
    const b = await bridgeWith([directUpstream('one')]);
    try {
      const { socket } = await socks5(b.port, { host: '127.0.0.1', port: target.port });
      await until(() => b.stats().activeStreams === 1);
      expect(b.stats().upstreams[0]?.active).toBe(1);
      const payload = Buffer.alloc(300_000, 7);
      socket.end(payload);
      const back = await readAll(socket);
      const down = payload.length + byeLine(payload.length).length;
      expect(back.length).toBe(down);
      await until(() => b.stats().active === 0 && b.stats().activeStreams === 0);
      const s = b.stats();
      expect(s.upstreams).toEqual([{ id: 'one', describe: 'test direct one', bytesUp: payload.length, bytesDown: down, active: 0, connections: 1, failures: 0 }]);
      expect([s.bytesUp, s.bytesDown, s.accepted, s.rejected]).toEqual([payload.length, down, 1, 0]);
    } finally {
      await b.close();
    }
  });

  it('counts HTTP-forwarded traffic on the upstream it went through', async () => {
    const b = await bridgeWith([directUpstream('web')]);
    const { startHttpTarget } = await import('../peers/index.ts');
    const web = await startHttpTarget();
    try {
      const r = await curl(['--proxy', `http://127.0.0.1:${b.port}`, `http://127.0.0.1:${web.port}/bytes/50000`]);
      expect(r.stdout.length).toBeGreaterThan(0);
      await until(() => b.stats().activeStreams === 0);
      const s = b.stats().upstreams[0];
      expect(s?.bytesDown).toBeGreaterThan(50_000);
      expect(s?.bytesDown).toBeLessThan(51_000);
      expect(s?.bytesUp).toBeGreaterThan(20);
      expect(s?.connections).toBe(1);
    } finally {
      await b.close();
      await web.close();
    }
  });

  it('counts connections that are still in the handshake as active', async () => {
    const b = await bridgeWith([]);
    try {
      const c = await connectTo(b.port);
      await until(() => b.stats().active === 1);
      c.destroy();
      await until(() => b.stats().active === 0);
    } finally {
      await b.close();
    }
  });
});
