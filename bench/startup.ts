// Start-up benchmark: `porthole up --ui --json` on a data dir that already holds a verified list of
// 1,000 servers (10 real microsocks on loopback, the rest ports where nothing listens), timed from
// the process spawn to its `ready` event (a working server chosen, the bridge carrying traffic) and
// to the first contentful paint of the headless UI in Chromium (launched beforehand, as a user's
// browser would be). Runs the CLI from the sources, as `npm run cli` does (Node strips the types).
// Each round is two starts: a first start on this network (the network memory removed: nothing
// remembered, every server probed in list order) and a restart (the server that worked is
// remembered and gets the probe round's head start). The goal is the restart's; both are reported.
// STARTUP_DEBUG=1 echoes the CLI's JSON events; STARTUP_NODE_FLAGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/p")
// go to the CLI's Node, for profiling.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { createSimplePublisher } from '../electron/core/lists/keyfiles.ts';
import { buildPayload, signList } from '../electron/core/lists/sign.ts';
import { freePort, startHttpTarget, startMicrosocks, type Peer } from '../test/peers/index.ts';
import { cpuSecondsOf } from './bridge.ts';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(root, 'electron', 'cli', 'porthole.ts');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface StartupResult {
  servers: number;
  runs: number;
  /** Restarts (the network memory kept): milliseconds from spawn, median over the runs (NaN: not within 60 s). */
  startMs: number;
  readyMs: number;
  firstPaintMs: number;
  cpuAtReadyMs: number;
  /** First starts on this network (nothing remembered): the same medians. */
  first: Pick<Run, 'startMs' | 'readyMs' | 'firstPaintMs' | 'cpuAtReadyMs'>;
  all: (Run & { kind: 'first' | 'restart' })[];
}

export async function prepare(dir: string, servers: number, live: Peer[]): Promise<void> {
  const { key, chain } = await createSimplePublisher(path.join(dir, 'pub'));
  const ports = new Set(live.map((p) => p.port));
  const entries = live.map((p, i) => ({ url: `socks5://127.0.0.1:${p.port}`, label: `live-${i}` }));
  for (let port = 40_000; entries.length < servers; port++) {
    if (!ports.has(port)) entries.push({ url: `socks5://127.0.0.1:${port}`, label: `cached-${port}` });
  }
  const now = new Date();
  const list = signList(buildPayload(JSON.stringify({ name: 'Startup', entries }), {
    publisher: chain.publisher, version: 1, issuedAt: now, expires: new Date(now.getTime() + 7 * 86400_000),
  }), key, chain);
  fs.writeFileSync(path.join(dir, 'list.signed'), list);
  const cli = (...args: string[]): void => {
    execFileSync(process.execPath, ['--disable-warning=ExperimentalWarning', CLI, ...args, '--data-dir', path.join(dir, 'client')], { stdio: 'pipe', env: { ...process.env, PORTHOLE_QUIET: '1' } });
  };
  cli('trust', 'add', path.join(dir, 'pub', 'publisher.pub'));
  cli('import', path.join(dir, 'list.signed'), '--yes');
}

/** CPU seconds of a process and its descendants: `up --ui` runs its engine in a forked child. */
function cpuOfTree(pid: number): number {
  const children = new Map<number, number[]>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // gone meanwhile
    }
  }
  let total = 0;
  const todo = [pid];
  while (todo.length) {
    const p = todo.pop()!;
    const cpu = cpuSecondsOf(p);
    total += Number.isNaN(cpu) && p !== pid ? 0 : cpu; // a child that just ended is not a failed measure
    todo.push(...(children.get(p) ?? []));
  }
  return total;
}

interface Run {
  /** Until the `start` event: data dir open, 1,000 servers verified and loaded, bridge and UI listening. */
  startMs: number;
  readyMs: number;
  firstPaintMs: number;
  /** CPU time the porthole processes (`up` and its engine child) had used when it was ready: what a busy machine does not inflate. */
  cpuAtReadyMs: number;
}

