// Free loopback ports for peers and targets. The kernel picks an unused port, we close the socket and
// hand the number out; a tiny race with other processes remains, which the peer start-up detects (the
// peer fails to bind and its start throws).
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import dgram from 'node:dgram';

export const LOOPBACK = '127.0.0.1';

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort(host: string = LOOPBACK): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('freePort: no TCP address'));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

/** A UDP port on 127.0.0.1 that nothing is bound to right now. */
export function freeUdpPort(host: string = LOOPBACK): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    socket.unref();
    socket.once('error', reject);
    socket.bind(0, host, () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

/** Listens on a free port of 127.0.0.1 and resolves with it. */
export async function listenOnLoopback(server: net.Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}
