// `porthole up --demo`: local demo proxies and a signed demo list, so a newcomer on a fresh,
// offline machine sees the whole loop work. Everything listens on 127.0.0.1 only:
//   - two working proxies (Porthole bridges with a direct upstream: SOCKS5 + HTTP CONNECT),
//     one of them slowed down so the ranking has something to show;
//   - a dead one (closed port), a silent one (accepts, never answers) and a resetting one;
//   - a tiny web page to browse to through the bridge, also used as the probe URL;
//   - a demo publisher whose signed list names all of the above, trusted by the demo client.
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { startBridge } from '../bridge/index.ts';
import { DirectUpstream } from '../bridge/upstreams/index.ts';
import type { Upstream } from '../bridge/upstreams/types.ts';
import { createSimplePublisher } from '../lists/keyfiles.ts';
import type { RootChain } from '../lists/roots.ts';
import { buildPayload, signList } from '../lists/sign.ts';
import { writeFileAtomic } from '../fs/atomic.ts';

export interface DemoSetup {
  /** Trust this publisher (pinned for the demo client). */
  chain: RootChain;
  /** The signed demo list; import it into the client. */
  listFile: string;
  pageUrl: string;
  /** Ports of the working demo proxies. */
  proxies: { fast: number; slow: number };
  stop(): Promise<void>;
}

const PAGE = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Porthole demo</title>
<body style="font-family:sans-serif;background:#0b6e4f;color:#fff;padding:2em">
<h1>You are through.</h1><p>This page came to you through the Porthole bridge and a demo proxy.</p>
<p lang="ru">Вы на связи. Эта страница пришла через мост Porthole.</p><p lang="kk">Сіз байланыстасыз.</p></body></html>`;

/** An upstream that adds a fixed delay before connecting (the "far away" demo server). */
class SlowDirect implements Upstream {
  readonly id = 'demo-slow';
  readonly describe = 'direct (slowed for the demo)';
  private readonly inner = new DirectUpstream('demo-slow');
  private readonly delayMs: number;
  constructor(delayMs: number) {
    this.delayMs = delayMs;
  }
  async connect(...args: Parameters<Upstream['connect']>): Promise<Duplex> {
    await new Promise((r) => setTimeout(r, this.delayMs));
    return this.inner.connect(...args);
  }
}

export async function startDemo(dir: string): Promise<DemoSetup> {
  await mkdir(dir, { recursive: true });
  const closers: (() => Promise<void>)[] = [];
  try {
    const page = createHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(PAGE);
    });
    const pagePort = await listen(page);
    closers.push(() => closeServer(page));
    const pageUrl = `http://127.0.0.1:${pagePort}/`;

    const fast = await startBridge({ host: '127.0.0.1', port: 0, candidates: () => [new DirectUpstream('demo-direct')] });
    closers.push(() => fast.close());
    const slow = await startBridge({ host: '127.0.0.1', port: 0, candidates: () => [new SlowDirect(120)] });
    closers.push(() => slow.close());
    const held = new Set<Socket>();
    const silent = createTcpServer((s) => {
      held.add(s);
      s.on('error', () => {});
      s.on('close', () => held.delete(s));
    });
    const silentPort = await listen(silent);
    closers.push(() => {
      for (const s of held) s.destroy();
      return closeServer(silent);
    });
    const resetter = createTcpServer((s: Socket) => s.resetAndDestroy());
    const resetPort = await listen(resetter);
    closers.push(() => closeServer(resetter));
    const deadPort = await closedPort();

    const { key, chain } = await createSimplePublisher(join(dir, 'demo-publisher'), 'Porthole demo');
    const probeUrls = [pageUrl];
    const entries = [
      { url: `socks5://127.0.0.1:${fast.port}`, label: 'Demo-Frankfurt', country: 'DE', probeUrls },
      { url: `http://127.0.0.1:${slow.port}`, label: 'Demo-Almaty', country: 'KZ', probeUrls },
      { url: `socks5://127.0.0.1:${deadPort}`, label: 'Demo-Blocked', probeUrls },
      { url: `socks5://127.0.0.1:${silentPort}`, label: 'Demo-Silent', probeUrls },
      { url: `http://127.0.0.1:${resetPort}`, label: 'Demo-Reset', probeUrls },
    ];
    const now = new Date();
    const payload = buildPayload(JSON.stringify({ name: 'Porthole demo', entries }), { publisher: chain.publisher, version: Math.floor(now.getTime() / 1000), issuedAt: now, expires: new Date(now.getTime() + 86400_000) });
    const listFile = join(dir, 'demo.signed');
    await writeFileAtomic(listFile, signList(payload, key, chain));
    return {
      chain,
      listFile,
      pageUrl,
      proxies: { fast: fast.port, slow: slow.port },
      stop: async () => {
        for (const c of closers.reverse()) await c().catch(() => undefined);
      },
    };
  } catch (err) {
    for (const c of closers.reverse()) await c().catch(() => undefined);
    throw err;
  }
}

function listen(server: HttpServer | TcpServer): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : 0);
    });
  });
}

function closeServer(server: HttpServer | TcpServer): Promise<void> {
  return new Promise((resolve) => {
    if ('closeAllConnections' in server) server.closeAllConnections();
    server.close(() => resolve());
  });
}

async function closedPort(): Promise<number> {
  const s = createTcpServer();
  const port = await listen(s);
  await closeServer(s);
  return port;
}
