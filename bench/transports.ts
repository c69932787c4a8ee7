// The 2026 transports through the Porthole bridge against v2ray's own client, same run, same servers
// (test/peers/transport-world.ts: Debian's v2ray, trojan, nginx front, ss-server on 127.0.0.1):
//   baseline  v2ray as a local SOCKS5 client (one outbound to the server)
//   bridge    `porthole bridge --upstream <share link>` (the real CLI, own process)
// Per kind: download and upload MiB/s over one stream (best of BENCH_REPEAT), and connection setup
// (SOCKS5 to the client + proxy handshake + 1-byte echo to the target) p50 over BENCH_TRANSPORT_N
// sequential connections. Ratios are bridge / v2ray for throughput and v2ray / bridge for setup time,
// so ≥ 1.0 means the bridge is at least as good. The salt-prefix kind has no v2ray client form: its
// baseline is shadowsocks-libev's ss-local (same server, no prefix).
// Env: BENCH_TRANSPORT_BYTES (default 64M), BENCH_TRANSPORT_N (200), BENCH_TRANSPORT_KINDS (comma list).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { download, echoOnce, openStream, upload } from './protocol.ts';
import type { Path } from './protocol.ts';
import { freePort, shareLinkFor, startSsLocal, startTransportWorld, startV2rayClient, TRANSPORT_KINDS, waitForAccept, WORLD_PASSWORD, WORLD_SS_METHOD } from '../test/peers/index.ts';
import type { Peer, TransportKind } from '../test/peers/index.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const CLI = path.join(here, '..', 'electron', 'cli', 'porthole.ts');
const MiB = 1024 * 1024;

export interface TransportRow {
  kind: TransportKind;
  baseline: string;
  downMiBps: { baseline: number; bridge: number };
  upMiBps: { baseline: number; bridge: number };
  setupP50Ms: { baseline: number; bridge: number };
  /** The worst of the three ratios (≥ 1: the bridge is at least as good). */
  worstRatio: number;
}

export interface TransportGoal {
  goal: string;
  value: string;
  met: boolean | null;
}

function parseBytes(text: string | undefined, fallback: number): number {
  if (!text) return fallback;
  const m = /^(\d+)([KMG]?)$/i.exec(text.trim());
  if (!m) return fallback;
  return Number(m[1]) * ({ '': 1, K: 1024, M: MiB, G: 1024 * MiB }[(m[2] ?? '').toUpperCase()] ?? 1);
}

/** The bench target (bench/children.ts target) in its own process; resolves with its port. */
function startTarget(): Promise<{ port: number; stop: () => void }> {
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', path.join(here, 'children.ts'), 'target'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench target exited (${code})`)));
    child.once('message', (msg: { port: number }) => resolve({ port: msg.port, stop: () => child.kill('SIGTERM') }));
  });
}

async function startBridge(link: string): Promise<{ port: number; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', CLI, 'bridge', '--upstream', link, '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'ignore', 'inherit'], detached: false });
  await waitForAccept('127.0.0.1', port, 20_000, () => (child.exitCode !== null ? `porthole bridge exited (${child.exitCode})` : null));
  return { port, child };
}

async function mibps(p: Path, targetPort: number, bytes: number, dir: 'up' | 'down'): Promise<number> {
  const s = await openStream(p, targetPort);
  const t0 = process.hrtime.bigint();
  try {
    await (dir === 'up' ? upload(s, bytes) : download(s, bytes));
  } catch (err) {
    process.stderr.write(`    ${dir} via ${p.port} failed: ${(err as Error).message}\n`);
    return NaN;
  }
  return bytes / MiB / (Number(process.hrtime.bigint() - t0) / 1e9);
}

async function setupP50(p: Path, targetPort: number, n: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) times.push(await echoOnce(p, targetPort));
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? NaN;
}

