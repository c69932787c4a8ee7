// A stand-in for an MTProto proxy's fake-TLS front (mtg / MTProxy), written in the test from the
// protocol (Debian ships no MTProto proxy): it checks the ClientHello's HMAC with its key and answers
// ServerHello + ChangeCipherSpec + ApplicationData signed over the client random; a hello it cannot
// verify gets what a real site would send (an unsigned ServerHello), as mtg does by forwarding.
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface FakeTlsProxy {
  port: number;
  /** Hellos that verified / did not. */
  accepted: number;
  rejected: number;
  close(): Promise<void>;
}

function record(type: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([type, 0x03, 0x03, body.length >> 8, body.length & 0xff]), body]);
}

export async function startFakeTlsProxy(keyHex: string, options: { maxSkewSec?: number } = {}): Promise<FakeTlsProxy> {
  const key = Buffer.from(keyHex, 'hex');
  const sockets = new Set<Socket>();
  const state = { accepted: 0, rejected: 0 };
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let got = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      got = Buffer.concat([got, chunk]);
      if (got.length < 517) return;
      socket.removeAllListeners('data');
      const hello = got.subarray(0, 517);
      const clientRandom = Buffer.from(hello.subarray(11, 43));
      const zeroed = Buffer.from(hello);
      zeroed.fill(0, 11, 43);
      const digest = createHmac('sha256', key).update(zeroed).digest();
      const timeXor = Buffer.alloc(4);
      for (let i = 0; i < 4; i++) timeXor[i] = digest[28 + i]! ^ clientRandom[28 + i]!;
      const skew = Math.abs(Math.floor(Date.now() / 1000) - timeXor.readUInt32LE(0));
      const ok = hello.subarray(0, 11).equals(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03]))
        && digest.subarray(0, 28).equals(clientRandom.subarray(0, 28)) && skew <= (options.maxSkewSec ?? 120);
      const sessionId = hello.subarray(44, 76);
      const serverHello = Buffer.concat([
        Buffer.from([0x02, 0x00, 0x00, 0x76, 0x03, 0x03]), Buffer.alloc(32), Buffer.from([0x20]), sessionId,
        Buffer.from([0x13, 0x01, 0x00, 0x00, 0x2e, 0x00, 0x33, 0x00, 0x24, 0x00, 0x1d, 0x00, 0x20]), randomBytes(32),
        Buffer.from([0x00, 0x2b, 0x00, 0x02, 0x03, 0x04]),
      ]);
      const answer = Buffer.concat([record(0x16, serverHello), record(0x14, Buffer.from([0x01])), record(0x17, randomBytes(1024 + Math.floor(Math.random() * 2048)))]);
      if (ok) {
        state.accepted++;
        const sig = createHmac('sha256', key).update(clientRandom).update(answer).digest();
        sig.copy(answer, 11);
      } else {
        state.rejected++;
        randomBytes(32).copy(answer, 11);
      }
      socket.write(answer);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    get accepted() { return state.accepted; },
    get rejected() { return state.rejected; },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