async function once(dir: string, probeUrl: string, page: Page): Promise<Run> {
  const port = await freePort();
  const t0 = Date.now();
  const flags = (process.env.STARTUP_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', ...flags, CLI, 'up', '--ui', '--json', '--data-dir', path.join(dir, 'client'),
    '--listen', `127.0.0.1:${port}`, '--probe-url', probeUrl], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PORTHOLE_QUIET: '1' } });
  try {
    let buffer = '';
    let readyAt = 0;
    let paintAt = 0;
    let startAt = 0;
    let cpuAtReady = NaN;
    await new Promise<void>((resolve, reject) => {
      // Not ready in time is a result too (readyMs stays NaN), not a crash of the bench.
      const timer = setTimeout(() => resolve(), 60_000);
      child.once('exit', (code) => reject(new Error(`porthole up exited (${code})`)));
      let painting: Promise<void> | null = null;
      const check = (): void => { if (readyAt && paintAt) { clearTimeout(timer); resolve(); } };
      child.stdout.on('data', (d: Buffer) => {
        buffer += d.toString();
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          let event: { event?: string; ui?: string };
          try { event = JSON.parse(line) as typeof event; } catch { continue; }
          if (process.env.STARTUP_DEBUG) process.stderr.write(`${line.slice(0, 400)}\n`);
          if (event.event === 'ready' && !readyAt) {
            readyAt = Date.now();
            cpuAtReady = cpuOfTree(child.pid ?? -1) * 1000;
          }
          if (event.event === 'start' && !startAt) startAt = Date.now();
          if (event.ui && !painting) {
            painting = (async () => {
              await page.goto(event.ui as string, { waitUntil: 'commit' });
              const fcp = await page.evaluate(() => new Promise<number>((res) => {
                const seen = performance.getEntriesByName('first-contentful-paint')[0];
                if (seen) { res(performance.timeOrigin + seen.startTime); return; }
                new PerformanceObserver((list) => {
                  const e = list.getEntriesByName('first-contentful-paint')[0];
                  if (e) res(performance.timeOrigin + e.startTime);
                }).observe({ type: 'paint', buffered: true });
              }));
              paintAt = fcp;
              check();
            })().catch(reject);
          }
          check();
        }
      });
    });
    const since = (at: number): number => (at ? at - t0 : NaN);
    return { startMs: since(startAt), readyMs: since(readyAt), firstPaintMs: since(paintAt), cpuAtReadyMs: cpuAtReady };
  } finally {
    child.kill('SIGINT');
    await new Promise((r) => { child.once('exit', r); setTimeout(r, 5000); });
    child.kill('SIGKILL');
  }
}

export async function runStartupBench(o: { servers: number; runs: number }, log: (l: string) => void): Promise<StartupResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-startup-'));
  const target = await startHttpTarget();
  const live: Peer[] = await Promise.all(Array.from({ length: 10 }, () => startMicrosocks()));
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
  try {
    await prepare(dir, o.servers, live);
    const page = await browser.newPage();
    const all: StartupResult['all'] = [];
    for (let i = 0; i < o.runs; i++) {
      for (const kind of ['first', 'restart'] as const) {
        // What the engine remembers of this network (networks.json and its backup copy): gone for a first start.
        if (kind === 'first') for (const f of ['networks.json', 'networks.json.bak']) fs.rmSync(path.join(dir, 'client', f), { force: true });
        const r = await once(dir, `http://127.0.0.1:${target.port}/hello`, page);
        log(`  run ${i + 1}, ${kind === 'first' ? 'first start' : 'restart    '}: start event ${r.startMs} ms, ready ${r.readyMs} ms (CPU ${r.cpuAtReadyMs.toFixed(0)} ms), first paint ${r.firstPaintMs.toFixed(0)} ms`);
        all.push({ ...r, kind });
      }
    }
    // NaN (not within 60 s) sorts last: a median over failed runs is NaN.
    const med = (xs: number[]): number => [...xs].sort((a, b) => (Number.isNaN(a) ? 1 : Number.isNaN(b) ? -1 : a - b))[Math.floor(xs.length / 2)] as number;
    const medians = (runs: Run[]) => ({ startMs: med(runs.map((r) => r.startMs)), readyMs: med(runs.map((r) => r.readyMs)), firstPaintMs: med(runs.map((r) => r.firstPaintMs)), cpuAtReadyMs: med(runs.map((r) => r.cpuAtReadyMs)) });
    return { servers: o.servers, runs: o.runs, ...medians(all.filter((r) => r.kind === 'restart')), first: medians(all.filter((r) => r.kind === 'first')), all };
  } finally {
    await browser.close();
    await Promise.all(live.map((p) => p.stop()));
    await target.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const r = await runStartupBench({ servers: Number(process.env.STARTUP_SERVERS ?? 1000), runs: Number(process.env.STARTUP_RUNS ?? 3) }, (l) => process.stderr.write(`${l}\n`));
  process.stdout.write(`${JSON.stringify(r)}\n`);
}
