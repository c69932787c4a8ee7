// Handshake timeout, idle timeout and the connection cap; nothing is left open afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTcpTarget, type TcpServerHandle } from '../peers/index.ts';
import { bridgeWith, connectTo, directUpstream, readN, socks5, waitClosed, until } from './helpers.ts';

let target: TcpServerHandle;
beforeAll(async () => { target = await startTcpTarget(); });
afterAll(async () => { await target.close(); });

describe('limits', () => {
  it('closes a silent client, a half-sent SOCKS5 greeting and a half-sent HTTP head after the handshake timeout', async () => {
    const b = await bridgeWith([directUpstream()], { limits: { handshakeTimeoutMs: 200 } });
    try {
      const t0 = Date.now();
      const silent = await connectTo(b.port);
      const socks = await connectTo(b.port);
      socks.write(Buffer.from([0x05, 0x02, 0x00]));
      const http = await connectTo(b.port);
      http.write('GET http://127.0.0.1/ HTTP/1.1\r\nHost: 127');
      await Promise.all([waitClosed(silent), waitClosed(socks), waitClosed(http)]);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
      await until(() => b.stats().active === 0);
    } finally {
      await b.close();
    }
  });

  it('does not apply the handshake timeout to an established tunnel', async () => {
    const b = await bridgeWith([directUpstream()], { limits: { handshakeTimeoutMs: 150 } });
    try {
      const { socket, rep } = await socks5(b.port, { host: '127.0.0.1', port: target.port });
      expect(rep).toBe(0);
      await new Promise((r) => setTimeout(r, 400));
      socket.write('still here');
      expect((await readN(socket, 10)).toString()).toBe('still here');
      socket.destroy();
    } finally {
      await b.close();
    }
  });

  it('closes an idle tunnel on both sides after the idle timeout', async () => {
    const b = await bridgeWith([directUpstream()], { limits: { idleTimeoutMs: 300 } });
    try {
      const { socket, rep } = await socks5(b.port, { host: '127.0.0.1', port: target.port });
      expect(rep).toBe(0);
      const conn = await target.nextConnection();
      socket.write('x');
      await readN(socket, 1);
      await waitClosed(socket, 3000);
      await conn.closed;
      await until(() => b.stats().active === 0 && b.stats().activeStreams === 0);
    } finally {
      await b.close();
    }
  });

  it('enforces maxConnections at accept and accepts again once a slot frees', async () => {
    const b = await bridgeWith([directUpstream()], { limits: { maxConnections: 3 } });
    try {
      const held = await Promise.all([connectTo(b.port), connectTo(b.port), connectTo(b.port)]);
      await until(() => b.stats().active === 3);
      const extra = await connectTo(b.port);
      await waitClosed(extra);
      expect(b.stats().rejected).toBe(1);
      held[0]?.destroy();
      await until(() => b.stats().active === 2);
      const { socket, rep } = await socks5(b.port, { host: '127.0.0.1', port: target.port });
      expect(rep).toBe(0);
      socket.destroy();
      for (const s of held) s.destroy();
    } finally {
      await b.close();
    }
  });

  it('rejects nonsense limits', async () => {
    await expect(bridgeWith([], { limits: { maxConnections: 0 } })).rejects.toThrow(/maxConnections/);
  });

  it('moves to the next port when the requested one is taken, unless strict', async () => {
    const a = await bridgeWith([], { port: 0 });
    const b = await bridgeWith([], { port: a.port });
    try {
      expect(b.port).toBeGreaterThan(a.port);
      await expect(bridgeWith([], { port: a.port, strictPort: true })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
