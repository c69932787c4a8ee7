// serveApiOverHttp: the Api contract over loopback HTTP + server-sent events, plus the built
// renderer, for the headless web mode (`porthole up --ui`). Generic over the contract's methods.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dispatch } from '../../../shared/api-dispatch.ts';
import type { Api } from '../../../shared/api.ts';
import { allowedHosts, checkOrigin, checkToken } from './guard.ts';
import { streamEvents } from './events.ts';
import { SECURITY_HEADERS, serveStatic } from './static.ts';
import { TOKEN_PATTERN } from './token.ts';

export { generateToken } from './token.ts';

export interface UiServerOptions {
  /** A loopback address; default 127.0.0.1. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Required on every Api request (Authorization: Bearer). Use generateToken(). */
  token: string;
  /** The built renderer (dist/renderer); without it only the Api is served. */
  staticDir?: string;
  heartbeatMs?: number;
  /** Largest accepted request body. */
  maxBodyBytes?: number;
}

export interface UiServer {
  host: string;
  port: number;
  /** http://host:port */
  origin: string;
  /** The address to open in a browser; carries the token in the fragment (never sent to the server). */
  url: string;
  close(): Promise<void>;
}

const STATUS = { 'bad-request': 400, 'not-found': 404, unavailable: 503, internal: 500 } as const;
const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/;

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

/** The body as text, or null when it is larger than max (the rest is drained, not buffered). */
function readBody(req: IncomingMessage, max: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= max) chunks.push(c);
    });
    req.on('end', () => resolve(size > max ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function handleCall(api: Api, method: string, req: IncomingMessage, res: ServerResponse, max: number): Promise<void> {
  if (req.method !== 'POST') return sendJson(res, 405, { ok: false, error: { code: 'bad-request', message: 'use POST' } });
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
    return sendJson(res, 415, { ok: false, error: { code: 'bad-request', message: 'expected application/json' } });
  }
  const declared = Number(req.headers['content-length'] ?? 0);
  const text = declared > max ? (req.resume(), null) : await readBody(req, max);
  if (text === null) return sendJson(res, 413, { ok: false, error: { code: 'bad-request', message: 'request too large' } });
  let body: unknown;
  try {
    body = text === '' ? {} : JSON.parse(text);
  } catch {
    return sendJson(res, 400, { ok: false, error: { code: 'bad-request', message: 'invalid JSON' } });
  }
  const reply = await dispatch(api, method, body);
  sendJson(res, reply.ok ? 200 : STATUS[reply.error.code], reply);
}

export async function serveApiOverHttp(api: Api, options: UiServerOptions): Promise<UiServer> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.test(host)) throw new Error(`UI server binds loopback only, not ${host}`);
  if (!TOKEN_PATTERN.test(options.token)) throw new Error('UI server token must be 16-128 URL-safe characters');
  const max = options.maxBodyBytes ?? 8 * 1024 * 1024; // a pasted subscription (MAX_IMPORT_TEXT) in JSON
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  let hosts = new Set<string>();
  const streams = new Set<ServerResponse>();

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    const origin = checkOrigin(req, hosts);
    if (!origin.ok) return sendJson(res, origin.status, { ok: false, error: { code: 'bad-request', message: origin.reason } });
    const run = async () => {
      if (url.pathname.startsWith('/api/')) {
        const auth = checkToken(req, options.token);
        if (!auth.ok) return sendJson(res, auth.status, { ok: false, error: { code: 'bad-request', message: auth.reason } });
        const call = /^\/api\/call\/([A-Za-z]{1,64})$/.exec(url.pathname);
        if (call) return handleCall(api, call[1]!, req, res, max);
        if (url.pathname === '/api/events' && req.method === 'GET') {
          streams.add(res);
          res.on('close', () => streams.delete(res));
          await streamEvents(api, res, heartbeatMs);
          return;
        }
        return sendJson(res, 404, { ok: false, error: { code: 'not-found', message: 'no such endpoint' } });
      }
      if (options.staticDir && (req.method === 'GET' || req.method === 'HEAD')) {
        return serveStatic(options.staticDir, url.pathname, res, req.method === 'HEAD');
      }
      return sendJson(res, 404, { ok: false, error: { code: 'not-found', message: 'not found' } });
    };
    run().catch(() => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'internal', message: 'internal error' } });
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  hosts = allowedHosts(host, port);
  const shown = host.includes(':') ? `[${host}]` : host;
  const origin = `http://${shown}:${port}`;
  return {
    host, port, origin,
    url: `${origin}/#token=${options.token}`,
    close: () => new Promise<void>((resolve) => {
      for (const s of streams) s.destroy();
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
