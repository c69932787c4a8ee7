// The engine never gives up, against real peers on loopback: a server that comes up after the
// first round is found without any user action; a proxy that answers but cannot fetch the probe
// URLs is used (degraded) and promoted by real traffic; "Try again" starts a new round.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../electron/core/engine/engine.ts';
import { createSimplePublisher } from '../../electron/core/lists/keyfiles.ts';
import { buildPayload, signList } from '../../electron/core/lists/sign.ts';
import type { RootChain } from '../../electron/core/lists/roots.ts';
import { freePort, HELLO_BODY, startHttpTarget, startMicrosocks, type HttpTarget, type Peer } from '../peers/index.ts';

const exec = promisify(execFile);
let dir: string;
let target: HttpTarget;
const peers: Peer[] = [];
const engines: Engine[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'porthole-search-'));
  target = await startHttpTarget();
});

afterAll(async () => {
  await Promise.all(engines.map((e) => e.stop()));
  await Promise.all([...peers.map((p) => p.stop()), target?.close()]);
  await rm(dir, { recursive: true, force: true });
});

async function signed(name: string, entries: Record<string, unknown>[]): Promise<{ list: Uint8Array; chain: RootChain }> {
  const { key, chain } = await createSimplePublisher(join(dir, `pub-${name}`));
  const now = new Date();
  const list = signList(buildPayload(JSON.stringify({ name, entries }), { publisher: chain.publisher, version: 1, issuedAt: now, expires: new Date(now.getTime() + 3600_000) }), key, chain);
  return { list, chain };
}

async function engineWith(name: string, entries: Record<string, unknown>[], probeUrls: string[]): Promise<Engine> {
  const { list, chain } = await signed(name, entries);
  const engine = new Engine({
    dataDir: join(dir, name), listen: { host: '127.0.0.1', port: 0 }, pinned: [chain], skipBootstrap: true,
    probe: { defaultProbeUrls: probeUrls, timeouts: { connectMs: 1000, handshakeMs: 1000, requestMs: 2000 } },
    search: { backoff: { firstMs: 300, maxMs: 2000 }, tickMs: 100, networkSignature: () => 'test-net' },
  });
  engines.push(engine);
  await engine.open();
  expect((await engine.importText(list))[0]?.status).toBe('added');
  return engine;
}

async function curlVia(engine: Engine, url = `http://127.0.0.1:${target.port}/hello`): Promise<string> {
  const b = engine.bridgeInfo()!;
  const { stdout } = await exec('curl', ['-s', '--max-time', '5', '--socks5-hostname', `${b.host}:${b.port}`, url]);
  return stdout;
}

describe('the search never stops', () => {
  it('a server that is down at start is found by itself once it comes up', async () => {
    const port = await freePort();
    const probe = `http://127.0.0.1:${target.port}/hello`;
    const engine = await engineWith('late', [{ url: `socks5://127.0.0.1:${port}`, label: 'Late' }], [probe]);
    const ready = new Promise((resolve) => engine.once('ready', resolve));
    await engine.start();
    await expect.poll(() => engine.state().phase, { timeout: 5000 }).toBe('offline');
    expect(engine.state().retryAt).not.toBeNull();
    await new Promise((r) => setTimeout(r, 1000));
    const t0 = Date.now();
    peers.push(await startMicrosocks({ port }));
    await ready;
    const foundMs = Date.now() - t0;
    expect(await curlVia(engine)).toBe(HELLO_BODY);
    expect(foundMs).toBeLessThan(10_000); // backoff here is 0.3 s … 2 s
    expect(engine.state().retryAt).toBeNull();
  });

  it('a proxy whose probe URLs all fail is used (degraded), and real traffic promotes it', async () => {
    const micro = await startMicrosocks();
    peers.push(micro);
    const nowhere = `http://127.0.0.1:${await freePort()}/generate_204`;
    const engine = await engineWith('degraded', [{ url: `socks5://127.0.0.1:${micro.port}`, label: 'Limited', probeUrls: [nowhere] }], [nowhere]);
    const ready = new Promise((resolve) => engine.once('ready', resolve));
    await engine.start();
    await ready;
    expect(engine.explain()).toMatchObject({ reason: 'degraded', current: { status: 'degraded' } });
    expect(await curlVia(engine)).toBe(HELLO_BODY);
    await expect.poll(() => engine.explain().current?.status, { timeout: 3000 }).toBe('ok');
    expect(engine.explain().text).toMatch(/real traffic through it works/);
  });

  it('"Try again" (searchAgain) starts a new round with progress', async () => {
    const micro = await startMicrosocks();
    peers.push(micro);
    const engine = await engineWith('again', [{ url: `socks5://127.0.0.1:${micro.port}`, label: 'M' }], [`http://127.0.0.1:${target.port}/hello`]);
    const ready = new Promise((resolve) => engine.once('ready', resolve));
    await engine.start();
    await ready;
    await expect.poll(() => engine.state().probing, { timeout: 5000 }).toBe(false);
    const run = engine.searchAgain('test');
    expect(run).not.toBeNull();
    expect(engine.state()).toMatchObject({ probing: true, total: 1 });
    await run!.done;
  });
});
