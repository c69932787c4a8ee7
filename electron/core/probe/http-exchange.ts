// A minimal HTTP/1.1 client over an already-open stream (a proxy tunnel), for probes only:
// keep-alive requests one after another on the same stream, bodies counted and discarded.
// node:http cannot reuse a hand-made stream for a second request, which the "unified delay" needs.
import type { Duplex } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { PortholeError } from '../../../shared/errors.ts';

export interface HttpAnswer {
  status: number;
  /** Lower-case header names. */
  headers: Map<string, string>;
  bodyBytes: number;
  /** The body went past maxBody and was not read to its end (the stream is then not reusable). */
  truncated: boolean;
  /** The stream can carry another request. */
  reusable: boolean;
  /** From writing the request to the first response byte. */
  firstByteMs: number;
  /** From writing the request to the end of the body (or maxBody). */
  totalMs: number;
  /** The first `keepBody` bytes of the body (empty unless asked for): to tell a block page apart. */
  bodyStart: Buffer;
}

export interface HttpRequestOptions {
  method?: 'GET' | 'HEAD';
  path: string;
  /** Host header value. */
  host: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Stop reading the body after this many bytes (default 1 MiB). */
  maxBody?: number;
  /** Keep this many bytes of the body's start (default 0). */
  keepBody?: number;
}

const MAX_HEAD = 32 * 1024;

interface Pending {
  opts: HttpRequestOptions;
  started: number;
  firstByteAt: number | null;
  resolve: (a: HttpAnswer) => void;
  reject: (e: Error) => void;
}

export class HttpExchange {
  private readonly stream: Duplex;
  private buf: Buffer = Buffer.alloc(0);
  private pending: Pending | null = null;
  private head: { status: number; headers: Map<string, string> } | null = null;
  private body: { mode: 'length' | 'chunked' | 'close' | 'none'; left: number; read: number; chunkLeft: number; trailer: boolean } | null = null;
  private keepAlive = false;
  private kept: Buffer[] = [];
  private keptBytes = 0;
  private closed = false;
  private failure: Error | null = null;
  /** Bytes received on this stream so far (0 means the far side never said anything). */
  received = 0;

  constructor(stream: Duplex) {
    this.stream = stream;
    stream.on('data', (chunk: Buffer) => this.onData(chunk));
    stream.on('error', (err: Error) => this.onClose(err));
    stream.on('end', () => this.onClose(null));
    stream.on('close', () => this.onClose(null));
  }

  request(opts: HttpRequestOptions): Promise<HttpAnswer> {
    if (this.pending) return Promise.reject(new Error('HttpExchange: one request at a time'));
    if (this.closed) return Promise.reject(this.failure ?? new PortholeError('reset', 'the connection is closed'));
    return new Promise<HttpAnswer>((resolve, reject) => {
      const timer = setTimeout(() => fail(new PortholeError('timeout', `no complete answer within ${opts.timeoutMs} ms`)), opts.timeoutMs);
      const onAbort = (): void => fail(new PortholeError('aborted', 'cancelled'));
      const finish = (): void => {
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        this.pending = null;
        this.head = null;
        this.body = null;
      };
      const fail = (err: Error): void => {
        finish();
        this.stream.destroy();
        reject(err);
      };
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      this.pending = {
        opts,
        started: performance.now(),
        firstByteAt: null,
        resolve: (a) => {
          finish();
          resolve(a);
        },
        reject: fail,
      };
      const lines = [
        `${opts.method ?? 'GET'} ${opts.path} HTTP/1.1`,
        `Host: ${opts.host}`,
        'User-Agent: Mozilla/5.0',
        'Accept: */*',
        'Connection: keep-alive',
      ];
      this.stream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (this.buf.length > 0) this.parse();
    });
  }

  close(): void {
    this.stream.destroy();
  }

  private onData(chunk: Buffer): void {
    this.received += chunk.length;
    if (this.pending && this.pending.firstByteAt === null) this.pending.firstByteAt = performance.now();
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    if (this.pending) this.parse();
  }

  private onClose(err: Error | null): void {
    if (this.closed) return;
    this.closed = true;
    this.failure = err;
    const p = this.pending;
    if (!p) return;
    if (this.head && this.body?.mode === 'close') {
      this.complete(false, false);
      return;
    }
    if (err) p.reject(err);
    else if (this.received === 0) p.reject(new PortholeError('reset', 'the connection closed without any answer'));
    else p.reject(new PortholeError('reset', 'the connection closed in the middle of the answer'));
  }

  private parse(): void {
    const p = this.pending;
    if (!p) return;
    try {
      if (!this.head && !this.parseHead(p)) return;
      this.parseBody(p);
    } catch (err) {
      p.reject(err as Error);
    }
  }

