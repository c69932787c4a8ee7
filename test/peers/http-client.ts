// HTTP/1.1 over an already-open stream (e.g. one returned by Upstream.connect), via node:http's
// createConnection hook. The request says "Connection: close"; the whole response body is collected.
import http from 'node:http';
import { createHash } from 'node:crypto';
import type { Duplex } from 'node:stream';

export interface HttpOverOptions {
  method?: string;
  /** Host header, e.g. "127.0.0.1:8080". */
  host: string;
  path: string;
  body?: Buffer;
  /** Reject when no response completes within this time (default 30 s); the stream is destroyed. */
  timeoutMs?: number;
}

export interface HttpOverResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  sha256: string;
}

export function httpOver(stream: Duplex, options: HttpOverOptions): Promise<HttpOverResult> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      req.destroy(new Error(`httpOver: no complete response within ${options.timeoutMs ?? 30_000} ms`));
    }, options.timeoutMs ?? 30_000);
    const req = http.request({
      method: options.method ?? 'GET',
      path: options.path,
      headers: { host: options.host, connection: 'close', ...(options.body ? { 'content-length': options.body.length } : {}) },
      createConnection: () => stream,
    });
    const fail = (err: Error): void => {
      clearTimeout(timer);
      stream.destroy();
      reject(err);
    };
    req.once('error', fail);
    req.once('response', (res) => {
      const parts: Buffer[] = [];
      const hash = createHash('sha256');
      res.on('data', (chunk: Buffer) => {
        parts.push(chunk);
        hash.update(chunk);
      });
      res.once('error', fail);
      res.once('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts), sha256: hash.digest('hex') });
      });
    });
    req.end(options.body);
  });
}
