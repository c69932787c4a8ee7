// Probe benchmark: 1,000 servers on loopback, 70% blackholed (accept, never answer), 10% resetting,
// 20% working, probed with the default settings. Measures the time to the first working server, to the
// complete ranking, and the prober's peak RSS. Goals are printed next to the results, not asserted.
//
// The servers run in a child process (so the RSS is the prober's alone): blackholes and resetters
// are plain Node listeners, the working ones an in-process minimal SOCKS5 server on many ports
// (test/probe/mini-socks.ts) plus a few real microsocks processes, all relaying to one HTTP target.
//
//   scripts/dev node bench/probe.ts            (PROBE_BENCH_N=1000 PROBE_BENCH_REAL=10)
//   import { runProbeBench } from './probe.ts' (rows: { goal, value, met, metric, number, unit })
import { fork } from 'node:child_process';
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Entry } from '../shared/entry.ts';
import { startProbe } from '../electron/core/probe/index.ts';
import type { ProbeOptions } from '../electron/core/probe/index.ts';
import { seeded } from '../test/helpers/seeded.ts';

export interface ProbeBenchOptions {
  /** Servers in total (default 1000). */
  entries?: number;
  /** How many of the working ones are real microsocks processes (default 10). */
  realProxies?: number;
  seed?: number;
  /** Overrides of the prober's defaults (the benchmark is meant to run with none). */
  probe?: Partial<ProbeOptions>;
}

export interface ProbeBenchRow {
  /** Same shape as bench/run.ts's goals: what is aimed at, what was measured, whether it was met. */
  goal: string;
  value: string;
  met: boolean | null;
  metric: string;
  number: number;
  unit: string;
}

interface ServerPorts {
  blackholes: number[];
  resets: number[];
  mini: number[];
  real: number[];
  target: number;
}

const self = fileURLToPath(import.meta.url);

function peakRss(): number {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) * 1024;
  } catch {
    // not Linux: fall back to the sampled maximum
  }
  return 0;
}

