// CPU used by the never-ending search while nothing works (issue 17): the real engine with its
// default backoff (2 s doubling to 60 s), over servers that refuse or never answer and a channel
// that is down, all on loopback. Prints the CPU time (user + system) of this process over the
// window, per minute, and what the search did (probe attempts, channel fetches).
//   node bench/offline-search.ts               # 60 s, extrapolated to 5 minutes
//   OFFLINE_BENCH_S=300 node bench/offline-search.ts   # a real 5-minute run
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../electron/core/engine/engine.ts';
import { createSimplePublisher } from '../electron/core/lists/keyfiles.ts';
import { buildPayload, signList } from '../electron/core/lists/sign.ts';

const seconds = Number(process.env.OFFLINE_BENCH_S ?? 60);
const refusing = Number(process.env.OFFLINE_BENCH_REFUSED ?? 40);
const silent = Number(process.env.OFFLINE_BENCH_SILENT ?? 10);

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'porthole-offline-bench-'));
  // "Servers" that accept and never say anything (a black hole behind a middlebox).
  const holes: net.Server[] = [];
  const entries: { url: string; label: string }[] = [];
  for (let i = 0; i < refusing; i++) entries.push({ url: `socks5://127.0.0.1:${await freePort()}`, label: `refused-${i}` });
  for (let i = 0; i < silent; i++) {
    const hole = net.createServer((sock) => sock.on('error', () => {}));
    await new Promise<void>((r) => hole.listen(0, '127.0.0.1', () => r()));
    holes.push(hole);
    entries.push({ url: `socks5://127.0.0.1:${(hole.address() as net.AddressInfo).port}`, label: `silent-${i}` });
  }
  const { key, chain } = await createSimplePublisher(join(dir, 'pub'));
  const now = new Date();
  const list = signList(buildPayload(JSON.stringify({ name: 'bench', entries }), { publisher: chain.publisher, version: 1, issuedAt: now, expires: new Date(now.getTime() + 86400_000) }), key, chain);
  const engine = new Engine({
    dataDir: join(dir, 'client'), listen: { host: '127.0.0.1', port: 0 }, pinned: [chain], skipBootstrap: true,
    channels: [`http://127.0.0.1:${await freePort()}/list.signed`],
    probe: { defaultProbeUrls: ['http://127.0.0.1:9/generate_204'] },
  });
  await engine.open();
  await engine.importText(list);
  let probes = 0;
  let fetches = 0;
  engine.on('progress', () => probes++);
  engine.on('sources', () => fetches++);
  await engine.start();
  // Start-up (imports, the first round) is not the search: measure from here.
  await new Promise((r) => setTimeout(r, 3000));
  probes = 0;
  fetches = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const cpu = process.cpuUsage(cpu0);
  const wallS = (performance.now() - t0) / 1000;
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const state = engine.state();
  await engine.stop();
  for (const h of holes) h.close();
  await rm(dir, { recursive: true, force: true });
  const perMin = (cpuMs / wallS) * 60;
  console.log(JSON.stringify({
    servers: entries.length, refusing, silent, windowS: Math.round(wallS), phase: state.phase,
    cpuMs: Math.round(cpuMs), cpuMsPerMinute: Math.round(perMin), cpuMsPer5Minutes: Math.round(perMin * 5),
    cpuShare: `${((cpuMs / (wallS * 1000)) * 100).toFixed(2)} %`, probeResults: probes, channelReports: fetches,
  }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
