// One TCP port for SOCKS5 and HTTP: the first byte decides (0x05 SOCKS5, 0x04 SOCKS4 → refused
// politely, anything else HTTP). Enforces maxConnections at accept (keeping a reserve that
// clients who must authenticate, i.e. LAN hosts, cannot use) and the handshake timeout, and
// keeps every socket it accepted so close() can destroy them.
import net from 'node:net';
import type { BridgeContext, Conn } from './context.ts';
import type { HttpFrontend } from './http-proxy.ts';
import { serveSocks5 } from './socks5-server.ts';

/** The abort reason when a client goes away (a shared one: abort() would otherwise build a DOMException per connection). */
const CLIENT_CLOSED = Object.freeze(new Error('client connection closed'));

/** SOCKS4 reply "request rejected or failed" (VN=0, CD=91): the polite refusal. */
const SOCKS4_REJECTED = Buffer.from([0x00, 0x5b, 0, 0, 0, 0, 0, 0]);

export class MixedListener {
  readonly server: net.Server;
  private readonly ctx: BridgeContext;
  private readonly http: HttpFrontend;
  private readonly sockets = new Set<net.Socket>();
  /** Open connections from clients that must authenticate (LAN hosts when sharing is on). */
  private authenticating = 0;

  constructor(ctx: BridgeContext, http: HttpFrontend) {
    this.ctx = ctx;
    this.http = http;
    this.server = net.createServer({ allowHalfOpen: true, noDelay: true }, (socket) => this.accept(socket));
  }

  private accept(socket: net.Socket): void {
    const { counters, limits } = this.ctx;
    socket.on('error', () => socket.destroy());
    const lan = this.ctx.auth.requiredFor(socket);
    const lanCap = limits.maxConnections - Math.min(limits.loopbackReserve, limits.maxConnections - 1);
    if (counters.active >= limits.maxConnections || (lan && this.authenticating >= lanCap)) {
      counters.rejected++;
      socket.destroy();
      return;
    }
    if (lan) this.authenticating++;
    counters.active++;
    counters.accepted++;
    this.sockets.add(socket);
    const abort = new AbortController();
    const timer = setTimeout(() => socket.destroy(), limits.handshakeTimeoutMs);
    socket.once('close', () => {
      clearTimeout(timer);
      counters.active--;
      if (lan) this.authenticating--;
      this.sockets.delete(socket);
      abort.abort(CLIENT_CLOSED);
    });
    const conn: Conn = { socket, signal: abort.signal, handshakeDone: () => clearTimeout(timer) };
    // allowHalfOpen is on for the relays' sake: a FIN before the first byte must still close.
    const onEarlyEnd = (): void => { socket.destroy(); };
    socket.once('end', onEarlyEnd);
    socket.once('data', (first: Buffer) => {
      socket.off('end', onEarlyEnd);
      socket.pause();
      this.dispatch(conn, first);
    });
  }

  private dispatch(conn: Conn, first: Buffer): void {
    const { socket } = conn;
    const version = first[0];
    if (version === 0x05) {
      void serveSocks5(conn, first, this.ctx);
    } else if (version === 0x04) {
      this.ctx.log('socks4 request refused: only SOCKS5 and HTTP are served');
      socket.end(SOCKS4_REJECTED);
      socket.once('finish', () => socket.destroy());
    } else {
      this.http.handle(conn, first);
    }
  }

  /** Listens on host:port; when the port is taken, tries the following ones (unless strict). */
  async listen(host: string, port: number, strict: boolean, tries = 64): Promise<number> {
    for (let p = port, n = 0; ; p++, n++) {
      try {
        await new Promise<void>((resolve, reject) => {
          const onError = (err: Error): void => reject(err);
          this.server.once('error', onError);
          this.server.listen({ host, port: p, exclusive: true }, () => {
            this.server.off('error', onError);
            resolve();
          });
        });
        return (this.server.address() as net.AddressInfo).port;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'EADDRINUSE' || strict || port === 0 || n + 1 >= tries || p >= 65535) throw err;
      }
    }
  }

  /** Stops accepting and destroys every open client socket. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const s of this.sockets) s.destroy();
    });
  }
}
