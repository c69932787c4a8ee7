// SOCKS5 UDP ASSOCIATE (RFC 1928 §7), relayed over the upstream's associateUdp.
// The association lives as long as its TCP control connection. Only datagrams from the control
// connection's client address are relayed; fragments (FRAG != 0) are dropped, as the RFC allows.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { encodeAddress } from '../net/socks5-address.ts';
import { decodeUdpDatagram, udpHeader } from '../net/socks5-udp.ts';
import { closeAfter, type BridgeContext, type Conn } from './context.ts';
import { isDialError, type DialedUdp } from './dial.ts';
import type { HandshakeReader } from './reader.ts';
import { REP, socksReply, socksReplyFor } from './replies.ts';
import type { Destination } from './upstreams/types.ts';

function plain(address: string | undefined): string {
  return address?.startsWith('::ffff:') ? address.slice(7) : (address ?? '');
}

function bindUdp(host: string): Promise<UdpSocket> {
  return new Promise((resolve, reject) => {
    const udp = createSocket(isIPv6(host) ? 'udp6' : 'udp4');
    udp.once('error', reject);
    udp.bind(0, host, () => {
      udp.off('error', reject);
      resolve(udp);
    });
  });
}

export async function serveUdpAssociate(conn: Conn, r: HandshakeReader, requested: Destination, ctx: BridgeContext): Promise<void> {
  const { socket } = conn;
  let dialed: DialedUdp;
  try {
    dialed = await ctx.dialer.associate(conn.signal);
  } catch (err) {
    const kind = isDialError(err) ? err.code : 'other';
    if (kind === 'unsupported') ctx.log('socks5: UDP ASSOCIATE refused: no upstream relays UDP');
    return closeAfter(socket, socksReply(socksReplyFor(kind, isDialError(err) ? err.cause : err)));
  }
  const { relay, stats } = dialed;
  const localHost = plain(socket.localAddress);
  let udp: UdpSocket;
  try {
    udp = await bindUdp(localHost);
  } catch {
    relay.close();
    return closeAfter(socket, socksReply(REP.generalFailure));
  }
  if (socket.destroyed) {
    relay.close();
    udp.close();
    return;
  }
  const closeStream = ctx.counters.open(stats);
  const clientHost = plain(socket.remoteAddress);
  let clientPort: number | null = requested.port === 0 ? null : requested.port;
  let lastActive = Date.now();
  let closed = false;

  const cleanup = (): void => {
    if (closed) return;
    closed = true;
    clearInterval(idleTimer);
    closeStream();
    relay.close();
    udp.close();
    socket.destroy();
  };
  const idleMs = ctx.limits.idleTimeoutMs;
  const idleTimer = setInterval(() => { if (Date.now() - lastActive >= idleMs) cleanup(); }, Math.max(50, Math.min(idleMs / 4, 15_000)));
  idleTimer.unref();

  udp.on('error', cleanup);
  relay.onClose?.(() => cleanup());
  udp.on('message', (msg, rinfo) => {
    if (plain(rinfo.address) !== clientHost) return;
    if (clientPort === null) clientPort = rinfo.port;
    else if (rinfo.port !== clientPort) return;
    const parsed = decodeUdpDatagram(msg);
    if (!parsed) return;
    lastActive = Date.now();
    ctx.counters.up(stats, parsed.payload.length);
    try {
      relay.send(parsed.dest, parsed.payload);
    } catch (err) {
      ctx.log(`socks5: UDP relay send failed: ${(err as Error).message}`);
    }
  });
  relay.onMessage((from, payload) => {
    if (closed || clientPort === null) return;
    lastActive = Date.now();
    ctx.counters.down(stats, payload.length);
    let header: Buffer;
    try {
      header = udpHeader(from);
    } catch {
      return; // a sender address that cannot be written (a bad name): dropped, like any lost datagram
    }
    udp.send([header, payload], clientPort, clientHost);
  });

  // The control connection carries nothing more; its end is the association's end.
  r.detach();
  socket.on('data', () => { lastActive = Date.now(); });
  socket.on('end', cleanup);
  socket.on('close', cleanup);
  socket.on('error', cleanup);
  socket.resume();
  socket.write(socksReply(REP.succeeded, encodeAddress({ host: localHost, port: udp.address().port })));
}
