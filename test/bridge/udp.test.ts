// SOCKS5 UDP ASSOCIATE: refused (0x07) without a UDP-capable upstream, relayed with one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import dgram from 'node:dgram';
import { encodeAddress, decodeAddress } from '../../electron/core/net/socks5-address.ts';
import { startUdpEcho, type UdpEcho } from '../peers/index.ts';
import { bridgeWith, directUpstream, socks5, udpUpstream, waitClosed } from './helpers.ts';

let echo: UdpEcho;
beforeAll(async () => { echo = await startUdpEcho(); });
afterAll(async () => { await echo.close(); });

function datagram(host: string, port: number, payload: string, frag = 0): Buffer {
  return Buffer.concat([Buffer.from([0, 0, frag]), encodeAddress({ host, port }), Buffer.from(payload)]);
}

function nextMessage(sock: dgram.Socket, timeoutMs = 2000): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => { sock.off('message', on); resolve(null); }, timeoutMs);
    const on = (msg: Buffer): void => { clearTimeout(timer); resolve(msg); };
    sock.once('message', on);
  });
}

describe('UDP ASSOCIATE', () => {
  it('is refused with 0x07 when no candidate relays UDP', async () => {
    const b = await bridgeWith([directUpstream()]);
    try {
      const { socket, rep } = await socks5(b.port, { host: '0.0.0.0', port: 0 }, { cmd: 0x03 });
      expect(rep).toBe(0x07);
      await waitClosed(socket);
    } finally {
      await b.close();
    }
  });

  it('relays datagrams both ways through the upstream and ends with the control connection', async () => {
    const up = udpUpstream('u');
    const b = await bridgeWith([directUpstream('tcp-only'), up]);
    const client = dgram.createSocket('udp4');
    await new Promise<void>((r) => client.bind(0, '127.0.0.1', () => r()));
    try {
      const { socket, rep, reply } = await socks5(b.port, { host: '0.0.0.0', port: 0 }, { cmd: 0x03 });
      expect(rep).toBe(0);
      const bound = decodeAddress(reply, 3)?.dest;
      expect(bound?.host).toBe('127.0.0.1');
      client.send(datagram(echo.host, echo.port, 'hello udp'), bound?.port as number, '127.0.0.1');
      const back = await nextMessage(client);
      expect(back).not.toBeNull();
      const from = decodeAddress(back as Buffer, 3);
      expect(from?.dest).toEqual({ host: echo.host, port: echo.port });
      expect((back as Buffer).subarray(from?.end).toString()).toBe('hello udp');
      // Fragments are dropped.
      client.send(datagram(echo.host, echo.port, 'frag', 1), bound?.port as number, '127.0.0.1');
      expect(await nextMessage(client, 300)).toBeNull();
      const s = b.stats().upstreams.find((u) => u.id === 'u');
      expect([s?.bytesUp, s?.bytesDown, s?.active]).toEqual([9, 9, 1]);
      socket.destroy();
      await expect.poll(() => up.closed, { timeout: 15_000 }).toBe(1);
      expect(b.stats().upstreams.find((u) => u.id === 'u')?.active).toBe(0);
    } finally {
      client.close();
      await b.close();
    }
  });

  it('ignores datagrams from another source port than the first one', async () => {
    const b = await bridgeWith([udpUpstream('u')]);
    const a = dgram.createSocket('udp4');
    const other = dgram.createSocket('udp4');
    await Promise.all([a, other].map((s) => new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()))));
    try {
      const { socket, reply } = await socks5(b.port, { host: '0.0.0.0', port: 0 }, { cmd: 0x03 });
      const port = decodeAddress(reply, 3)?.dest.port as number;
      a.send(datagram(echo.host, echo.port, 'first'), port, '127.0.0.1');
      expect(await nextMessage(a)).not.toBeNull();
      other.send(datagram(echo.host, echo.port, 'intruder'), port, '127.0.0.1');
      expect(await nextMessage(other, 300)).toBeNull();
      socket.destroy();
    } finally {
      a.close();
      other.close();
      await b.close();
    }
  });
});
