// Benchmark of the local bridge on loopback, in one run:
//   throughput, 1 and N parallel streams, each way: bridge→microsocks vs microsocks alone,
//     bridge→dante vs dante alone, bridge(shadowsocks)→ss-server vs ss-local→ss-server (same cipher),
//     bridge with a direct upstream vs a bare Node pipe relay;
//   connection-setup latency over sequential connections (direct, bare relay, bridge);
//   concurrent idle connections held by the bridge: peak RSS and failures.
// The bridge, the relay and the target each run in their own process; the clients run here.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BridgeStats } from '../electron/core/bridge/index.ts';
import { startDante, startMicrosocks, startSsLocal, startSsServer, type Peer, type SsMethod } from '../test/peers/index.ts';
import { compileForBench } from './compile.ts';
import { download, echoOnce, openStream, upload, type Path } from './protocol.ts';

const MiB = 1024 * 1024;
const here = path.dirname(fileURLToPath(import.meta.url));
let childScript: string | null = null;

export interface BenchOptions {
  /** Bytes per direction per throughput run (split over the streams when parallel). */
  bytes: number;
  streams: number;
  latencyCount: number;
  idleCount: number;
  cipher: SsMethod;
  /** Throughput runs per measurement, alternating baseline and bridge; the best counts (noise from a busy machine). */
  repeat: number;
  /** Throughput pairs to run (substrings of their names; empty = all): microsocks, dante, shadowsocks, direct. */
  pairs: string[];
  /** Sections to run: throughput, latency, idle (this file), probe (bench/probe.ts). */
  sections: string[];
}

function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]?)i?b?$/i.exec(text.trim());
  if (!m) throw new Error(`bad size ${JSON.stringify(text)} (e.g. 1G, 256M)`);
  const unit = { '': 1, k: 1024, m: MiB, g: 1024 * MiB }[(m[2] as string).toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Math.round(Number(m[1]) * unit);
}

export function optionsFromEnv(env: NodeJS.ProcessEnv): BenchOptions {
  return {
    bytes: env.BENCH_BYTES ? parseSize(env.BENCH_BYTES) : 1024 * MiB,
    streams: Number(env.BENCH_STREAMS ?? 16),
    latencyCount: Number(env.BENCH_LATENCY_N ?? 2000),
    idleCount: Number(env.BENCH_IDLE_N ?? 10_000),
    cipher: (env.BENCH_SS_CIPHER ?? 'chacha20-ietf-poly1305') as SsMethod,
    repeat: Math.max(1, Number(env.BENCH_REPEAT ?? 1)),
    pairs: (env.BENCH_PAIRS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    sections: (env.BENCH_ONLY ?? 'throughput,latency,idle,probe').split(',').map((s) => s.trim()),
  };
}

export interface ChildStats {
  /** CPU time used so far (user + system), microseconds. */
  cpuUs: number;
  rss: number;
  hwm: number;
  nofile: number;
  bridge: BridgeStats | null;
}

interface Child {
  port: number;
  stats(): Promise<ChildStats>;
  stop(): Promise<void>;
}

/** Starts bench/children.ts JOB ARG under `ulimit -n` raised as far as allowed. */
function startChild(job: string, arg = '', nofile = 65_536): Promise<Child> {
  const script = `ulimit -n ${nofile} 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "$0" "$@"`;
  childScript ??= compileForBench(path.dirname(here));
  const proc: ChildProcess = spawn('sh', ['-c', script, process.execPath, childScript, job, arg], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null): void => reject(new Error(`bench child ${job} exited (${code}) before it was ready`));
    proc.once('exit', onExit);
    proc.once('message', (msg: { type: string; port: number }) => {
      proc.off('exit', onExit);
      resolve({
        port: msg.port,
        stats: () => new Promise((res) => {
          const on = (m: { type: string } & ChildStats): void => {
            if (m.type === 'stats') { proc.off('message', on); res(m); }
          };
          proc.on('message', on);
          proc.send({ type: 'stats' });
        }),
        stop: () => new Promise((res) => {
          if (proc.exitCode !== null || proc.signalCode !== null) return res();
          proc.once('exit', () => res());
          proc.kill('SIGTERM');
        }),
      });
    });
  });
}

export interface ThroughputRow {
  pair: string;
  dir: 'up' | 'down';
  streams: number;
  baselineMiBps: number;
  bridgeMiBps: number;
  ratio: number;
}

