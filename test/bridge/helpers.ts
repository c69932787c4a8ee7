// Test doubles and clients for the bridge tests: tiny in-test upstreams (direct TCP, fixed target,
// failing, UDP-capable), a raw SOCKS5 client, a raw HTTP exchange and a curl runner. Loopback only.
import { PortholeError } from '../../shared/errors.ts';
import { execFile } from 'node:child_process';
import dgram from 'node:dgram';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { startBridge, type Bridge, type BridgeOptions } from '../../electron/core/bridge/index.ts';
import { encodeAddress } from '../../electron/core/net/socks5-address.ts';
import { type ConnectOptions, type Destination, type UdpRelay, type Upstream, type UpstreamErrorKind } from '../../electron/core/bridge/upstreams/types.ts';

function tcpConnect(id: string, host: string, port: number, options?: ConnectOptions): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const onAbort = (): void => { socket.destroy(); reject(new PortholeError('aborted', 'aborted', { upstream: id })); };
    options?.signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => {
      options?.signal?.removeEventListener('abort', onAbort);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      options?.signal?.removeEventListener('abort', onAbort);
      reject(new PortholeError(err.code === 'ECONNREFUSED' ? 'refused' : 'other', err.message, { upstream: id, cause: err }));
    });
  });
}

/** Connects straight to the destination (IP literals only in tests: a name would be resolved here). */
export function directUpstream(id = 'direct', log: Destination[] = []): Upstream {
  return {
    id,
    describe: `test direct ${id}`,
    connect: (dest, options) => {
      log.push(dest);
      return tcpConnect(id, dest.host, dest.port, options);
    },
  };
}

/** Records what it was asked for and connects to a fixed local target instead: names are never resolved. */
export function mappedUpstream(id: string, target: { host: string; port: number }, log: Destination[] = []): Upstream {
  return {
    id,
    describe: `test mapped ${id}`,
    connect: (dest, options) => {
      log.push(dest);
      return tcpConnect(id, target.host, target.port, options);
    },
  };
}

/** Always fails with the given kind; counts its attempts. */
export function failingUpstream(id: string, kind: UpstreamErrorKind, message = `${kind} (test)`, cause?: unknown): Upstream & { attempts: number } {
  const u = {
    id,
    describe: `test failing ${id}`,
    attempts: 0,
    connect: (): Promise<Duplex> => {
      u.attempts++;
      return Promise.reject(new PortholeError(kind, message, { upstream: id, ...(cause === undefined ? {} : { cause }) }));
    },
  };
  return u;
}

/** Never answers; honours the abort signal. */
export function hangingUpstream(id = 'hang'): Upstream {
  return {
    id,
    describe: `test hanging ${id}`,
    connect: (_dest, options) => new Promise((_resolve, reject) => {
      options?.signal?.addEventListener('abort', () => reject(new PortholeError('aborted', 'aborted', { upstream: id })), { once: true });
    }),
  };
}

/** A direct upstream that also relays UDP straight to IP-literal destinations. */
export function udpUpstream(id = 'udp', target?: { host: string; port: number }): Upstream & { relays: number; closed: number } {
  const base = target ? mappedUpstream(id, target) : directUpstream(id);
  const u = {
    ...base,
    relays: 0,
    closed: 0,
    associateUdp: async (): Promise<UdpRelay> => {
      u.relays++;
      const sock = dgram.createSocket('udp4');
      await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', () => resolve()));
      return {
        send: (dest, payload) => sock.send(payload, dest.port, dest.host),
        onMessage: (handler) => sock.on('message', (msg, rinfo) => handler({ host: rinfo.address, port: rinfo.port }, msg)),
        close: () => {
          u.closed++;
          try { sock.close(); } catch { /* closed */ }
        },
      };
    },
  };
  return u;
}

export async function bridgeWith(candidates: Upstream[] | (() => Upstream[]), extra: Partial<BridgeOptions> = {}): Promise<Bridge> {
  const list = typeof candidates === 'function' ? candidates : () => candidates;
  return startBridge({ host: '127.0.0.1', port: 0, candidates: list, ...extra });
}

/** Reads from a socket until `n` bytes arrived (or it closed: then whatever came). */
export function readN(socket: net.Socket, n: number, timeoutMs = 5000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => { cleanup(); reject(new Error(`readN: ${buf.length}/${n} bytes after ${timeoutMs} ms`)); }, timeoutMs);
    const onData = (c: Buffer): void => {
      buf = Buffer.concat([buf, c]);
      if (buf.length >= n) { cleanup(); socket.pause(); if (buf.length > n) socket.unshift(buf.subarray(n)); resolve(buf.subarray(0, n)); }
    };
    const onEnd = (): void => { cleanup(); resolve(buf); };
    const cleanup = (): void => { clearTimeout(timer); socket.off('data', onData); socket.off('end', onEnd); socket.off('close', onEnd); };
    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.once('close', onEnd);
    socket.resume();
  });
}

