// SOCKS5 side of the bridge with in-test upstreams: address types, reply codes, half-close,
// pipelined payload, BIND and SOCKS4 refusals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import type { Bridge } from '../../electron/core/bridge/index.ts';
import type { Destination } from '../../electron/core/bridge/upstreams/types.ts';
import { startTcpTarget, byeLine, type TcpServerHandle } from '../peers/index.ts';
import { bridgeWith, connectTo, curl, directUpstream, failingUpstream, mappedUpstream, readAll, readN, socks5, waitClosed } from './helpers.ts';

let target: TcpServerHandle;
let target6: net.Server;
let target6Port: number;
beforeAll(async () => {
  target = await startTcpTarget();
  target6 = net.createServer((s) => { s.on('error', () => {}); s.end('v6 hello'); });
  await new Promise<void>((resolve) => target6.listen(0, '::1', () => resolve()));
  target6Port = (target6.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await target.close();
  await new Promise<void>((resolve) => target6.close(() => resolve()));
});

async function withBridge<T>(b: Bridge, fn: (b: Bridge) => Promise<T>): Promise<T> {
  try {
    return await fn(b);
  } finally {
    await b.close();
  }
}

describe('SOCKS5 CONNECT', () => {
  it('relays to an IPv4 destination and passes the half-close both ways', async () => {
    const seen: Destination[] = [];
    await withBridge(await bridgeWith([directUpstream('d', seen)]), async (b) => {
      const { socket, rep } = await socks5(b.port, { host: '127.0.0.1', port: target.port });
      expect(rep).toBe(0);
      socket.write('ping');
      expect((await readN(socket, 4)).toString()).toBe('ping');
      socket.end(); // half-close: the target answers BYE after our FIN, then closes
      expect((await readAll(socket)).toString()).toBe(byeLine(4));
      expect(seen).toEqual([{ host: '127.0.0.1', port: target.port }]);
    });
  });

  it('relays to an IPv6 destination', async () => {
    const seen: Destination[] = [];
    await withBridge(await bridgeWith([directUpstream('d', seen)]), async (b) => {
      const { socket, rep } = await socks5(b.port, { host: '::1', port: target6Port });
      expect(rep).toBe(0);
      expect((await readAll(socket)).toString()).toBe('v6 hello');
      expect(seen).toEqual([{ host: '::1', port: target6Port }]);
    });
  });

  it('hands a domain name to the upstream as a name', async () => {
    const seen: Destination[] = [];
    await withBridge(await bridgeWith([mappedUpstream('m', target, seen)]), async (b) => {
      const { socket, rep } = await socks5(b.port, { host: 'example.invalid', port: 443 });
      expect(rep).toBe(0);
      socket.end('x');
      expect((await readAll(socket)).toString()).toBe(`x${byeLine(1)}`);
      expect(seen).toEqual([{ host: 'example.invalid', port: 443 }]);
    });
  });

  it('listens on ::1 too (curl -x socks5h://[::1]:PORT)', async () => {
    const { startHttpTarget, HELLO_BODY } = await import('../peers/index.ts');
    const web = await startHttpTarget();
    const b = await bridgeWith([directUpstream()], { host: '::1' });
    try {
      expect(b.url).toBe(`socks5://[::1]:${b.port}`);
      const r = await curl(['-x', `socks5h://[::1]:${b.port}`, `http://127.0.0.1:${web.port}/hello`]);
      expect(r.stdout).toBe(HELLO_BODY);
    } finally {
      await b.close();
      await web.close();
    }
  });

  it('keeps payload the client pipelined right after its request', async () => {
    await withBridge(await bridgeWith([directUpstream()]), async (b) => {
      const socket = await connectTo(b.port);
      const req = Buffer.from([0x05, 0x01, 0x00, 0x05, 0x01, 0x00, 0x01, 127, 0, 0, 1, target.port >> 8, target.port & 0xff]);
      socket.end(Buffer.concat([req, Buffer.from('early data')]));
      const all = await readAll(socket);
      expect(all.subarray(0, 2)).toEqual(Buffer.from([0x05, 0x00]));
      expect(all.subarray(2, 4)).toEqual(Buffer.from([0x05, 0x00]));
      expect(all.subarray(12).toString()).toBe(`early data${byeLine(10)}`);
    });
  });

  it('moves a large payload both ways intact (backpressure)', async () => {
    await withBridge(await bridgeWith([directUpstream()]), async (b) => {
      const { socket } = await socks5(b.port, { host: '127.0.0.1', port: target.port });
      const data = Buffer.alloc(8 * 1024 * 1024);
      for (let i = 0; i < data.length; i += 4) data.writeUInt32LE(i, i);
      socket.end(data);
      const echoed = await readAll(socket, 15_000);
      expect(echoed.length).toBe(data.length + byeLine(data.length).length);
      expect(echoed.subarray(0, data.length).equals(data)).toBe(true);
    });
  });
});

describe('SOCKS5 reply codes', () => {
  const cases: [string, Parameters<typeof failingUpstream>[1], number, unknown?][] = [
    ['refused', 'refused', 0x05],
    ['timeout', 'timeout', 0x06],
    ['host unreachable', 'unreachable', 0x04],
    ['network unreachable', 'unreachable', 0x03, Object.assign(new Error('x'), { code: 'ENETUNREACH' })],
    ['dns failure', 'dns', 0x04],
    ['bad reply', 'bad-reply', 0x01],
    ['auth failure upstream', 'auth', 0x01],
  ];
  for (const [name, kind, code, cause] of cases) {
    it(`maps ${name} to 0x0${code}`, async () => {
      await withBridge(await bridgeWith([failingUpstream('f', kind, name, cause)]), async (b) => {
        const { socket, rep } = await socks5(b.port, { host: 'example.invalid', port: 80 });
        expect(rep).toBe(code);
        await waitClosed(socket);
      });
    });
  }

  it('answers 0x03 when there is no upstream at all', async () => {
    await withBridge(await bridgeWith([]), async (b) => {
      const { socket, rep } = await socks5(b.port, { host: '127.0.0.1', port: 1 });
      expect(rep).toBe(0x03);
      await waitClosed(socket);
    });
  });

  it('refuses BIND with 0x07', async () => {
    await withBridge(await bridgeWith([directUpstream()]), async (b) => {
      const { socket, rep } = await socks5(b.port, { host: '127.0.0.1', port: 0 }, { cmd: 0x02 });
      expect(rep).toBe(0x07);
      await waitClosed(socket);
    });
  });

  it('refuses an unknown address type with 0x08', async () => {
    await withBridge(await bridgeWith([directUpstream()]), async (b) => {
      const socket = await connectTo(b.port);
      socket.write(Buffer.from([0x05, 0x01, 0x00]));
      await readN(socket, 2);
      socket.write(Buffer.from([0x05, 0x01, 0x00, 0x09, 1, 2, 3, 4, 0, 80]));
      const all = await readAll(socket);
      expect(all[1]).toBe(0x08);
    });
  });

  it('refuses an unknown command with 0x07', async () => {
    await withBridge(await bridgeWith([directUpstream()]), async (b) => {
      const { rep, socket } = await socks5(b.port, { host: '127.0.0.1', port: 80 }, { cmd: 0x09 });
      expect(rep).toBe(0x07);
      await waitClosed(socket);
    });
  });

  it('answers 0xFF when no offered method is acceptable', async () => {
    await withBridge(await bridgeWith([directUpstream()]), async (b) => {
      const { rep, socket } = await socks5(b.port, { host: '127.0.0.1', port: 80 }, { methods: [0x01, 0x80] });
      expect(rep).toBe(0xff);
      await waitClosed(socket);
    });
  });

  it('refuses SOCKS4 politely (reply 91) and closes', async () => {
    await withBridge(await bridgeWith([directUpstream()]), async (b) => {
      const socket = await connectTo(b.port);
      socket.write(Buffer.from([0x04, 0x01, 0x00, 0x50, 127, 0, 0, 1, 0x00]));
      const all = await readAll(socket);
      expect([...all]).toEqual([0x00, 0x5b, 0, 0, 0, 0, 0, 0]);
    });
  });
});
