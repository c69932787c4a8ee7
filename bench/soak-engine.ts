// The soak's engine process: the real Engine (lists, probing, selection, bridge, failover) in a
// process of its own, so its memory, descriptors and event-loop delay are the engine's alone.
// Parent → child over IPC: { type: 'start', config } then { type: 'sample' } and { type: 'stop' }.
// Child → parent: 'ready' (bridge port), 'switch' and 'failure' events, 'sample' answers.
import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Engine } from '../electron/core/engine/engine.ts';
import { createSimplePublisher } from '../electron/core/lists/keyfiles.ts';
import { buildPayload, signList } from '../electron/core/lists/sign.ts';

export interface SoakEngineConfig {
  dir: string;
  entries: { url: string; label: string; id: string }[];
  probeUrls: string[];
  reprobeEveryMs: number;
}

export interface EngineSample {
  type: 'sample';
  at: number;
  rss: number;
  heapUsed: number;
  /** V8's heap as committed (used plus free pages it keeps). */
  heapTotal: number;
  /** Anonymous resident memory (malloc arenas, V8 heap, buffers): RSS less mapped files (code). */
  anon: number;
  /** Buffers and other memory outside the JS heap that V8 knows of. */
  external: number;
  /** Of external: ArrayBuffers and Buffers (socket and cipher buffers). */
  arrayBuffers: number;
  fds: number;
  /** Event-loop delay since the previous sample, ms. */
  eldP99: number;
  eldMax: number;
  active: number;
  current: string | null;
}

export type FromEngine =
  | { type: 'ready'; port: number; current: string | null }
  | { type: 'switch'; at: number; from: string | null; to: string | null; reason: string }
  | { type: 'failure'; at: number; server: string | null; kind: string; message: string }
  | EngineSample;

/** Anonymous resident bytes from /proc/self/smaps_rollup (0 where it is missing). */
function anonRss(): number {
  try {
    const m = /^Anonymous:\s+(\d+) kB/m.exec(fs.readFileSync('/proc/self/smaps_rollup', 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function send(msg: FromEngine): void {
  process.send?.(msg);
}

async function main(config: SoakEngineConfig): Promise<void> {
  const { key, chain } = await createSimplePublisher(path.join(config.dir, 'pub'));
  const now = new Date();
  const list = signList(buildPayload(JSON.stringify({ name: 'Soak', entries: config.entries.map((e) => ({ ...e, probeUrls: config.probeUrls })) }), {
    publisher: chain.publisher, version: 1, issuedAt: now, expires: new Date(now.getTime() + 7 * 86400_000),
  }), key, chain);
  const engine = new Engine({
    dataDir: path.join(config.dir, 'client'), listen: { host: '127.0.0.1', port: 0 }, pinned: [chain], skipBootstrap: true,
    probe: { defaultProbeUrls: config.probeUrls }, reprobeEveryMs: config.reprobeEveryMs,
  });
  await engine.open();
  const imported = await engine.importText(list);
  if (imported[0]?.status !== 'added') throw new Error(`the soak list was not imported: ${JSON.stringify(imported[0])}`);
  const labelOf = (id: string | null): string | null => (id ? engine.server(id)?.entry.label ?? id : null);
  const ready = new Promise<void>((resolve) => engine.once('ready', () => resolve()));
  engine.on('switch', (s) => send({ type: 'switch', at: Date.now(), from: labelOf(s.from), to: labelOf(s.to), reason: s.reason }));
  engine.on('failure', (f) => send({ type: 'failure', at: Date.now(), server: labelOf(f.server.replace(/:\d+$/, '')), kind: f.kind, message: f.message }));
  await engine.start();
  await ready;
  const eld = monitorEventLoopDelay({ resolution: 10 });
  eld.enable();
  const current = (): string | null => labelOf(engine.state().current?.id ?? null);
  send({ type: 'ready', port: engine.bridgeInfo()?.port ?? 0, current: current() });
  process.on('message', (msg: { type: string }) => {
    if (msg.type === 'sample') {
      const mem = process.memoryUsage();
      send({
        type: 'sample', at: Date.now(), rss: mem.rss, heapUsed: mem.heapUsed, heapTotal: mem.heapTotal, anon: anonRss(), external: mem.external, arrayBuffers: mem.arrayBuffers, fds: fs.readdirSync('/proc/self/fd').length,
        eldP99: eld.percentile(99) / 1e6, eldMax: eld.max / 1e6, active: engine.bridgeInfo()?.stats().active ?? 0, current: current(),
      });
      eld.reset();
    } else if (msg.type === 'stop') {
      void engine.stop().then(() => process.exit(0));
    }
  });
}

process.once('message', (msg: { type: string; config: SoakEngineConfig }) => {
  if (msg.type !== 'start') return;
  main(msg.config).catch((err: unknown) => {
    process.stderr.write(`soak engine failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
});
process.on('disconnect', () => process.exit(0));
