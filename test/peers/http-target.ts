// A local node:http server with known answers, the destination that tests fetch through upstreams.
//   GET  /hello          -> HELLO_BODY
//   GET  /bytes/<n>      -> targetBody(n): n deterministic pseudo-random bytes (n <= 512 MiB)
//   POST /echo           -> the request body
//   POST /sha256         -> hex SHA-256 of the request body (for large uploads)
//   GET  /headers        -> the request headers as JSON
// Anything else is 404. Every request is recorded (method, url, Host header).
import { createCipheriv, createHash } from 'node:crypto';
import http from 'node:http';
import { Readable } from 'node:stream';
import { listenOnLoopback, LOOPBACK } from './free-port.ts';

export const HELLO_BODY = 'hello from the porthole test target\n';
export const MAX_TARGET_BODY = 512 * 1024 * 1024;

export interface RecordedRequest {
  method: string;
  url: string;
  host: string | undefined;
}

export interface HttpTarget {
  readonly host: string;
  readonly port: number;
  /** Requests seen so far, oldest first. */
  readonly requests: RecordedRequest[];
  /** Stops listening and destroys open connections. */
  close(): Promise<void>;
}

const KEY = Buffer.from('porthole-target!');
const IV = Buffer.alloc(16);
let cachedBody: Buffer | null = null;

/** n deterministic bytes (AES-128-CTR keystream under a fixed key), the same for every call. */
export function targetBody(n: number): Buffer {
  if (!Number.isInteger(n) || n < 0 || n > MAX_TARGET_BODY) throw new RangeError(`targetBody: bad size ${n}`);
  if (cachedBody === null || cachedBody.length < n) {
    cachedBody = createCipheriv('aes-128-ctr', KEY, IV).update(Buffer.alloc(Math.max(n, 1024 * 1024)));
  }
  return cachedBody.subarray(0, n);
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export async function startHttpTarget(): Promise<HttpTarget> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', host: req.headers.host });
    const url = req.url ?? '/';
    const bytes = /^\/bytes\/(\d+)$/.exec(url);
    if (req.method === 'GET' && url === '/hello') {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(HELLO_BODY) });
      res.end(HELLO_BODY);
    } else if (req.method === 'GET' && bytes) {
      const n = Number(bytes[1]);
      if (n > MAX_TARGET_BODY) {
        res.writeHead(413).end();
        return;
      }
      const body = targetBody(n);
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': n });
      Readable.from(slices(body, 256 * 1024)).pipe(res);
    } else if (req.method === 'POST' && (url === '/echo' || url === '/sha256')) {
      const hash = createHash('sha256');
      const parts: Buffer[] = [];
      req.on('data', (chunk: Buffer) => (url === '/echo' ? parts.push(chunk) : hash.update(chunk)));
      req.on('end', () => {
        const out = url === '/echo' ? Buffer.concat(parts) : Buffer.from(hash.digest('hex'));
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': out.length });
        res.end(out);
      });
    } else if (req.method === 'GET' && url === '/headers') {
      const out = JSON.stringify(req.headers);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) });
      res.end(out);
    } else {
      res.writeHead(404, { 'content-length': 0 }).end();
    }
  });
  const port = await listenOnLoopback(server);
  return {
    host: LOOPBACK,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function* slices(body: Buffer, size: number): Generator<Buffer> {
  for (let at = 0; at < body.length; at += size) yield body.subarray(at, at + size);
}
