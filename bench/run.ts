// `npm run bench`: runs the bridge benchmark, prints a table with ratios and the goals (printed,
// not asserted), and writes the figures as JSON to bench/results/.
// Quick run: BENCH_BYTES=64M BENCH_LATENCY_N=300 BENCH_IDLE_N=1000 npm run bench
// Best of N runs per throughput figure (a busy machine): BENCH_REPEAT=3   Some pairs only: BENCH_PAIRS=shadowsocks,direct
// Sections: BENCH_ONLY=throughput,latency,idle,probe,startup,scan,transports (transports: bench/transports.ts)   Ciphers: BENCH_SS_CIPHER=chacha20-ietf-poly1305,aes-256-gcm
// Cipher provider profiles of the bridge: BENCH_SS_PROVIDERS=auto,node,boringssl (each distinct library once per cipher)
// The probe section is the prober's benchmark (bench/probe.ts, PROBE_BENCH_N, PROBE_BENCH_REAL).
// The startup section is bench/startup.ts (STARTUP_SERVERS=1000, STARTUP_RUNS=3). The soak is `npm run soak`.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { optionsFromEnv, runBridgeBench, type BenchResults } from './bridge.ts';
import type { StartupResult } from './startup.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

interface Goal {
  goal: string;
  value: string;
  met: boolean | null;
}

type Results = BenchResults & { probe?: Goal[]; startup?: StartupResult };