/** MiB/s moving `total` bytes one way over `streams` parallel streams; NaN when a run stalls or fails. */
async function measure(p: Path, targetPort: number, total: number, streams: number, dir: 'up' | 'down'): Promise<number> {
  const per = Math.ceil(total / streams);
  const socks = await Promise.all(Array.from({ length: streams }, () => openStream(p, targetPort)));
  const t0 = process.hrtime.bigint();
  const limitMs = 30_000 + total / (10 * MiB) * 1000; // slower than 10 MiB/s counts as stalled
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      Promise.all(socks.map((s) => (dir === 'up' ? upload(s, per) : download(s, per)))),
      new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`stalled: not done within ${Math.round(limitMs / 1000)} s`)), limitMs); }),
    ]);
  } catch (err) {
    process.stderr.write(`    ${dir} over ${p.kind}:${p.port} failed: ${(err as Error).message}\n`);
    return NaN;
  } finally {
    clearTimeout(timer);
    for (const s of socks) s.destroy();
  }
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  return (per * streams) / MiB / secs;
}

interface PairSetup {
  name: string;
  baseline: Path;
  bridgeUpstreams: 'direct' | string[];
}

function ssLink(method: string, password: string, port: number): string {
  return `ss://${Buffer.from(`${method}:${password}`).toString('base64url')}@127.0.0.1:${port}#bench`;
}

async function throughput(opts: BenchOptions, targetPort: number, log: (l: string) => void): Promise<ThroughputRow[]> {
  const peers: Peer[] = [];
  const children: Child[] = [];
  const rows: ThroughputRow[] = [];
  try {
    const password = 'bench-password-1';
    const [ms, dante, ss] = await Promise.all([startMicrosocks(), startDante(), startSsServer({ method: opts.cipher, password })]);
    peers.push(ms, dante, ss);
    const ssLocal = await startSsLocal({ method: opts.cipher, password, server: ss });
    peers.push(ssLocal);
    const pipe = await startChild('pipe', String(targetPort));
    children.push(pipe);
    const pairs: PairSetup[] = [
      { name: 'microsocks', baseline: { kind: 'socks5', port: ms.port }, bridgeUpstreams: [`socks5://127.0.0.1:${ms.port}`] },
      { name: 'dante', baseline: { kind: 'socks5', port: dante.port }, bridgeUpstreams: [`socks5://127.0.0.1:${dante.port}`] },
      { name: `shadowsocks ${opts.cipher}`, baseline: { kind: 'socks5', port: ssLocal.port }, bridgeUpstreams: [ssLink(opts.cipher, password, ss.port)] },
      { name: 'direct vs bare pipe', baseline: { kind: 'plain', port: pipe.port }, bridgeUpstreams: 'direct' },
    ];
    const warm = Math.min(64 * MiB, Math.max(MiB, Math.floor(opts.bytes / 16)));
    for (const pair of pairs) {
      if (opts.pairs.length > 0 && !opts.pairs.some((p) => pair.name.includes(p))) continue;
      const bridge = await startChild('bridge', JSON.stringify({ upstreams: pair.bridgeUpstreams }));
      children.push(bridge);
      const viaBridge: Path = { kind: 'socks5', port: bridge.port };
      for (const p of [pair.baseline, viaBridge]) await measure(p, targetPort, warm, 1, 'down');
      for (const streams of [1, opts.streams]) {
        for (const dir of ['up', 'down'] as const) {
          let baselineMiBps = 0;
          let bridgeMiBps = 0;
          for (let i = 0; i < opts.repeat; i++) {
            baselineMiBps = Math.max(baselineMiBps, await measure(pair.baseline, targetPort, opts.bytes, streams, dir));
            bridgeMiBps = Math.max(bridgeMiBps, await measure(viaBridge, targetPort, opts.bytes, streams, dir));
          }
          const row = { pair: pair.name, dir, streams, baselineMiBps, bridgeMiBps, ratio: bridgeMiBps / baselineMiBps };
          rows.push(row);
          log(`  ${pair.name.padEnd(34)} ${dir.padEnd(4)} ${String(streams).padStart(2)} stream(s): baseline ${baselineMiBps.toFixed(0)} MiB/s, bridge ${bridgeMiBps.toFixed(0)} MiB/s (×${row.ratio.toFixed(2)})`);
        }
      }
      await bridge.stop();
    }
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    await Promise.all(peers.map((p) => p.stop()));
  }
  return rows;
}

export interface LatencyResult {
  count: number;
  /** Milliseconds, per path: p50 and p99 of connect + handshake + 1-byte echo. */
  direct: { p50: number; p99: number };
  pipe: { p50: number; p99: number };
  bridge: { p50: number; p99: number };
  /** bridge minus direct, at p50 and p99. */
  added: { p50: number; p99: number };
  /** CPU time the relay process spent per connection (µs): less sensitive to a busy machine. */
  cpuPerConnUs: { pipe: number; bridge: number };
}

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

