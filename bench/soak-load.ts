// The soak's client load through the bridge (SOCKS5): a few workers fetching pages one after another
// and a few long downloads read at a steady, limited rate. Every failed request is recorded with its
// cause and retried at once on a new connection; the retry's time to its response is recorded too.
import { SocksClient } from 'socks';
import type { Socket } from 'node:net';
import { httpOver, sha256Hex, targetBody } from '../test/peers/index.ts';

export interface RequestFailure {
  worker: string;
  path: string;
  startedAt: number;
  failedAt: number;
  cause: string;
  /** Bytes of the response body received before the failure. */
  received: number;
  /** When the retry on a new connection got its response (null: every retry failed). */
  retryOkAt: number | null;
  retryCause?: string;
  /** Retries that failed before one worked (each on a new connection, at once): a retry can meet a dying server too. */
  failedRetries?: { at: number; cause: string }[];
}

export interface LoadOptions {
  bridgePort: number;
  targetPort: number;
  pageWorkers: number;
  longDownloads: number;
  /** Size of each long download and its read rate. */
  longBytes: number;
  longRateBytesPerSec: number;
  requestTimeoutMs: number;
}

export interface LoadStats {
  ok: number;
  failed: RequestFailure[];
  bytes: number;
}

async function connect(o: LoadOptions): Promise<Socket> {
  const { socket } = await SocksClient.createConnection({
    proxy: { host: '127.0.0.1', port: o.bridgePort, type: 5 },
    command: 'connect',
    destination: { host: '127.0.0.1', port: o.targetPort },
    timeout: o.requestTimeoutMs,
  });
  return socket;
}

/** A page fetch: a small page or a few hundred KB, checked byte for byte. */
async function fetchPage(o: LoadOptions, path: string): Promise<number> {
  const socket = await connect(o).catch((err: unknown) => { throw new Error(`bridge refused or failed the SOCKS request: ${(err as Error).message}`); });
  const res = await httpOver(socket, { host: `127.0.0.1:${o.targetPort}`, path, timeoutMs: o.requestTimeoutMs });
  if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
  const n = /^\/bytes\/(\d+)$/.exec(path);
  if (n && res.sha256 !== sha256Hex(targetBody(Number(n[1])))) throw new Error('the body arrived corrupted');
  return res.body.length;
}

/** A long download read at a limited rate (pause/resume); resolves with the bytes received. */
function longDownload(o: LoadOptions, open: Set<Socket>): Promise<number> {
  return connect(o).then((socket) => new Promise<number>((resolve, reject) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
    let received = 0;
    let headerDone = false;
    let head = '';
    const t0 = Date.now();
    socket.on('data', (chunk: Buffer) => {
      if (!headerDone) {
        head += chunk.toString('latin1');
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        headerDone = true;
        if (!head.startsWith('HTTP/1.1 200')) { socket.destroy(); reject(new Error(`HTTP ${head.slice(9, 12)}`)); return; }
        received += Buffer.byteLength(head.slice(end + 4), 'latin1');
      } else received += chunk.length;
      const ahead = received / o.longRateBytesPerSec * 1000 - (Date.now() - t0);
      if (ahead > 50) {
        socket.pause();
        setTimeout(() => socket.resume(), ahead);
      }
    });
    socket.on('end', () => (received >= o.longBytes ? resolve(received) : reject(Object.assign(new Error(`the download ended after ${received} of ${o.longBytes} bytes`), { received }))));
    socket.on('error', (err) => reject(Object.assign(new Error(`the download broke after ${received} bytes: ${err.message}`), { received })));
    socket.write(`GET /bytes/${o.longBytes} HTTP/1.1\r\nHost: 127.0.0.1:${o.targetPort}\r\nConnection: close\r\n\r\n`);
  }));
}

const RETRIES = 3;

/** Runs the load until stop(); returns the stats then. */
export function startLoad(o: LoadOptions, random: () => number): { stats: LoadStats; stop: () => Promise<LoadStats> } {
  const stats: LoadStats = { ok: 0, failed: [], bytes: 0 };
  let stopped = false;
  const open = new Set<Socket>();
  const run = async (worker: string, once: () => Promise<number>, path: string): Promise<void> => {
    const startedAt = Date.now();
    try {
      stats.bytes += await once();
      stats.ok++;
    } catch (err) {
      if (stopped) return;
      const failure: RequestFailure = {
        worker, path, startedAt, failedAt: Date.now(), cause: (err as Error).message, received: (err as { received?: number }).received ?? 0, retryOkAt: null,
      };
      stats.failed.push(failure);
      // The retry a browser (or the user) makes: a new connection at once, timed to its response; up to
      // RETRIES times, as a retry may itself be in flight on a server that dies.
      for (let attempt = 0; attempt < RETRIES && failure.retryOkAt === null && !stopped; attempt++) {
        try {
          await fetchPage(o, '/hello');
          failure.retryOkAt = Date.now();
        } catch (e) {
          failure.retryCause = (e as Error).message;
          (failure.failedRetries ??= []).push({ at: Date.now(), cause: failure.retryCause });
        }
      }
    }
  };
  const pages = Array.from({ length: o.pageWorkers }, async (_, i) => {
    while (!stopped) {
      const path = random() < 0.7 ? '/hello' : `/bytes/${Math.floor(50_000 + random() * 400_000)}`;
      await run(`page${i}`, () => fetchPage(o, path), path);
      await new Promise((r) => setTimeout(r, 50 + random() * 250));
    }
  });
  const longs = Array.from({ length: o.longDownloads }, async (_, i) => {
    while (!stopped) await run(`long${i}`, () => longDownload(o, open), `/bytes/${o.longBytes}`);
  });
  return {
    stats,
    stop: async () => {
      stopped = true;
      for (const s of open) s.destroy();
      await Promise.race([Promise.all([...pages, ...longs]), new Promise((r) => setTimeout(r, o.requestTimeoutMs + 2000))]);
      return stats;
    },
  };
}