/** Runs bench/probe.ts when it is there (another component's benchmark). */
async function probeBench(log: (line: string) => void): Promise<Goal[] | undefined> {
  const file = path.join(here, 'probe.ts');
  if (!fs.existsSync(file)) return undefined;
  log('probe benchmark (in its own process, so its RSS is the prober\'s alone):');
  // A fresh process: the bridge sections above have grown this one's heap.
  const { execFile } = await import('node:child_process');
  const out = await new Promise<string>((resolve, reject) => {
    const child = execFile(process.execPath, ['--disable-warning=ExperimentalWarning', file, '--rows-json'], { maxBuffer: 1 << 20 }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
    child.stderr?.on('data', (d: Buffer) => log(d.toString().trimEnd()));
  });
  return JSON.parse(out.trim().split('\n').at(-1) ?? '[]') as Goal[];
}

export function goals(r: Results): Goal[] {
  const out: Goal[] = [];
  const appProfile = r.options.providers[0];
  const ss = r.throughput.filter((t) => t.ss && t.ss.profile === appProfile);
  if (ss.length) {
    const worst = Math.min(...ss.map((t) => t.ratio));
    const where = ss.find((t) => t.ratio === worst);
    const value = Number.isNaN(worst) ? 'a run failed (see log)' : `worst ratio ×${worst.toFixed(2)} (${where?.ss?.cipher} ${where?.dir} ${where?.streams} stream(s))`;
    const scope = `${[...new Set(ss.map((t) => t.ss?.cipher))].join(' and ')}, ${[...new Set(ss.map((t) => t.streams))].join(' and ')} streams, the app's cipher library`;
    out.push({ goal: `Shadowsocks via bridge ≥ ×1.2 of C ss-local (${scope})`, value, met: worst >= 1.2 });
    out.push({ goal: 'Shadowsocks via bridge ≥ ×1.0 of C ss-local (the bar to accept)', value, met: worst >= 1 });
  }
  for (const library of new Set(r.throughput.filter((t) => t.ss && t.ss.profile !== appProfile).map((t) => `${t.ss?.cipher} [${t.ss?.library}]`))) {
    const rows = r.throughput.filter((t) => t.ss && `${t.ss.cipher} [${t.ss.library}]` === library);
    const worst = Math.min(...rows.map((t) => t.ratio));
    out.push({ goal: `Shadowsocks ${library}, a fallback library (informative)`, value: `worst ratio ×${worst.toFixed(2)}`, met: null });
  }
  const direct = r.throughput.filter((t) => t.pair.startsWith('direct'));
  if (direct.length) {
    const worst = Math.min(...direct.map((t) => t.ratio));
    out.push({ goal: 'bridge relay within 10% of bare pipe', value: Number.isNaN(worst) ? 'a run failed (see log)' : `worst ratio ×${worst.toFixed(2)}`, met: worst >= 0.9 });
  }
  if (r.latency) out.push({ goal: 'added setup latency p50 < 0.3 ms', value: `${r.latency.added.p50.toFixed(3)} ms (p99 ${r.latency.added.p99.toFixed(3)} ms)`, met: r.latency.added.p50 < 0.3 });
  for (const idle of r.idle) {
    out.push({
      goal: `${idle.requested} idle connections (${idle.upstream} upstream) < 200 MB RSS, 0 failures`,
      value: `peak ${idle.peakRssMiB.toFixed(1)} MiB, ${idle.failures} failures`,
      met: idle.peakRssMiB * 1.048576 < 200 && idle.failures === 0,
    });
  }
  for (const g of r.probe ?? []) out.push({ goal: `probe: ${g.goal}`, value: g.value, met: g.met });
  if (r.startup) {
    const s = r.startup;
    const ms = (n: number): string => (Number.isNaN(n) ? 'not within 60 s' : `${n.toFixed(0)} ms`);
    out.push({ goal: `start-up: process start to ready with ${s.servers} cached servers ≤ 1.5 s`, value: `${ms(s.readyMs)} (restart, median of ${s.runs}; CPU used by then ${ms(s.cpuAtReadyMs)}; bridge and UI listening at ${ms(s.startMs)})`, met: s.readyMs <= 1500 });
    out.push({ goal: 'start-up: process start to first paint of the headless UI ≤ 1.5 s', value: `${ms(s.firstPaintMs)} (restart; first start ${ms(s.first.firstPaintMs)})`, met: s.firstPaintMs <= 1500 });
    out.push({
      goal: `start-up, first start on a network (nothing remembered: all ${s.servers} probed in list order) to ready ≤ 1.5 s`,
      value: `${ms(s.first.readyMs)} (median of ${s.runs}; CPU used by then ${ms(s.first.cpuAtReadyMs)}; bridge and UI listening at ${ms(s.first.startMs)})`,
      met: s.first.readyMs <= 1500,
    });
  }
  return out;
}

export function table(r: Results): string {
  const lines: string[] = [];
  const mb = (n: number): string => n.toFixed(0).padStart(8);
  if (r.throughput.length) {
    lines.push(`Throughput, MiB/s (${(r.options.bytes / 2 ** 20).toFixed(0)} MiB per direction per run)`);
    lines.push(`${'pair'.padEnd(52)} ${'dir'.padEnd(4)} ${'streams'.padStart(7)} ${'baseline'.padStart(8)} ${'bridge'.padStart(8)} ${'ratio'.padStart(6)}   ${'CPU s/GiB base/bridge'}`);
    const cpu = (n: number): string => (Number.isFinite(n) ? n.toFixed(2) : '-');
    for (const t of r.throughput) {
      lines.push(`${t.pair.padEnd(52)} ${t.dir.padEnd(4)} ${String(t.streams).padStart(7)} ${mb(t.baselineMiBps)} ${mb(t.bridgeMiBps)} ${t.ratio.toFixed(2).padStart(6)}   ${cpu(t.baselineCpuPerGiB)}/${cpu(t.bridgeCpuPerGiB)}`);
    }
    lines.push('baselines: microsocks / dante alone, ss-local→ss-server (same cipher), bare Node pipe relay');
    lines.push('CPU s/GiB: CPU time of the relaying process (baseline proxy / bridge) per GiB moved: less noisy than MiB/s on a shared machine');
    lines.push('[library]: the bridge\'s AEAD library; the app uses the first listed per cipher, the others are its fallbacks (Electron\'s BoringSSL has no chacha20)');
    lines.push('');
  }
  if (r.latency) {
    const l = r.latency;
    const ms = (n: number): string => n.toFixed(3).padStart(8);
    lines.push(`Connection setup (connect + handshake + 1-byte echo), ms over ${l.count} sequential connections`);
    lines.push(`${'path'.padEnd(34)} ${'p50'.padStart(8)} ${'p99'.padStart(8)}`);
    lines.push(`${'direct to target'.padEnd(34)} ${ms(l.direct.p50)} ${ms(l.direct.p99)}`);
    lines.push(`${'bare Node pipe relay'.padEnd(34)} ${ms(l.pipe.p50)} ${ms(l.pipe.p99)}`);
    lines.push(`${'bridge (SOCKS5, direct upstream)'.padEnd(34)} ${ms(l.bridge.p50)} ${ms(l.bridge.p99)}`);
    lines.push(`${'added by the bridge'.padEnd(34)} ${ms(l.added.p50)} ${ms(l.added.p99)}`);
    lines.push(`CPU per connection in the relay process: bare pipe ${l.cpuPerConnUs.pipe.toFixed(0)} µs, bridge ${l.cpuPerConnUs.bridge.toFixed(0)} µs`);
    lines.push('');
  }
  if (r.idle.length) {
    lines.push('Concurrent idle connections held by the bridge');
    lines.push(`${'upstream'.padEnd(10)} ${'held'.padStart(7)} ${'failures'.padStart(8)} ${'base RSS'.padStart(9)} ${'peak RSS'.padStart(9)}`);
    for (const i of r.idle) {
      lines.push(`${i.upstream.padEnd(10)} ${`${i.held}/${i.requested}`.padStart(7)} ${String(i.failures).padStart(8)} ${`${i.baseRssMiB.toFixed(1)}M`.padStart(9)} ${`${i.peakRssMiB.toFixed(1)}M`.padStart(9)}${i.note ? `  (${i.note})` : ''}`);
    }
    lines.push('');
  }
  lines.push('Goals (reported, not asserted)');
  for (const g of goals(r)) lines.push(`  [${g.met === null ? '?' : g.met ? 'met' : 'MISSED'}] ${g.goal}: ${g.value}`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const opts = optionsFromEnv(process.env);
  process.stderr.write(`bridge benchmark on ${process.version}: ${JSON.stringify(opts)}\n`);
  const log = (line: string): void => { process.stderr.write(`${line}\n`); };
  const results: Results = await runBridgeBench(opts, log);
  if (opts.sections.includes('probe')) {
    const probe = await probeBench(log);
    if (probe) results.probe = probe;
  }
  if (opts.sections.includes('startup')) {
    log('start-up (porthole up --ui with 1,000 cached servers, first paint in Chromium):');
    const { runStartupBench } = await import('./startup.ts');
    results.startup = await runStartupBench({ servers: Number(process.env.STARTUP_SERVERS ?? 1000), runs: Number(process.env.STARTUP_RUNS ?? 3) }, log);
  }
  process.stdout.write(`\n${table(results)}\n`);
  if (opts.sections.includes('scan') || !process.env.BENCH_ONLY) for (const g of (await import('./scanners.ts')).runScannerBench(log)) process.stdout.write(`  [${g.met ? 'met' : 'MISSED'}] ${g.goal}: ${g.value}\n`);
  // The 2026 transports against v2ray's own client (bench/transports.ts).
  if (opts.sections.includes('transports') || !process.env.BENCH_ONLY) {
    log('2026 transports benchmark (bridge vs v2ray client):');
    const t = await (await import('./transports.ts')).runTransportBench(log);
    process.stdout.write(`\n${t.table}\n`);
    for (const g of t.goals) process.stdout.write(`  [${g.met === null ? '?' : g.met ? 'met' : 'MISSED'}] ${g.goal}: ${g.value}\n`);
  }
  const dir = path.join(here, 'results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `bench-${results.date.replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, `${JSON.stringify({ ...results, goals: goals(results) }, null, 2)}\n`);
  process.stdout.write(`\nresults written to ${path.relative(process.cwd(), file)}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
}
