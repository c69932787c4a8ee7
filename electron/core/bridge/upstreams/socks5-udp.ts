// The client side of a SOCKS5 UDP ASSOCIATE relay (RFC 1928 §7). Datagrams to the relay are
//   RSV(2) = 0, FRAG(1) = 0, ATYP + DST.ADDR + DST.PORT, DATA
// and replies carry the sender in the same place. Fragmented datagrams (FRAG != 0) are dropped.
// The association lives as long as its TCP control connection: when that closes, the relay closes.
import { failure } from '../../../../shared/errors.ts';
import dgram from 'node:dgram';
import { once } from 'node:events';
import net from 'node:net';
import type { SocksRemoteHost } from 'socks';
import { toUpstreamError } from './errors.ts';
import type { Guard } from './guard.ts';
import { decodeUdpDatagram, encodeUdpDatagram } from '../../net/socks5-udp.ts';
import { type UpstreamError } from './types.ts';
import type { Destination, UdpRelay } from './types.ts';

function isUnspecified(host: string | undefined): boolean {
  return host === undefined || host === '' || host === '0.0.0.0' || host === '::' || /^[0:]+$/.test(host);
}

export async function openSocksUdpRelay(guard: Guard, control: net.Socket, bound: SocksRemoteHost, proxyHost: string): Promise<UdpRelay> {
  // A relay at "any address" means "the proxy's own address".
  const relayHost = isUnspecified(bound.host) ? proxyHost : bound.host;
  const relayPort = bound.port;
  const upstream = guard.upstream;
  const udp = dgram.createSocket(net.isIPv6(relayHost) ? 'udp6' : 'udp4');
  udp.on('error', () => {});
  const closeUdp = (): void => {
    try {
      udp.close();
    } catch {
      // already closed
    }
  };
  const onConnectAbort = (): void => closeUdp();
  control.once('close', onConnectAbort);
  try {
    udp.connect(relayPort, relayHost);
    await once(udp, 'connect');
    guard.check();
  } catch (err) {
    closeUdp();
    throw toUpstreamError(err, upstream);
  } finally {
    control.removeListener('close', onConnectAbort);
  }

  const messageHandlers: ((from: Destination, payload: Buffer) => void)[] = [];
  const closeHandlers: ((err?: UpstreamError) => void)[] = [];
  let closed = false;
  const shutdown = (err?: UpstreamError): void => {
    if (closed) return;
    closed = true;
    control.destroy();
    closeUdp();
    for (const handler of closeHandlers.splice(0)) handler(err);
  };

  udp.on('error', (err) => shutdown(toUpstreamError(err, upstream)));
  udp.on('message', (datagram) => {
    const decoded = decodeUdpDatagram(datagram);
    if (!decoded) return;
    for (const handler of messageHandlers) handler(decoded.dest, decoded.payload);
  });
  // Keep the control connection open and watched; the proxy never sends on it after the reply.
  control.on('error', (err) => shutdown(toUpstreamError(err, upstream)));
  control.on('data', () => {});
  // The control socket allows half-open connections, so the proxy's FIN alone ('end') is the signal.
  const dropped = (): void => shutdown(failure('reset', `${upstream}: the proxy closed the UDP association`, { upstream }));
  control.once('end', dropped);
  control.once('close', dropped);
  control.resume();

  return {
    send(dest, payload) {
      if (closed) return;
      let datagram: Buffer;
      try {
        datagram = encodeUdpDatagram(dest, payload);
      } catch {
        return; // not an address we can express: dropped, like any lost datagram
      }
      udp.send(datagram);
    },
    onMessage(handler) {
      messageHandlers.push(handler);
    },
    onClose(handler) {
      if (closed) handler();
      else closeHandlers.push(handler);
    },
    close() {
      shutdown();
    },
  };
}
