// Benchmark of the local bridge on loopback, in one run:
//   throughput, 1 and N parallel streams, each way: bridge→microsocks vs microsocks alone,
//     bridge→dante vs dante alone, bridge(shadowsocks)→ss-server vs ss-local→ss-server (same cipher;
//     chacha20-ietf-poly1305 and aes-256-gcm; once per cipher library the provider profiles pick, so the
//     app's native path and its BoringSSL fallback are both measured),
//     bridge with a direct upstream vs a bare Node pipe relay;
//   connection-setup latency over sequential connections (direct, bare relay, bridge);
//   concurrent idle connections held by the bridge: peak RSS and failures.
// The bridge, the relay and the target each run in their own process; the clients run here.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BridgeStats } from '../electron/core/bridge/index.ts';
import { CipherProvider, parseBackends, PROVIDER_PROFILES } from '../electron/core/bridge/upstreams/shadowsocks-crypto.ts';
import type { ProfileName } from '../electron/core/bridge/upstreams/shadowsocks-crypto.ts';
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
  /** Shadowsocks ciphers measured (BENCH_SS_CIPHER, comma list). */
  ciphers: SsMethod[];
  /** Cipher provider profiles for the bridge (BENCH_SS_PROVIDERS); each distinct library per cipher runs once. */
  providers: ProfileName[];
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
    ciphers: (env.BENCH_SS_CIPHER ?? 'chacha20-ietf-poly1305,aes-256-gcm').split(',').map((c) => c.trim() as SsMethod).filter(Boolean),
    providers: (env.BENCH_SS_PROVIDERS ?? 'auto,node,boringssl').split(',').map((c) => c.trim()).filter(Boolean).map((name) => {
      parseBackends(name);
      if (!Object.hasOwn(PROVIDER_PROFILES, name)) throw new Error(`BENCH_SS_PROVIDERS: ${name} is not a profile (${Object.keys(PROVIDER_PROFILES).join(', ')})`);
      return name as ProfileName;
    }),
    repeat: Math.max(1, Number(env.BENCH_REPEAT ?? 1)),
    pairs: (env.BENCH_PAIRS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    sections: (env.BENCH_ONLY ?? 'throughput,latency,idle,probe,startup').split(',').map((s) => s.trim()),
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
function startChild(job: string, arg = '', nofile = 65_536, env: NodeJS.ProcessEnv = {}): Promise<Child> {
  const script = `ulimit -n ${nofile} 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "$0" "$@"`;
  childScript ??= compileForBench(path.dirname(here));
  // BENCH_NODE_FLAGS (e.g. --cpu-prof) go to the bridge children only, for profiling.
  const flags = job === 'bridge' ? (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean) : [];
  const proc: ChildProcess = spawn('sh', ['-c', script, process.execPath, ...flags, childScript, job, arg], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: { ...process.env, ...env } });
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
  /** CPU seconds per GiB of the relaying process: the baseline proxy's (NaN when not measured) and the bridge's. */
  baselineCpuPerGiB: number;
  bridgeCpuPerGiB: number;
  ss?: { cipher: SsMethod; library: string; profile: ProfileName };
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
export function cpuSecondsOf(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return NaN;
  }
}

interface Measured {
  mibps: number;
  /** CPU seconds the relaying process (bridge, or the baseline proxy) spent per GiB moved; NaN when unknown. */
  cpuPerGiB: number;
}

/** MiB/s moving `total` bytes one way over `streams` parallel streams; NaN when a run stalls or fails. */
async function measureCpu(p: Path, targetPort: number, total: number, streams: number, dir: 'up' | 'down', cpu: () => Promise<number>): Promise<Measured> {
  const before = await cpu();
  const mibps = await measure(p, targetPort, total, streams, dir);
  const used = (await cpu()) - before;
  return { mibps, cpuPerGiB: used / (Math.ceil(total / streams) * streams / (1024 * MiB)) };
}

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
  /** The baseline proxy's CPU seconds so far (not for dante: it forks per connection). */
  baselineCpu?: () => Promise<number>;
  bridgeUpstreams: 'direct' | string[];
  /** Environment of the bridge process (the cipher provider profile). */
  env?: NodeJS.ProcessEnv;
  /** Shadowsocks rows: the cipher library the bridge used and whether it is the app's own choice. */
  ss?: { cipher: SsMethod; library: string; profile: ProfileName };
}

