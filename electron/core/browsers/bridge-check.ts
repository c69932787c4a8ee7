// After a launch: fetch a URL through the bridge as an HTTP proxy and report whether it worked.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { exchangeConnect, type ConnectAnswer } from '../net/http-connect.ts';

export interface BridgeCheckOptions {
  host?: string;
  port: number;
  url: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** For https check URLs (tests with their own CA). */
  ca?: string | Buffer;
}

export interface BridgeCheck {
  ok: boolean;
  url: string;
  status?: number;
  ms: number;
  error?: string;
}

export const DEFAULT_CHECK_URL = 'http://connectivitycheck.gstatic.com/generate_204';

/** Succeeds on any 2xx/3xx answer that arrived through the bridge. */
export async function checkThroughBridge(options: BridgeCheckOptions): Promise<BridgeCheck> {
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? 15_000;
  const signal = options.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
  try {
    const url = new URL(options.url);
    const status = url.protocol === 'https:' ? await viaConnect(url, options, signal) : await viaAbsoluteForm(url, options, signal);
    return { ok: status >= 200 && status < 400, url: options.url, status, ms: Date.now() - started };
  } catch (err) {
    const error = signal.aborted && !options.signal?.aborted ? `timed out after ${timeoutMs} ms` : (err as Error).message;
    return { ok: false, url: options.url, ms: Date.now() - started, error };
  }
}

function viaAbsoluteForm(url: URL, o: BridgeCheckOptions, signal: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: o.host ?? '127.0.0.1', port: o.port, method: 'GET', path: url.href, headers: { host: url.host }, signal, agent: false });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function viaConnect(url: URL, o: BridgeCheckOptions, signal: AbortSignal): Promise<number> {
  const socket = net.connect({ host: o.host ?? '127.0.0.1', port: o.port, signal });
  let answer: ConnectAnswer;
  try {
    answer = await exchangeConnect(socket, { host: url.hostname, port: Number(url.port || 443) });
  } catch (err) {
    socket.destroy();
    throw err;
  }
  if (!answer.ok || answer.head.status !== 200) {
    socket.destroy();
    throw new Error(answer.ok ? `bridge refused CONNECT: HTTP ${answer.head.status}` : `bridge: ${answer.detail}`);
  }
  if (answer.rest.length > 0) socket.unshift(answer.rest);
  return new Promise((resolve, reject) => {
    // No agent: with one, Node would ignore createConnection and dial (and resolve) the host itself.
    const get = https.request(url, {
      method: 'GET',
      signal,
      createConnection: () => tls.connect({ socket, servername: url.hostname, ...(o.ca ? { ca: o.ca } : {}) }),
    });
    get.on('response', (r) => {
      r.resume();
      r.on('end', () => {
        socket.destroy();
        resolve(r.statusCode ?? 0);
      });
    });
    get.on('error', reject);
    get.end();
  });
}
