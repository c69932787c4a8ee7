// `npm run soak`: days without a restart, compressed. The engine (own process) with ~50 real servers
// on loopback (microsocks, dante, ss-server) that go down and come back on a random schedule, and a
// steady client load through its bridge (page fetches and a few long, rate-limited downloads).
// Reports RSS, heap, open descriptors, event-loop delay and failovers over time, every failed client
// request with its cause, and checks the goals (printed with pass/fail; exit code 1 when one is missed):
//   RSS grows < 5% after warm-up; descriptors return to baseline; a request fails only when it was in
//   flight on a server that died; and each such failure is retried on a new connection within 1 s.
// Usage: npm run soak [-- --minutes N] [-- --quick] [-- --servers N] [-- --json]   (env SOAK_MINUTES, SOAK_SERVERS)
// --quick: ~20 s with 10 servers, for a check that the harness works (the RSS goal needs a long run).
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startHttpTarget } from '../test/peers/index.ts';
import type { EngineSample, FromEngine, SoakEngineConfig } from './soak-engine.ts';
import { startLoad, type RequestFailure } from './soak-load.ts';
import { startChaos, startFleet, stopFleet, bringUp, type ChaosEvent } from './soak-servers.ts';
import { seeded } from '../test/helpers/seeded.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface SoakGoal {
  goal: string;
  value: string;
  met: boolean | null;
}

export interface SoakReport {
  date: string;
  quick: boolean;
  minutes: number;
  servers: number;
  samples: EngineSample[];
  chaos: ChaosEvent[];
  switches: { at: number; from: string | null; to: string | null; reason: string }[];
  requests: { ok: number; failed: number; bytes: number };
  failures: (RequestFailure & { explained: string | null; retriesUnexplained: number })[];
  /** The engine process's glibc malloc arena cap (MALLOC_ARENA_MAX passed through), or null for glibc's default. */
  mallocArenaMax: string | null;
  fds: { baseline: number; final: number };
  goals: SoakGoal[];
  /** os.loadavg() at the start and the end: a shared machine's load colours every figure. */
  loadAverage: number[];
  loadAverageEnd: number[];
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.floor(s.length / 2)] as number) : NaN;
};

/** Why a failure is allowed: a server that the engine used went down while the request was in flight. */
function explain(f: RequestFailure, chaos: ChaosEvent[], usedAt: (label: string, from: number, to: number) => boolean): string | null {
  for (const e of chaos) {
    // The take-down, from the signal to the process's exit, overlaps the request (±250 ms).
    if (e.what !== 'down' || (e.until ?? e.at) < f.startedAt - 250 || e.at > f.failedAt + 250) continue;
    if (usedAt(e.server, f.startedAt - 1000, e.at)) return `${e.server} went down ${e.at - f.startedAt} ms into the request`;
  }
  return null;
}

