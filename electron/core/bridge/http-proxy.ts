// The HTTP proxy side of the mixed port: CONNECT tunnels, absolute-URI requests forwarded with
// keep-alive (each client connection gets its own pool of upstream connections, one per origin),
// and /proxy.pac for requests addressed to the bridge itself. Parsing and framing are node:http's
// (an unbound http.Server that is handed the sniffed sockets); the routing is ours.
// A client that must authenticate (a LAN host) is checked before anything else is answered,
// and the connection is closed after a 401/407; every request head after the first must also
// arrive within the handshake timeout (node:http's own head timer runs only for servers that listen).
import http from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { bareHost } from '../../../shared/ip.ts';
import { isLoopback } from './auth.ts';
import { closeAfter, type BridgeContext, type Conn } from './context.ts';
import { CountedStream } from './counted-stream.ts';
import { isDialError, type Dialer } from './dial.ts';
import { parseAuthority, requestHeaders, endToEnd } from './http-headers.ts';
import { pacScript } from './pac.ts';
import { relay } from './relay.ts';
import { httpStatusFor } from './replies.ts';
import type { Counters } from './counters.ts';
import type { Destination } from './upstreams/types.ts';

const REALM = 'Basic realm="Porthole bridge", charset="UTF-8"';

function statusLine(status: number, extra: string[] = []): string {
  return [`HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}`, ...extra, 'Content-Length: 0', 'Connection: close', '', ''].join('\r\n');
}

function reply(res: http.ServerResponse, status: number, body = '', headers: Record<string, string> = {}): void {
  const text = body || `${status} ${http.STATUS_CODES[status] ?? ''}\n`;
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)), ...headers });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}

/** An http.Agent whose connections are streams dialled through the bridge's upstreams. */
class UpstreamAgent extends http.Agent {
  private readonly dialer: Dialer;
  private readonly counters: Counters;
  private readonly signal: AbortSignal;

  constructor(dialer: Dialer, counters: Counters, signal: AbortSignal) {
    super({ keepAlive: true });
    this.dialer = dialer;
    this.counters = counters;
    this.signal = signal;
  }

  override createConnection(options: http.ClientRequestArgs, cb: (err: Error | null, stream?: Duplex) => void): undefined {
    const dest: Destination = { host: String(options.host), port: Number(options.port) };
    this.dialer.dial(dest, this.signal).then((d) => {
      const closeStream = this.counters.open(d.stats);
      const stream = new CountedStream(d.stream, (n) => this.counters.up(d.stats, n), (n) => this.counters.down(d.stats, n), d.carried);
      stream.once('close', closeStream);
      cb(null, stream);
    }, (err: unknown) => cb(err instanceof Error ? err : new Error(String(err))));
    return undefined;
  }
}

export class HttpFrontend {
  private readonly ctx: BridgeContext;
  private readonly server: http.Server;
  private readonly conns = new WeakMap<Socket, Conn>();
  private readonly agents = new WeakMap<Socket, UpstreamAgent>();
  /** The timer bounding the next request head on a kept-alive connection. */
  private readonly nextHead = new WeakMap<Socket, NodeJS.Timeout>();

