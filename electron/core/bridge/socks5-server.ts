// SOCKS5 server side (RFC 1928, with RFC 1929 username/password).
// Hand-written: no maintained npm library provides a SOCKS5 *server* that hands each request to
// our own upstream connectors with remote name resolution, per-upstream failover before payload,
// exact reply codes and byte counting (the `socks` package is a client only).
import type { Socket } from 'node:net';
import { addressLength, ATYP_DOMAIN, decodeAddress } from '../net/socks5-address.ts';
import { closeAfter, type BridgeContext, type Conn } from './context.ts';
import { isDialError } from './dial.ts';
import { HandshakeReader } from './reader.ts';
import { relay } from './relay.ts';
import { REP, socksReply, socksReplyFor } from './replies.ts';
import { serveUdpAssociate } from './socks5-udp.ts';
import type { Destination } from './upstreams/types.ts';

const VER = 0x05;
const CMD_CONNECT = 0x01;
const CMD_BIND = 0x02;
const CMD_UDP_ASSOCIATE = 0x03;
const METHOD_NONE = 0x00;
const METHOD_USERPASS = 0x02;
const METHOD_UNACCEPTABLE = 0xff;

const SUCCESS = socksReply(REP.succeeded);

function chooseMethod(methods: Buffer, mustAuth: boolean): number {
  if (!mustAuth && methods.includes(METHOD_NONE)) return METHOD_NONE;
  if (methods.includes(METHOD_USERPASS)) return METHOD_USERPASS;
  return METHOD_UNACCEPTABLE;
}

/** Reads a SOCKS5 address (ATYP already read); null when the address type is unknown or unusable. */
async function readAddress(r: HandshakeReader, atyp: number): Promise<Destination | 'bad-atyp' | null> {
  // The length comes from the one codec: a name's length byte first, then the rest.
  let head = Buffer.from([atyp]);
  if (atyp === ATYP_DOMAIN) head = Buffer.concat([head, await r.read(1)]);
  const length = addressLength(head, 0);
  if (length === 'bad-atyp') return 'bad-atyp';
  const whole = Buffer.concat([head, await r.read((length as number) - head.length)]);
  return decodeAddress(whole, 0)?.dest ?? null;
}

/** Serves one SOCKS5 client; `head` holds the bytes read while sniffing the protocol. */
export async function serveSocks5(conn: Conn, head: Buffer, ctx: BridgeContext): Promise<void> {
  const { socket } = conn;
  const r = new HandshakeReader(socket, head);
  try {
    const [, nMethods] = await r.read(2);
    const methods = await r.read(nMethods as number);
    const method = chooseMethod(methods, ctx.auth.requiredFor(socket));
    if (method === METHOD_UNACCEPTABLE) return closeAfter(socket, Buffer.from([VER, METHOD_UNACCEPTABLE]));
    socket.write(Buffer.from([VER, method]));
    if (method === METHOD_USERPASS && !(await authenticate(r, socket, ctx))) return;

    const [ver, cmd, , atyp] = await r.read(4);
    if (ver !== VER) return closeAfter(socket, socksReply(REP.generalFailure));
    const dest = await readAddress(r, atyp as number);
    if (dest === 'bad-atyp') return closeAfter(socket, socksReply(REP.addressTypeNotSupported));
    if (dest === null || dest.port === 0 && cmd === CMD_CONNECT) return closeAfter(socket, socksReply(REP.generalFailure));
    conn.handshakeDone();

    if (cmd === CMD_CONNECT) return await connect(conn, r, dest, ctx);
    if (cmd === CMD_UDP_ASSOCIATE) return await serveUdpAssociate(conn, r, dest, ctx);
    if (cmd === CMD_BIND) ctx.log('socks5: BIND refused (not supported)');
    return closeAfter(socket, socksReply(REP.commandNotSupported));
  } catch {
    socket.destroy();
  }
}

async function authenticate(r: HandshakeReader, socket: Socket, ctx: BridgeContext): Promise<boolean> {
  const [ver, ulen] = await r.read(2);
  const user = await r.read(ulen as number);
  const [plen] = await r.read(1);
  const pass = await r.read(plen as number);
  if (ver !== 0x01 || !ctx.auth.check(user, pass)) {
    ctx.log(`socks5: authentication failed from ${socket.remoteAddress ?? '?'}`);
    closeAfter(socket, Buffer.from([0x01, 0x01]));
    return false;
  }
  socket.write(Buffer.from([0x01, 0x00]));
  return true;
}

async function connect(conn: Conn, r: HandshakeReader, dest: Destination, ctx: BridgeContext): Promise<void> {
  const { socket } = conn;
  let dialed;
  try {
    dialed = await ctx.dialer.dial(dest, conn.signal);
  } catch (err) {
    const kind = isDialError(err) ? err.code : 'other';
    if (kind !== 'aborted') ctx.log(`socks5: connect failed (${kind}): ${(err as Error).message}`);
    return closeAfter(socket, socksReply(socksReplyFor(kind, isDialError(err) ? err.cause : err)));
  }
  if (socket.destroyed) {
    dialed.stream.destroy();
    return;
  }
  socket.write(SUCCESS);
  const head = r.detach();
  relay({
    client: socket,
    dialed,
    counters: ctx.counters,
    idleTimeoutMs: ctx.limits.idleTimeoutMs,
    head,
    reportEarlyFailure: (u, e) => ctx.dialer.report(u, e),
    redial: (tried) => ctx.dialer.dial(dest, conn.signal, tried).catch(() => null),
  });
}
