// Child processes of the benchmark, one job each (argv[2]):
//   target       the U/D/E target server (protocol.ts)
//   pipe PORT    a bare Node relay: every connection piped to 127.0.0.1:PORT, nothing else
//   bridge JSON  the Porthole bridge; JSON = { upstreams: "direct" | "idle" | string[] (proxy links), maxConnections? }
// Each prints nothing; it tells the parent its port over IPC and answers { type: 'stats' } with
// its memory figures (VmRSS, VmHWM = peak RSS), open-file limit and the bridge's counters.
import fs from 'node:fs';
import net from 'node:net';
import { Duplex } from 'node:stream';
import type { Upstream } from '../electron/core/bridge/upstreams/types.ts';
import { CHUNK } from './protocol.ts';

function procStatus(field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

function nofile(): number {
  const m = /^Max open files\s+(\d+)/m.exec(fs.readFileSync('/proc/self/limits', 'utf8'));
  return m ? Number(m[1]) : 0;
}

let statsOf: () => unknown = () => null;
function ready(port: number): void {
  process.on('message', (msg: { type?: string }) => {
    if (msg.type === 'stats') process.send?.({ type: 'stats', rss: procStatus('VmRSS'), hwm: procStatus('VmHWM'), nofile: nofile(), cpuUs: (() => { const u = process.cpuUsage(); return u.user + u.system; })(), bridge: statsOf() });
  });
  process.on('disconnect', () => process.exit(0));
  // An orderly exit on stop, so a --cpu-prof profile (BENCH_NODE_FLAGS) gets written.
  process.on('SIGTERM', () => process.exit(0));
  process.send?.({ type: 'ready', port });
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) => server.listen({ host: '127.0.0.1', port: 0, backlog: 4096 }, () => resolve((server.address() as net.AddressInfo).port)));
}

function target(): net.Server {
  return net.createServer({ noDelay: true }, (s) => {
    s.on('error', () => s.destroy());
    let head: Buffer = Buffer.alloc(0);
    const onHead = (c: Buffer): void => {
      head = head.length ? Buffer.concat([head, c]) : c;
      if (head[0] === 0x45 /* E */) {
        s.off('data', onHead);
        s.write(head); // the 'E' itself is echoed too
        s.pipe(s);
        return;
      }
      if (head.length < 9) return;
      s.off('data', onHead);
      const n = Number(head.readBigUInt64BE(1));
      if (head[0] === 0x55 /* U */) {
        let got = head.length - 9;
        const check = (): void => { if (got >= n) { s.off('data', count); s.end('K'); } };
        const count = (d: Buffer): void => { got += d.length; check(); };
        s.on('data', count);
        check();
      } else {
        let left = n;
        const pump = (): void => {
          while (left > 0) {
            const piece = left >= CHUNK.length ? CHUNK : CHUNK.subarray(0, left);
            left -= piece.length;
            if (!s.write(piece)) { s.once('drain', pump); return; }
          }
          s.end();
        };
        pump();
      }
    };
    s.on('data', onHead);
  });
}

function pipeRelay(to: number): net.Server {
  return net.createServer((c) => {
    const u = net.connect({ host: '127.0.0.1', port: to });
    const kill = (): void => { c.destroy(); u.destroy(); };
    c.on('error', kill);
    u.on('error', kill);
    c.pipe(u).pipe(c);
  });
}

/** An upstream whose streams swallow writes and never answer: holds client connections only. */
function idleUpstream(): Upstream {
  return {
    id: 'idle',
    describe: 'in-memory idle stream',
    connect: async () => new Duplex({ read() {}, write(_c, _e, cb) { cb(); } }),
  };
}

async function bridgeChild(config: { upstreams: 'direct' | 'idle' | string[]; maxConnections?: number }): Promise<void> {
  const { startBridge } = await import('../electron/core/bridge/index.ts');
  let candidates: Upstream[];
  if (config.upstreams === 'direct') candidates = [(await import('../electron/core/bridge/upstreams/index.ts')).directUpstream()];
  else if (config.upstreams === 'idle') candidates = [idleUpstream()];
  else {
    const { upstreamsFromLinks } = await import('../electron/cli/commands/bridge.ts');
    candidates = upstreamsFromLinks(config.upstreams);
  }
  const bridge = await startBridge({
    host: '127.0.0.1',
    port: 0,
    candidates: () => candidates,
    limits: { maxConnections: config.maxConnections ?? 4096, idleTimeoutMs: 600_000, handshakeTimeoutMs: 60_000 },
  });
  statsOf = () => bridge.stats();
  ready(bridge.port);
}

const job = process.argv[2];
if (job === 'target') ready(await listen(target()));
else if (job === 'pipe') ready(await listen(pipeRelay(Number(process.argv[3]))));
else if (job === 'bridge') await bridgeChild(JSON.parse(process.argv[3] ?? '{}'));
else {
  process.stderr.write(`bench/children.ts: unknown job ${String(job)}\n`);
  process.exit(2);
}