  constructor(ctx: BridgeContext) {
    this.ctx = ctx;
    this.server = http.createServer({ maxHeaderSize: ctx.limits.maxHeaderBytes, requestTimeout: 0 });
    this.server.timeout = ctx.limits.idleTimeoutMs;
    this.server.keepAliveTimeout = ctx.limits.idleTimeoutMs;
    this.server.on('request', (req, res) => this.onRequest(req, res));
    this.server.on('connect', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => this.onConnect(req, socket as Socket, head));
    this.server.on('upgrade', (_req: http.IncomingMessage, socket: Duplex) => closeAfter(socket as Socket, statusLine(501)));
    this.server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => this.onClientError(err, socket as Socket));
  }

  /** Takes over a sniffed client connection; `head` holds the bytes already read. */
  handle(conn: Conn, head: Buffer): void {
    const { socket } = conn;
    this.conns.set(socket, conn);
    socket.once('close', () => {
      this.agents.get(socket)?.destroy();
      clearTimeout(this.nextHead.get(socket));
    });
    socket.unshift(head);
    this.server.emit('connection', socket);
    socket.resume();
  }

  /** A request for the bridge itself (origin form, /proxy.pac) may carry Authorization instead. */
  private authorized(req: http.IncomingMessage, originForm = false): boolean {
    if (!this.ctx.auth.requiredFor(req.socket)) return true;
    const header = req.headers['proxy-authorization'] ?? (originForm ? req.headers.authorization : undefined);
    const ok = this.ctx.auth.checkBasic(header);
    if (!ok) this.ctx.log(`http: proxy authentication failed from ${req.socket.remoteAddress ?? '?'}`);
    return ok;
  }

  /** Bounds the next request head on this kept-alive connection; an idle connection is left to keepAliveTimeout. */
  private watchNextHead(socket: Socket): void {
    if (socket.destroyed) return;
    const before = socket.bytesRead;
    const timer = setTimeout(() => {
      if (socket.destroyed) return;
      if (socket.bytesRead === before) return this.watchNextHead(socket);
      this.ctx.log(`http: request head from ${socket.remoteAddress ?? '?'} not complete within ${this.ctx.limits.handshakeTimeoutMs} ms`);
      socket.destroy();
    }, this.ctx.limits.handshakeTimeoutMs);
    timer.unref();
    this.nextHead.set(socket, timer);
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const socket = req.socket;
    this.conns.get(socket)?.handshakeDone();
    clearTimeout(this.nextHead.get(socket));
    res.once('finish', () => this.watchNextHead(socket));
    const url = req.url ?? '';
    const originForm = url.startsWith('/');
    if (!this.authorized(req, originForm)) {
      // Closed after the challenge: an unauthenticated host must not keep a slot.
      const header = originForm ? 'WWW-Authenticate' : 'Proxy-Authenticate';
      return reply(res, originForm ? 401 : 407, '', { [header]: REALM, Connection: 'close' });
    }
    if (originForm) return this.serveLocal(req, res, url);
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return reply(res, 400, 'bad request target\n');
    }
    if (target.protocol !== 'http:') return reply(res, 400, 'only http:// URLs can be forwarded; use CONNECT for https\n');
    const dest: Destination = { host: bareHost(target.hostname), port: Number(target.port || 80) };
    if (!dest.host) return reply(res, 400, 'no host in the request target\n');
    if (this.isSelf(dest, socket)) return this.serveLocal(req, res, target.pathname + target.search);
    this.forward(req, res, dest, target.pathname + target.search);
  }

  private isSelf(dest: Destination, socket: Socket): boolean {
    if (dest.port !== socket.localPort) return false;
    return dest.host === 'localhost' || isLoopback(dest.host) || dest.host === socket.localAddress?.replace(/^::ffff:/, '');
  }

  private serveLocal(req: http.IncomingMessage, res: http.ServerResponse, path: string): void {
    const pathname = path.split('?')[0];
    if (pathname !== '/proxy.pac' && pathname !== '/wpad.dat') {
      return reply(res, 404, 'Porthole bridge: set this address as your SOCKS5 or HTTP proxy, or use /proxy.pac\n');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, 405, '', { Allow: 'GET, HEAD' });
    const host = (req.socket.localAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
    reply(res, 200, pacScript(host, req.socket.localPort ?? 0), { 'Content-Type': 'application/x-ns-proxy-autoconfig', 'Cache-Control': 'no-store' });
  }

  private agentFor(req: http.IncomingMessage): UpstreamAgent {
    const socket = req.socket;
    let agent = this.agents.get(socket);
    if (!agent) {
      const signal = this.conns.get(socket)?.signal ?? new AbortController().signal;
      agent = new UpstreamAgent(this.ctx.dialer, this.ctx.counters, signal);
      this.agents.set(socket, agent);
    }
    return agent;
  }

  private forward(req: http.IncomingMessage, res: http.ServerResponse, dest: Destination, path: string): void {
    const preq = http.request({
      host: dest.host,
      port: dest.port,
      method: req.method,
      path: path || '/',
      headers: requestHeaders(req.rawHeaders, dest),
      agent: this.agentFor(req),
      setHost: false,
    });
    preq.on('response', (pres) => {
      res.writeHead(pres.statusCode ?? 502, pres.statusMessage, endToEnd(pres.rawHeaders));
      pres.pipe(res);
      pres.on('error', () => req.socket.destroy());
    });
    preq.on('error', (err) => {
      if (res.headersSent) {
        req.socket.destroy();
        return;
      }
      const kind = isDialError(err) ? err.code : 'reset';
      if (kind !== 'aborted') this.ctx.log(`http: forward failed (${kind}): ${err.message}`);
      reply(res, httpStatusFor(kind), `${err.message}\n`, { Connection: 'close' });
    });
    res.on('close', () => { if (!res.writableFinished) preq.destroy(); });
    req.pipe(preq);
  }

  private onConnect(req: http.IncomingMessage, socket: Socket, head: Buffer): void {
    const conn = this.conns.get(socket);
    conn?.handshakeDone();
    clearTimeout(this.nextHead.get(socket));
    if (!this.authorized(req)) return closeAfter(socket, statusLine(407, [`Proxy-Authenticate: ${REALM}`]));
    const dest = parseAuthority(req.url ?? '');
    if (!dest) return closeAfter(socket, statusLine(400));
    const signal = conn?.signal ?? new AbortController().signal;
    this.ctx.dialer.dial(dest, signal).then((dialed) => {
      if (socket.destroyed) {
        dialed.stream.destroy();
        return;
      }
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      relay({
        client: socket,
        dialed,
        counters: this.ctx.counters,
        idleTimeoutMs: this.ctx.limits.idleTimeoutMs,
        head,
        reportEarlyFailure: (u, e) => this.ctx.dialer.report(u, e),
        redial: (tried) => this.ctx.dialer.dial(dest, signal, tried).catch(() => null),
      });
    }, (err: unknown) => {
      const kind = isDialError(err) ? err.code : 'other';
      if (kind !== 'aborted') this.ctx.log(`http: CONNECT failed (${kind}): ${(err as Error).message}`);
      closeAfter(socket, statusLine(httpStatusFor(kind)));
    });
  }

  private onClientError(err: NodeJS.ErrnoException, socket: Socket): void {
    const inResponse = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
    if (err.code === 'ECONNRESET' || !socket.writable || inResponse) {
      socket.destroy();
      return;
    }
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    closeAfter(socket, statusLine(status));
  }
}