/** One profile per distinct cipher library serving `cipher`, in the given order (the first is the app's when 'auto' leads). */
function librariesFor(cipher: SsMethod, profiles: readonly ProfileName[]): { library: string; profile: ProfileName }[] {
  const seen = new Map<string, ProfileName>();
  for (const profile of profiles) {
    const library = new CipherProvider(profile).backendFor(cipher)?.name.replace(/ \(BoringSSL-like.*\)$/, '');
    if (library && !seen.has(library)) seen.set(library, profile);
  }
  return [...seen].map(([library, profile]) => ({ library, profile }));
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
    const [ms, dante] = await Promise.all([startMicrosocks(), startDante()]);
    peers.push(ms, dante);
    const pipe = await startChild('pipe', String(targetPort));
    children.push(pipe);
    const pairs: PairSetup[] = [
      { name: 'microsocks', baseline: { kind: 'socks5', port: ms.port }, baselineCpu: async () => cpuSecondsOf(ms.pid), bridgeUpstreams: [`socks5://127.0.0.1:${ms.port}`] },
      { name: 'dante', baseline: { kind: 'socks5', port: dante.port }, bridgeUpstreams: [`socks5://127.0.0.1:${dante.port}`] },
    ];
    for (const cipher of opts.ciphers) {
      if (opts.pairs.length > 0 && !opts.pairs.some((p) => 'shadowsocks'.includes(p) || cipher.includes(p))) continue;
      const ss = await startSsServer({ method: cipher, password });
      peers.push(ss);
      const ssLocal = await startSsLocal({ method: cipher, password, server: ss });
      peers.push(ssLocal);
      for (const { library, profile } of librariesFor(cipher, opts.providers)) {
        pairs.push({
          name: `shadowsocks ${cipher} [${library}]`, baseline: { kind: 'socks5', port: ssLocal.port }, baselineCpu: async () => cpuSecondsOf(ssLocal.pid), bridgeUpstreams: [ssLink(cipher, password, ss.port)],
          env: { PORTHOLE_SS_CRYPTO: profile }, ss: { cipher, library, profile },
        });
      }
    }
    pairs.push({ name: 'direct vs bare pipe', baseline: { kind: 'plain', port: pipe.port }, baselineCpu: async () => (await pipe.stats()).cpuUs / 1e6, bridgeUpstreams: 'direct' });
    const warm = Math.min(64 * MiB, Math.max(MiB, Math.floor(opts.bytes / 16)));
    for (const pair of pairs) {
      if (opts.pairs.length > 0 && !opts.pairs.some((p) => pair.name.includes(p))) continue;
      const bridge = await startChild('bridge', JSON.stringify({ upstreams: pair.bridgeUpstreams }), 65_536, pair.env);
      children.push(bridge);
      const viaBridge: Path = { kind: 'socks5', port: bridge.port };
      for (const p of [pair.baseline, viaBridge]) await measure(p, targetPort, warm, 1, 'down');
      for (const streams of [1, opts.streams]) {
        for (const dir of ['up', 'down'] as const) {
          let baselineMiBps = 0;
          let bridgeMiBps = 0;
          let baselineCpu = Infinity;
          let bridgeCpu = Infinity;
          const baselineCpuNow = pair.baselineCpu ?? (async (): Promise<number> => NaN);
          const bridgeCpuNow = async (): Promise<number> => (await bridge.stats()).cpuUs / 1e6;
          for (let i = 0; i < opts.repeat; i++) {
            const b = await measureCpu(pair.baseline, targetPort, opts.bytes, streams, dir, baselineCpuNow);
            const o = await measureCpu(viaBridge, targetPort, opts.bytes, streams, dir, bridgeCpuNow);
            baselineMiBps = Math.max(baselineMiBps, b.mibps);
            bridgeMiBps = Math.max(bridgeMiBps, o.mibps);
            baselineCpu = Math.min(baselineCpu, b.cpuPerGiB);
            bridgeCpu = Math.min(bridgeCpu, o.cpuPerGiB);
          }
          const row: ThroughputRow = {
            pair: pair.name, dir, streams, baselineMiBps, bridgeMiBps, ratio: bridgeMiBps / baselineMiBps,
            baselineCpuPerGiB: baselineCpu, bridgeCpuPerGiB: bridgeCpu, ...(pair.ss ? { ss: pair.ss } : {}),
          };
          rows.push(row);
          log(`  ${pair.name.padEnd(50)} ${dir.padEnd(4)} ${String(streams).padStart(2)} stream(s): baseline ${baselineMiBps.toFixed(0)} MiB/s, bridge ${bridgeMiBps.toFixed(0)} MiB/s (×${row.ratio.toFixed(2)}); CPU s/GiB baseline ${baselineCpu.toFixed(2)}, bridge ${bridgeCpu.toFixed(2)}`);
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