async function latency(opts: BenchOptions, targetPort: number): Promise<LatencyResult> {
  const pipe = await startChild('pipe', String(targetPort));
  const bridge = await startChild('bridge', JSON.stringify({ upstreams: 'direct' }));
  try {
    const cpu: Record<string, number> = {};
    const run = async (p: Path, child?: Child): Promise<{ p50: number; p99: number }> => {
      for (let i = 0; i < 200; i++) await echoOnce(p, targetPort);
      const cpu0 = child ? (await child.stats()).cpuUs : 0;
      const times: number[] = [];
      for (let i = 0; i < opts.latencyCount; i++) times.push(await echoOnce(p, targetPort));
      if (child) cpu[p.kind] = ((await child.stats()).cpuUs - cpu0) / opts.latencyCount;
      times.sort((a, b) => a - b);
      return { p50: percentile(times, 0.5), p99: percentile(times, 0.99) };
    };
    const direct = await run({ kind: 'direct', port: targetPort });
    const viaPipe = await run({ kind: 'plain', port: pipe.port }, pipe);
    const viaBridge = await run({ kind: 'socks5', port: bridge.port }, bridge);
    return {
      count: opts.latencyCount, direct, pipe: viaPipe, bridge: viaBridge,
      added: { p50: viaBridge.p50 - direct.p50, p99: viaBridge.p99 - direct.p99 },
      cpuPerConnUs: { pipe: cpu.plain ?? NaN, bridge: cpu.socks5 ?? NaN },
    };
  } finally {
    await Promise.all([pipe.stop(), bridge.stop()]);
  }
}

export interface IdleResult {
  upstream: 'idle' | 'direct';
  requested: number;
  held: number;
  failures: number;
  /** Bridge process: resident memory before the connections, and its peak (VmHWM) while holding them. */
  baseRssMiB: number;
  peakRssMiB: number;
  bridgeNofile: number;
  note?: string;
}

async function holdIdle(count: number, upstream: 'idle' | 'direct', targetPort: number, log: (l: string) => void): Promise<IdleResult> {
  const bridge = await startChild('bridge', JSON.stringify({ upstreams: upstream, maxConnections: 30_000 }));
  const sockets: Socket[] = [];
  let failures = 0;
  try {
    const before = await bridge.stats();
    let n = count;
    let note: string | undefined;
    if (upstream === 'direct' && 2 * n + 64 > before.nofile) {
      n = Math.floor((before.nofile - 64) / 2);
      note = `open-file limit ${before.nofile} (hard) allows ${n} tunnels with a socket on each side`;
    }
    for (let i = 0; i < n; i += 250) {
      await Promise.all(Array.from({ length: Math.min(250, n - i) }, () => openStream({ kind: 'socks5', port: bridge.port }, targetPort).then((s) => {
        s.on('error', () => {});
        sockets.push(s);
      }, () => { failures++; })));
    }
    await new Promise((r) => setTimeout(r, 2000));
    const closed = sockets.filter((s) => s.destroyed || s.readableEnded).length;
    failures += closed;
    const during = await bridge.stats();
    const held = during.bridge?.active ?? 0;
    if (held !== n - failures) failures = Math.max(failures, n - held);
    log(`  ${upstream} upstream: ${held}/${n} held, peak RSS ${(during.hwm / MiB).toFixed(1)} MiB (base ${(before.rss / MiB).toFixed(1)} MiB)`);
    return { upstream, requested: n, held, failures, baseRssMiB: before.rss / MiB, peakRssMiB: during.hwm / MiB, bridgeNofile: before.nofile, ...(note ? { note } : {}) };
  } finally {
    for (const s of sockets) s.destroy();
    await bridge.stop();
  }
}

export interface BenchResults {
  date: string;
  machine: { cpus: number; cpuModel: string; node: string; memGiB: number };
  options: BenchOptions;
  throughput: ThroughputRow[];
  latency: LatencyResult | null;
  idle: IdleResult[];
}

export async function runBridgeBench(opts: BenchOptions, log: (line: string) => void = () => {}): Promise<BenchResults> {
  const target = await startChild('target', '', 65_536);
  const results: BenchResults = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '?', node: process.version, memGiB: Math.round(os.totalmem() / 1024 ** 3) },
    options: opts,
    throughput: [],
    latency: null,
    idle: [],
  };
  try {
    if (opts.sections.includes('throughput')) {
      log(`throughput (${(opts.bytes / MiB).toFixed(0)} MiB each way per run):`);
      results.throughput = await throughput(opts, target.port, log);
    }
    if (opts.sections.includes('latency')) {
      log(`connection setup latency (${opts.latencyCount} sequential connections per path)…`);
      results.latency = await latency(opts, target.port);
    }
    if (opts.sections.includes('idle')) {
      log(`${opts.idleCount} concurrent idle connections:`);
      results.idle.push(await holdIdle(opts.idleCount, 'idle', target.port, log));
      results.idle.push(await holdIdle(opts.idleCount, 'direct', target.port, log));
    }
  } finally {
    await target.stop();
  }
  return results;
}