export async function runTransportBench(log: (line: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<{ rows: TransportRow[]; goals: TransportGoal[]; table: string }> {
  const bytes = parseBytes(env.BENCH_TRANSPORT_BYTES, 64 * MiB);
  const n = Math.max(10, Number(env.BENCH_TRANSPORT_N ?? 200));
  const repeat = Math.max(1, Number(env.BENCH_REPEAT ?? 1));
  const only = (env.BENCH_TRANSPORT_KINDS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const kinds = TRANSPORT_KINDS.filter((k) => only.length === 0 || only.includes(k));
  const target = await startTarget();
  const world = await startTransportWorld();
  const rows: TransportRow[] = [];
  try {
    for (const kind of kinds) {
      const entry = world.entries[kind];
      const link = shareLinkFor(entry, kind);
      if (!link) {
        log(`  ${kind}: no share link form, skipped`);
        continue;
      }
      let baselinePeer: Peer;
      let baselineName = 'v2ray client';
      if (kind === 'ss-prefix') {
        baselinePeer = await startSsLocal({ method: WORLD_SS_METHOD, password: WORLD_PASSWORD, server: { host: entry.host, port: entry.ports[0] as number } as Peer });
        baselineName = 'ss-local (no prefix)';
      } else {
        baselinePeer = await startV2rayClient(world.outbounds[kind]);
      }
      const bridge = await startBridge(link);
      try {
        const base: Path = { kind: 'socks5', port: baselinePeer.port };
        const ours: Path = { kind: 'socks5', port: bridge.port };
        for (const p of [base, ours]) await mibps(p, target.port, Math.min(bytes, 8 * MiB), 'down');
        const best = async (p: Path, dir: 'up' | 'down'): Promise<number> => {
          let top = NaN;
          for (let i = 0; i < repeat; i++) {
            const v = await mibps(p, target.port, bytes, dir);
            if (!(v <= top)) top = v;
          }
          return top;
        };
        const row: TransportRow = {
          kind,
          baseline: baselineName,
          downMiBps: { baseline: await best(base, 'down'), bridge: await best(ours, 'down') },
          upMiBps: { baseline: await best(base, 'up'), bridge: await best(ours, 'up') },
          setupP50Ms: { baseline: await setupP50(base, target.port, n), bridge: await setupP50(ours, target.port, n) },
          worstRatio: NaN,
        };
        row.worstRatio = Math.min(row.downMiBps.bridge / row.downMiBps.baseline, row.upMiBps.bridge / row.upMiBps.baseline, row.setupP50Ms.baseline / row.setupP50Ms.bridge);
        rows.push(row);
        log(`  ${kind.padEnd(20)} down ${row.downMiBps.bridge.toFixed(0)}/${row.downMiBps.baseline.toFixed(0)} up ${row.upMiBps.bridge.toFixed(0)}/${row.upMiBps.baseline.toFixed(0)} MiB/s, setup ${row.setupP50Ms.bridge.toFixed(2)}/${row.setupP50Ms.baseline.toFixed(2)} ms (bridge/${baselineName})`);
      } finally {
        bridge.child.kill('SIGTERM');
        await baselinePeer.stop();
      }
    }
  } finally {
    await world.stop();
    target.stop();
  }
  return { rows, goals: goalsFor(rows), table: tableOf(rows, bytes, n) };
}

function goalsFor(rows: TransportRow[]): TransportGoal[] {
  if (rows.length === 0) return [];
  const worst = rows.reduce((a, b) => (b.worstRatio < a.worstRatio || Number.isNaN(b.worstRatio) ? b : a));
  const below = rows.filter((r) => !(r.worstRatio >= 1)).map((r) => r.kind);
  return [{
    goal: 'each 2026 transport through the bridge ≥ v2ray\'s own client (throughput both ways, setup time)',
    value: `worst ×${worst.worstRatio.toFixed(2)} (${worst.kind})${below.length ? `; below 1.0: ${below.join(', ')}` : ''}`,
    met: below.length === 0,
  }];
}

function tableOf(rows: TransportRow[], bytes: number, n: number): string {
  const f = (x: number, d = 0): string => (Number.isNaN(x) ? 'fail' : x.toFixed(d));
  const lines = [
    `2026 transports: bridge vs v2ray's own client (${(bytes / MiB).toFixed(0)} MiB per direction, 1 stream; setup p50 over ${n} connections)`,
    `${'kind'.padEnd(20)} ${'down MiB/s'.padStart(13)} ${'up MiB/s'.padStart(13)} ${'setup ms p50'.padStart(15)} ${'worst'.padStart(6)}  baseline`,
    `${''.padEnd(20)} ${'bridge/base'.padStart(13)} ${'bridge/base'.padStart(13)} ${'bridge/base'.padStart(15)}`,
  ];
  for (const r of rows) {
    lines.push(`${r.kind.padEnd(20)} ${`${f(r.downMiBps.bridge)}/${f(r.downMiBps.baseline)}`.padStart(13)} ${`${f(r.upMiBps.bridge)}/${f(r.upMiBps.baseline)}`.padStart(13)} ${`${f(r.setupP50Ms.bridge, 2)}/${f(r.setupP50Ms.baseline, 2)}`.padStart(15)} ${f(r.worstRatio, 2).padStart(6)}  ${r.baseline}`);
  }
  return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const log = (line: string): void => { process.stderr.write(`${line}\n`); };
  runTransportBench(log).then(({ table, goals }) => {
    process.stdout.write(`\n${table}\n`);
    for (const g of goals) process.stdout.write(`  [${g.met === null ? '?' : g.met ? 'met' : 'MISSED'}] ${g.goal}: ${g.value}\n`);
  }, (err: unknown) => {
    process.stderr.write(`transport bench failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
}
