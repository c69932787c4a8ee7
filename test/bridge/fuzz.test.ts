// Malformed input: random bytes, broken SOCKS5 requests and broken HTTP heads (seeded, so a failure
// replays). Every connection must end (reply + close, or close), the process must not crash, and
// the bridge must still serve a proper client afterwards with nothing left open.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import net from 'node:net';
import type { Bridge } from '../../electron/core/bridge/index.ts';
import { startTcpTarget, type TcpServerHandle } from '../peers/index.ts';
import { bridgeWith, mappedUpstream, readN, socks5 } from './helpers.ts';

let target: TcpServerHandle;
let bridge: Bridge;
beforeAll(async () => {
  target = await startTcpTarget();
  bridge = await bridgeWith([mappedUpstream('m', target)], { limits: { handshakeTimeoutMs: 300, idleTimeoutMs: 1000 } });
});
afterAll(async () => {
  await bridge.close();
  await target.close();
});

const bytes = (max: number): fc.Arbitrary<number[]> => fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: max });
const inputs = fc.oneof(
  bytes(512),
  fc.tuple(bytes(8), bytes(300)).map(([methods, rest]) => [0x05, methods.length, ...methods, ...rest]),
  fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), bytes(300)).map(([cmd, atyp, rest]) => [0x05, 0x01, 0x00, 0x05, cmd, 0x00, atyp, ...rest]),
  fc.tuple(fc.constantFrom('GET', 'CONNECT', 'POST', 'G\0T', ''), fc.string({ maxLength: 80 }), fc.string({ maxLength: 200 }))
    .map(([m, target, rest]) => [...Buffer.from(`${m} ${target} HTTP/1.1\r\n${rest}\r\n\r\n`)]),
  fc.constantFrom([0x04, 0x01, 0x00, 0x50], [0x05], [0x05, 0x00], [0x05, 0x01, 0x02, 0x01, 0xff]),
);

function throwAt(port: number, data: Buffer, fin: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host: '127.0.0.1' });
    const timer = setTimeout(() => { s.destroy(); reject(new Error(`connection not closed for input ${data.toString('hex')}`)); }, 4000);
    s.on('error', () => {});
    s.on('data', () => {});
    s.once('close', () => { clearTimeout(timer); resolve(); });
    s.once('connect', () => (fin ? s.end(data) : s.write(data)));
  });
}

describe('malformed input', () => {
  it('closes every malformed connection and keeps serving', async () => {
    const samples = fc.sample(fc.tuple(inputs, fc.boolean()), { seed: 20240611, numRuns: 400 });
    for (let i = 0; i < samples.length; i += 80) {
      await Promise.all(samples.slice(i, i + 80).map(([data, fin]) => throwAt(bridge.port, Buffer.from(data), fin)));
    }
    const { socket, rep } = await socks5(bridge.port, { host: 'still-serving.invalid', port: 1 });
    expect(rep).toBe(0);
    socket.write('ok?');
    expect((await readN(socket, 3)).toString()).toBe('ok?');
    socket.destroy();
    const end = Date.now() + 3000;
    while ((bridge.stats().active > 0 || bridge.stats().activeStreams > 0) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    expect(bridge.stats().active).toBe(0);
    expect(bridge.stats().activeStreams).toBe(0);
  }, 60_000);
});