  private parseHead(p: Pending): boolean {
    const end = this.buf.indexOf('\r\n\r\n');
    if (end < 0) {
      if (this.buf.length > MAX_HEAD) throw new PortholeError('bad-reply', 'the answer headers are too long');
      if (this.buf.length >= 5 && !this.buf.subarray(0, 5).equals(Buffer.from('HTTP/'))) throw notHttp(this.buf);
      return false;
    }
    const text = this.buf.subarray(0, end).toString('latin1');
    this.buf = this.buf.subarray(end + 4);
    const [statusLine = '', ...headerLines] = text.split('\r\n');
    const m = /^HTTP\/1\.([01]) (\d{3})(?: .*)?$/.exec(statusLine);
    if (!m) throw notHttp(Buffer.from(statusLine, 'latin1'));
    const status = Number(m[2]);
    const headers = new Map<string, string>();
    for (const line of headerLines) {
      const i = line.indexOf(':');
      if (i <= 0) throw new PortholeError('bad-reply', `malformed header line "${line.slice(0, 40)}"`);
      const name = line.slice(0, i).trim().toLowerCase();
      const value = line.slice(i + 1).trim();
      headers.set(name, headers.has(name) ? `${headers.get(name)}, ${value}` : value);
    }
    if (status >= 100 && status < 200) {
      // Interim answer (e.g. 100 Continue): the real one follows.
      return this.buf.length > 0 ? this.parseHead(p) : false;
    }
    this.head = { status, headers };
    const http10 = m[1] === '0';
    const connection = (headers.get('connection') ?? '').toLowerCase();
    const keep = http10 ? connection.includes('keep-alive') : !connection.includes('close');
    const te = (headers.get('transfer-encoding') ?? '').toLowerCase();
    const cl = headers.get('content-length');
    if (p.opts.method === 'HEAD' || status === 204 || status === 304) {
      this.body = { mode: 'none', left: 0, read: 0, chunkLeft: 0, trailer: false };
    } else if (te.includes('chunked')) {
      this.body = { mode: 'chunked', left: 0, read: 0, chunkLeft: -1, trailer: false };
    } else if (cl !== undefined) {
      if (!/^\d+$/.test(cl)) throw new PortholeError('bad-reply', `bad content-length "${cl.slice(0, 20)}"`);
      this.body = { mode: 'length', left: Number(cl), read: 0, chunkLeft: 0, trailer: false };
    } else {
      this.body = { mode: 'close', left: 0, read: 0, chunkLeft: 0, trailer: false };
    }
    this.keepAlive = keep && this.body.mode !== 'close';
    return true;
  }

  private parseBody(p: Pending): void {
    const body = this.body;
    if (!body) return;
    const max = p.opts.maxBody ?? 1024 * 1024;
    if (body.mode === 'none') return this.complete(this.keepAlive, false);
    if (body.mode === 'length' || body.mode === 'close') {
      const take = body.mode === 'length' ? Math.min(body.left, this.buf.length) : this.buf.length;
      this.keep(p, this.buf.subarray(0, take));
      body.read += take;
      body.left -= take;
      this.buf = this.buf.subarray(take);
      if (body.read > max) return this.complete(false, true);
      if (body.mode === 'length' && body.left === 0) return this.complete(this.keepAlive, false);
      return;
    }
    // chunked
    for (;;) {
      if (body.trailer) {
        const end = this.buf.indexOf('\r\n');
        if (end < 0) return;
        const line = this.buf.subarray(0, end);
        this.buf = this.buf.subarray(end + 2);
        if (line.length === 0) return this.complete(this.keepAlive, false);
        continue;
      }
      if (body.chunkLeft < 0) {
        const end = this.buf.indexOf('\r\n');
        if (end < 0) {
          if (this.buf.length > 1024) throw new PortholeError('bad-reply', 'bad chunk header');
          return;
        }
        const size = /^([0-9a-fA-F]{1,8})(?:;.*)?$/.exec(this.buf.subarray(0, end).toString('latin1'));
        if (!size) throw new PortholeError('bad-reply', 'bad chunk header');
        this.buf = this.buf.subarray(end + 2);
        const n = parseInt(size[1]!, 16);
        if (n === 0) {
          body.trailer = true;
          continue;
        }
        body.chunkLeft = n + 2; // data + CRLF
      }
      if (this.buf.length === 0) return;
      const take = Math.min(body.chunkLeft, this.buf.length);
      this.keep(p, this.buf.subarray(0, Math.min(take, Math.max(0, body.chunkLeft - 2))));
      body.read += Math.min(take, Math.max(0, body.chunkLeft - 2));
      body.chunkLeft -= take;
      this.buf = this.buf.subarray(take);
      if (body.read > max) return this.complete(false, true);
      if (body.chunkLeft === 0) body.chunkLeft = -1;
    }
  }

  private keep(p: Pending, data: Buffer): void {
    const want = (p.opts.keepBody ?? 0) - this.keptBytes;
    if (want <= 0 || data.length === 0) return;
    const part = Buffer.from(data.subarray(0, want));
    this.kept.push(part);
    this.keptBytes += part.length;
  }

  private complete(reusable: boolean, truncated: boolean): void {
    const p = this.pending;
    const head = this.head;
    const body = this.body;
    if (!p || !head || !body) return;
    const now = performance.now();
    p.resolve({
      status: head.status,
      headers: head.headers,
      bodyBytes: body.read,
      truncated,
      reusable: reusable && !truncated && !this.closed && this.buf.length === 0,
      firstByteMs: (p.firstByteAt ?? now) - p.started,
      totalMs: now - p.started,
      bodyStart: Buffer.concat(this.kept),
    });
    this.kept = [];
    this.keptBytes = 0;
  }
}

function notHttp(start: Buffer): PortholeError {
  const shown = start.subarray(0, 24).toString('latin1').replace(/[^\x20-\x7e]/g, '.');
  return new PortholeError('bad-reply', `the answer is not HTTP ("${shown}")`);
}