export async function runSoak(o: { minutes: number; servers: number; quick: boolean; seed: number }, log: (l: string) => void): Promise<SoakReport> {
  const random = seeded(o.seed);
  const loadAverage = os.loadavg();
  const durationMs = o.minutes * 60_000;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-soak-'));
  const target = await startHttpTarget();
  log(`starting ${o.servers} servers…`);
  const fleet = await startFleet(o.servers);
  const engine = fork(path.join(here, 'soak-engine.ts'), [], { execArgv: ['--disable-warning=ExperimentalWarning'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const samples: EngineSample[] = [];
  const switches: SoakReport['switches'] = [];
  const chaosLog: ChaosEvent[] = [];
  let current: string | null = null;
  let firstCurrent: string | null = null;
  const waiting: ((s: EngineSample) => void)[] = [];
  const ready = new Promise<number>((resolve, reject) => {
    engine.once('exit', (code) => reject(new Error(`the engine process exited (${code}) before it was ready`)));
    engine.on('message', (m: FromEngine) => {
      if (m.type === 'ready') {
        current = firstCurrent = m.current;
        resolve(m.port);
      } else if (m.type === 'switch') {
        switches.push(m);
        current = m.to;
      } else if (m.type === 'sample') {
        current = m.current;
        waiting.shift()?.(m);
      }
    });
  });
  const sample = (): Promise<EngineSample> => new Promise((resolve) => {
    waiting.push(resolve);
    engine.send({ type: 'sample' });
  });
  const config: SoakEngineConfig = {
    dir, entries: fleet.map((s) => ({ url: s.link, label: s.label, id: s.label })), probeUrls: [`http://127.0.0.1:${target.port}/hello`],
    reprobeEveryMs: o.quick ? 10_000 : 60_000,
  };
  engine.send({ type: 'start', config });
  const t0 = Date.now();
  try {
    const bridgePort = await ready;
    log(`engine ready in ${Date.now() - t0} ms, bridge on 127.0.0.1:${bridgePort}, using ${current}`);
    await new Promise((r) => setTimeout(r, 2000));
    const baselineFds = (await sample()).fds;
    samples.length = 0;
    const usedAt = (label: string, from: number, to: number): boolean => {
      let cur = firstCurrent;
      for (const s of switches) {
        if (s.at > to) break;
        if (s.at <= from) cur = s.to;
        else if (s.to === label) return true;
      }
      return cur === label;
    };
    const load = startLoad({
      bridgePort, targetPort: target.port, pageWorkers: o.quick ? 3 : 6, longDownloads: o.quick ? 1 : 2,
      longBytes: (o.quick ? 8 : 64) * 1024 * 1024, longRateBytesPerSec: 2 * 1024 * 1024, requestTimeoutMs: 15_000,
    }, random);
    const chaos = startChaos(fleet, {
      meanGapMs: o.quick ? 2000 : 4000, downMs: o.quick ? [2000, 6000] : [3000, 20_000], maxDownShare: 0.3, hitCurrent: o.quick ? 0.5 : 0.25,
      current: () => current, random,
    }, (e) => chaosLog.push(e));
    const every = o.quick ? 1000 : Math.max(1000, Math.round(durationMs / 120));
    const end = Date.now() + durationMs;
    let lastPrint = 0;
    while (Date.now() < end) {
      await new Promise((r) => setTimeout(r, Math.min(every, end - Date.now())));
      const s = await sample();
      samples.push(s);
      if (Date.now() - lastPrint >= (o.quick ? 5000 : 30_000)) {
        lastPrint = Date.now();
        log(`  ${((s.at - t0) / 1000).toFixed(0).padStart(5)} s  RSS ${(s.rss / 2 ** 20).toFixed(1)} MiB  (anon ${(s.anon / 2 ** 20).toFixed(1)})  heap ${(s.heapUsed / 2 ** 20).toFixed(1)}/${(s.heapTotal / 2 ** 20).toFixed(1)} MiB  external ${(s.external / 2 ** 20).toFixed(1)} MiB (buffers ${(s.arrayBuffers / 2 ** 20).toFixed(1)})  fds ${s.fds}  ` +
          `loop delay p99 ${s.eldP99.toFixed(1)} ms  active ${s.active}  requests ok ${load.stats.ok} failed ${load.stats.failed.length}  downs ${chaosLog.filter((e) => e.what === 'down').length}  failovers ${switches.length}`);
      }
    }
    await chaos.stop();
    const stats = await load.stop();
    // Everything back up, the load gone: descriptors should settle back to the baseline.
    await Promise.all(fleet.filter((s) => !s.up).map((s) => bringUp(s).catch(() => {})));
    let finalFds = Infinity;
    for (let i = 0; i < 10 && finalFds > baselineFds; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      finalFds = Math.min(finalFds, (await sample()).fds);
    }
    // A failed retry is allowed on the same terms: it was in flight on a server that died.
    const failures = stats.failed.map((f) => {
      let from = f.failedAt;
      let retriesUnexplained = 0;
      for (const r of f.failedRetries ?? []) {
        if (!explain({ ...f, startedAt: from, failedAt: r.at }, chaosLog, usedAt)) retriesUnexplained++;
        from = r.at;
      }
      return { ...f, explained: explain(f, chaosLog, usedAt), retriesUnexplained };
    });
    return {
      date: new Date(t0).toISOString(), quick: o.quick, loadAverage, loadAverageEnd: os.loadavg(), minutes: o.minutes, servers: o.servers, samples, chaos: chaosLog, switches,
      requests: { ok: stats.ok, failed: stats.failed.length, bytes: stats.bytes }, failures, mallocArenaMax: process.env.MALLOC_ARENA_MAX ?? null, fds: { baseline: baselineFds, final: finalFds },
      goals: goals(samples, failures, { baseline: baselineFds, final: finalFds }, o.quick),
    };
  } finally {
    if (engine.connected) {
      engine.send({ type: 'stop' });
      await new Promise((r) => { engine.once('exit', r); setTimeout(r, 5000); });
    }
    engine.kill();
    await stopFleet(fleet);
    await target.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function goals(samples: EngineSample[], failures: SoakReport['failures'], fds: SoakReport['fds'], quick: boolean): SoakGoal[] {
  const out: SoakGoal[] = [];
  const n = samples.length;
  const warm = samples.slice(Math.floor(n * 0.25), Math.floor(n * 0.35));
  const last = samples.slice(Math.floor(n * 0.9));
  const base = median(warm.map((s) => s.rss));
  const end = median(last.map((s) => s.rss));
  const growth = end / base - 1;
  out.push({
    goal: 'RSS grows < 5% after warm-up (first quarter)', value: `${(base / 2 ** 20).toFixed(1)} → ${(end / 2 ** 20).toFixed(1)} MiB (${(growth * 100).toFixed(1)}%)${quick ? ', too short to judge' : ''}`,
    met: quick ? null : growth < 0.05,
  });
  out.push({ goal: 'open descriptors return to baseline', value: `baseline ${fds.baseline}, after the run ${fds.final}`, met: fds.final <= fds.baseline });
  const unexplained = failures.filter((f) => !f.explained || f.retriesUnexplained > 0);
  out.push({ goal: 'no request fails except those in flight on a server that died', value: `${failures.length} failed, ${unexplained.length} not explained by a server going down`, met: unexplained.length === 0 });
  const slow = failures.filter((f) => f.explained && (f.retryOkAt === null || f.retryOkAt - f.failedAt > 1000));
  const worst = Math.max(0, ...failures.filter((f) => f.retryOkAt !== null).map((f) => (f.retryOkAt as number) - f.failedAt));
  out.push({ goal: 'each of those retried on a new connection within 1 s', value: `${slow.length} retries late or failed; slowest retry ${worst} ms`, met: slow.length === 0 });
  const eld = samples.map((s) => s.eldP99);
  out.push({ goal: 'event-loop delay (reported)', value: `p99 per sample: median ${median(eld).toFixed(1)} ms, worst ${Math.max(0, ...eld).toFixed(1)} ms; max ${Math.max(0, ...samples.map((s) => s.eldMax)).toFixed(1)} ms`, met: null });
  return out;
}

export function printReport(r: SoakReport): string {
  const lines: string[] = [];
  const t0 = Date.parse(r.date);
  lines.push(`Soak: ${Number(r.minutes.toFixed(2))} min, ${r.servers} servers, glibc malloc arenas ${r.mallocArenaMax ?? 'default'}, load average ${r.loadAverage.map((x) => x.toFixed(1)).join(' ')} (start) ${r.loadAverageEnd.map((x) => x.toFixed(1)).join(' ')} (end),`);
  lines.push(`  ${r.chaos.filter((e) => e.what === 'down').length} take-downs, ${r.switches.length} failovers, ${r.requests.ok} requests ok, ${r.requests.failed} failed, ${(r.requests.bytes / 2 ** 20).toFixed(0)} MiB moved`);
  lines.push(`${'t (s)'.padStart(6)} ${'RSS MiB'.padStart(8)} ${'heap MiB'.padStart(8)} ${'ext MiB'.padStart(8)} ${'buf MiB'.padStart(8)} ${'fds'.padStart(5)} ${'loop p99'.padStart(9)} ${'active'.padStart(6)} ${'failovers'.padStart(9)}`);
  const step = Math.max(1, Math.ceil(r.samples.length / 20));
  for (let i = 0; i < r.samples.length; i += step) {
    const s = r.samples[i] as EngineSample;
    const fo = r.switches.filter((w) => w.at <= s.at).length;
    lines.push(`${((s.at - t0) / 1000).toFixed(0).padStart(6)} ${(s.rss / 2 ** 20).toFixed(1).padStart(8)} ${(s.heapUsed / 2 ** 20).toFixed(1).padStart(8)} ${(s.external / 2 ** 20).toFixed(1).padStart(8)} ${((s.arrayBuffers ?? 0) / 2 ** 20).toFixed(1).padStart(8)} ${String(s.fds).padStart(5)} ${`${s.eldP99.toFixed(1)} ms`.padStart(9)} ${String(s.active).padStart(6)} ${String(fo).padStart(9)}`);
  }
  if (r.failures.length) {
    lines.push('Failed client requests:');
    for (const f of r.failures) {
      const again = f.failedRetries?.length ? ` (after ${f.failedRetries.length} failed retr${f.failedRetries.length === 1 ? 'y' : 'ies'}: ${f.failedRetries.map((r) => r.cause).join('; ')}${f.retriesUnexplained ? `, ${f.retriesUnexplained} NOT explained` : ''})` : '';
      const retry = f.retryOkAt === null ? `retries failed: ${f.retryCause ?? '?'}` : `retried ok in ${f.retryOkAt - f.failedAt} ms${again}`;
      lines.push(`  +${((f.failedAt - t0) / 1000).toFixed(1)} s ${f.worker} ${f.path} after ${f.failedAt - f.startedAt} ms, ${f.received} bytes: ${f.cause}; ${retry}; ${f.explained ?? 'NOT explained by a server going down'}`);
    }
  }
  lines.push('Goals');
  for (const g of r.goals) lines.push(`  [${g.met === null ? 'info' : g.met ? 'met' : 'MISSED'}] ${g.goal}: ${g.value}`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { minutes: { type: 'string' }, servers: { type: 'string' }, quick: { type: 'boolean' }, json: { type: 'boolean' }, seed: { type: 'string' } } });
  const quick = values.quick === true;
  const minutes = Number(values.minutes ?? process.env.SOAK_MINUTES ?? (quick ? 1 / 3 : 10));
  const servers = Number(values.servers ?? process.env.SOAK_SERVERS ?? (quick ? 10 : 50));
  if (!(minutes > 0) || !(servers >= 2)) throw new Error('--minutes must be > 0 and --servers at least 2');
  const seed = Number(values.seed ?? process.env.SOAK_SEED ?? Date.now() % 1e9);
  const log = (l: string): void => { process.stderr.write(`${l}\n`); };
  log(`soak: ${Number(minutes.toFixed(2))} min, ${servers} servers, seed ${seed}`);
  const report = await runSoak({ minutes, servers, quick, seed }, log);
  process.stdout.write(`\n${printReport(report)}\n`);
  const out = path.join(here, 'results');
  fs.mkdirSync(out, { recursive: true });
  const file = path.join(out, `soak-${report.date.replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  if (values.json) process.stdout.write(`${JSON.stringify({ file })}\n`);
  process.exitCode = report.goals.some((g) => g.met === false) ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    process.stderr.write(`soak failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(2);
  });
}