async function startServers(counts: { blackholes: number; resets: number; mini: number; real: number }): Promise<{ ports: ServerPorts; stop: () => Promise<void> }> {
  const child = fork(self, ['--serve', JSON.stringify(counts)], { execArgv: ['--disable-warning=ExperimentalWarning'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ports = await new Promise<ServerPorts>((resolve, reject) => {
    child.once('message', (m) => resolve(m as ServerPorts));
    child.once('exit', (code) => reject(new Error(`the server process exited (${code}) before it was ready`)));
  });
  return {
    ports,
    stop: () => new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.send('stop');
    }),
  };
}

/** Child side: every server, then the port map over IPC; 'stop' closes them all. */
async function serve(counts: { blackholes: number; resets: number; mini: number; real: number }): Promise<void> {
  const { startBlackhole, startMicrosocks } = await import('../test/peers/index.ts');
  const { startResetter, startProbeTarget } = await import('../test/probe/fake-servers.ts');
  const { startMiniSocks } = await import('../test/probe/mini-socks.ts');
  const target = await startProbeTarget();
  const holes = await Promise.all(Array.from({ length: counts.blackholes }, () => startBlackhole()));
  const resets = await Promise.all(Array.from({ length: counts.resets }, () => startResetter()));
  const mini = await startMiniSocks(counts.mini);
  const real = await Promise.all(Array.from({ length: counts.real }, () => startMicrosocks()));
  process.on('message', (m) => {
    if (m !== 'stop') return;
    void (async () => {
      await Promise.all([...real.map((r) => r.stop()), mini.close(), ...holes.map((h) => h.close()), ...resets.map((r) => r.close()), target.close()]);
      process.exit(0);
    })();
  });
  process.send?.({ blackholes: holes.map((h) => h.port), resets: resets.map((r) => r.port), mini: mini.ports, real: real.map((r) => r.port), target: target.port } satisfies ServerPorts);
}

export async function runProbeBench(options: ProbeBenchOptions = {}, log: (line: string) => void = () => {}): Promise<ProbeBenchRow[]> {
  const baseRss = process.memoryUsage.rss();
  const n = options.entries ?? 1000;
  const blackholes = Math.round(n * 0.7);
  const resets = Math.round(n * 0.1);
  const working = n - blackholes - resets;
  const real = Math.min(options.realProxies ?? 10, working);
  log(`probe bench: ${n} servers (${blackholes} blackholed, ${resets} resetting, ${working} working: ${working - real} in-process minimal SOCKS5 + ${real} microsocks)`);
  const servers = await startServers({ blackholes, resets, mini: working - real, real });
  try {
    const p = servers.ports;
    const url = `http://127.0.0.1:${p.target}/generate_204`;
    const entry = (kind: string, i: number, port: number): Entry => ({ id: `${kind}-${i}`, protocol: 'socks5', host: '127.0.0.1', ports: [port] });
    const entries: Entry[] = [
      ...p.blackholes.map((port, i) => entry('hole', i, port)),
      ...p.resets.map((port, i) => entry('reset', i, port)),
      ...p.mini.map((port, i) => entry('mini', i, port)),
      ...p.real.map((port, i) => entry('real', i, port)),
    ];
    const rng = seeded(options.seed ?? 1);
    for (let i = entries.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [entries[i], entries[j]] = [entries[j]!, entries[i]!];
    }
    let sampled = process.memoryUsage.rss();
    const sampler = setInterval(() => (sampled = Math.max(sampled, process.memoryUsage.rss())), 50);
    const t0 = performance.now();
    const run = startProbe(entries, { probeUrls: [url], defaultProbeUrls: [], ...options.probe });
    let firstMs = NaN;
    run.once('first-ok', () => (firstMs = performance.now() - t0));
    const ranked = await run.done;
    const allMs = performance.now() - t0;
    clearInterval(sampler);
    const rss = Math.max(sampled, peakRss());
    const ok = ranked.filter((r) => r.ok).length;
    const kinds = new Map<string, number>();
    for (const r of ranked) if (r.error) kinds.set(r.error.kind, (kinds.get(r.error.kind) ?? 0) + 1);
    log(`probe bench: ${ok} working found, failures ${JSON.stringify(Object.fromEntries(kinds))}, peak concurrency ${run.stats.peakActive}, limit cuts ${run.stats.backOffs}`);
    const mib = rss / 2 ** 20;
    return [
      { metric: 'first working', goal: 'first working connection within 1.5 s', value: `${firstMs.toFixed(0)} ms`, met: firstMs <= 1500, number: firstMs, unit: 'ms' },
      { metric: 'complete ranking', goal: `complete ranking of ${n} servers within 10 s`, value: `${(allMs / 1000).toFixed(2)} s`, met: allMs <= 10_000, number: allMs, unit: 'ms' },
      { metric: 'peak RSS', goal: 'prober under 150 MB RSS', value: `${mib.toFixed(1)} MiB (${(baseRss / 2 ** 20).toFixed(1)} MiB before the round: Node, type stripping, modules)`, met: rss < 150e6, number: rss, unit: 'bytes' },
      { metric: 'working found', goal: `all ${working} working servers found`, value: `${ok} of ${working}`, met: ok === working, number: ok, unit: 'servers' },
    ];
  } finally {
    await servers.stop();
  }
}

async function main(): Promise<void> {
  const rows = await runProbeBench({
    entries: Number(process.env.PROBE_BENCH_N ?? 1000),
    realProxies: Number(process.env.PROBE_BENCH_REAL ?? 10),
  }, (line) => process.stderr.write(`${line}\n`));
  if (process.argv.includes('--rows-json')) {
    process.stdout.write(`${JSON.stringify(rows)}\n`);
    return;
  }
  process.stdout.write('Goals (reported, not asserted)\n');
  for (const r of rows) process.stdout.write(`  [${r.met === null ? '?' : r.met ? 'met' : 'MISSED'}] ${r.goal}: ${r.value}\n`);
}

if (process.argv[1] === self) {
  if (process.argv[2] === '--serve') await serve(JSON.parse(process.argv[3] ?? '{}') as { blackholes: number; resets: number; mini: number; real: number });
  else await main();
}