/** Reads until `marker` has arrived; resolves with the text up to and including it (the rest is put back). */
export function readUntil(socket: net.Socket, marker: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => { cleanup(); reject(new Error(`readUntil: no ${JSON.stringify(marker)} in ${JSON.stringify(buf.toString('latin1'))}`)); }, timeoutMs);
    const onData = (c: Buffer): void => {
      buf = Buffer.concat([buf, c]);
      const at = buf.indexOf(marker);
      if (at < 0) return;
      cleanup();
      socket.pause();
      const end = at + marker.length;
      if (buf.length > end) socket.unshift(buf.subarray(end));
      resolve(buf.subarray(0, end).toString('latin1'));
    };
    const cleanup = (): void => { clearTimeout(timer); socket.off('data', onData); };
    socket.on('data', onData);
    socket.resume();
  });
}

/** Resolves with everything the socket sends until it closes. */
export function readAll(socket: net.Socket, timeoutMs = 5000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    const timer = setTimeout(() => reject(new Error(`readAll: still open after ${timeoutMs} ms`)), timeoutMs);
    socket.on('data', (c: Buffer) => parts.push(c));
    socket.once('close', () => { clearTimeout(timer); resolve(Buffer.concat(parts)); });
    socket.resume();
  });
}

/** `from`: the local address to connect from (a LAN address of this machine; see test/helpers/lan.ts). */
export function connectTo(port: number, host = '127.0.0.1', from?: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host, ...(from ? { localAddress: from } : {}) });
    s.once('connect', () => { s.off('error', reject); s.on('error', () => {}); resolve(s); });
    s.once('error', reject);
  });
}

export function waitClosed(socket: net.Socket, timeoutMs = 5000): Promise<void> {
  if (socket.destroyed && socket.closed) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`socket still open after ${timeoutMs} ms`)), timeoutMs);
    socket.once('close', () => { clearTimeout(timer); resolve(); });
    socket.resume();
  });
}

export interface SocksResult {
  socket: net.Socket;
  /** The reply code of the CONNECT/UDP ASSOCIATE reply (0 = success), or the method/auth failure marker. */
  rep: number;
  /** The full reply bytes (VER REP RSV ATYP ADDR PORT). */
  reply: Buffer;
}

/** A raw SOCKS5 client handshake: greeting, optional RFC 1929 auth, request. Waits for each answer. */
export async function socks5(port: number, dest: Destination, opts: { cmd?: number; auth?: { user: string; pass: string }; methods?: number[]; host?: string; from?: string } = {}): Promise<SocksResult> {
  const socket = await connectTo(port, opts.host, opts.from);
  const methods = opts.methods ?? (opts.auth ? [0x02] : [0x00]);
  socket.write(Buffer.from([0x05, methods.length, ...methods]));
  const choice = await readN(socket, 2);
  if (choice[1] === 0xff || choice.length < 2) return { socket, rep: 0xff, reply: choice };
  if (choice[1] === 0x02) {
    const a = opts.auth ?? { user: '', pass: '' };
    const u = Buffer.from(a.user);
    const p = Buffer.from(a.pass);
    socket.write(Buffer.concat([Buffer.from([0x01, u.length]), u, Buffer.from([p.length]), p]));
    const status = await readN(socket, 2);
    if (status[1] !== 0x00) return { socket, rep: -1, reply: status };
  }
  socket.write(Buffer.concat([Buffer.from([0x05, opts.cmd ?? 0x01, 0x00]), encodeAddress(dest)]));
  const head = await readN(socket, 5);
  if (head.length < 5) return { socket, rep: head[1] ?? -2, reply: head };
  const atyp = head[3];
  const rest = atyp === 0x01 ? 4 + 2 - 1 : atyp === 0x04 ? 16 + 2 - 1 : (head[4] as number) + 2;
  const tail = await readN(socket, rest);
  return { socket, rep: head[1] as number, reply: Buffer.concat([head, tail]) };
}

export interface CurlResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout as bytes (binary bodies). */
  body: Buffer;
}

export function curl(args: string[], timeoutMs = 15_000): Promise<CurlResult> {
  return new Promise((resolve) => {
    const argv = ['--silent', '--show-error', '--noproxy', '', '--max-time', String(Math.ceil(timeoutMs / 1000)), ...args];
    execFile('curl', argv, { timeout: timeoutMs + 2000, encoding: 'buffer', maxBuffer: 256 * 1024 * 1024, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      resolve({ code, stdout: stdout.toString('utf8'), stderr: stderr.toString('utf8'), body: stdout });
    });
  });
}

/** A raw HTTP exchange on an existing socket: sends text, reads one response head + Content-Length body. */
export async function httpExchange(socket: net.Socket, request: string): Promise<{ status: number; head: string; body: string }> {
  socket.write(request);
  let buf = Buffer.alloc(0);
  for (;;) {
    const idx = buf.indexOf('\r\n\r\n');
    if (idx >= 0) {
      const head = buf.subarray(0, idx).toString('latin1');
      const len = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? '0');
      let body = buf.subarray(idx + 4);
      if (body.length < len) body = Buffer.concat([body, await readN(socket, len - body.length)]);
      if (body.length > len) socket.unshift(body.subarray(len));
      return { status: Number(head.split(' ')[1]), head, body: body.subarray(0, len).toString('utf8') };
    }
    const more = await readN(socket, 1);
    if (more.length === 0) throw new Error(`connection closed before a response head; got ${JSON.stringify(buf.toString('latin1'))}`);
    buf = Buffer.concat([buf, more]);
  }
}

/** Waits until cond() holds, polling every 10 ms; throws after timeoutMs. */
export async function until(cond: () => boolean, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
