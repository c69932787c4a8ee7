// A probe round: results stream out in completion order, 'first-ok' fires early, local resource
// errors make the round back off instead of failing servers, cancel stops it. The connector is a fake
// that goes straight to a local HTTP target after a per-entry delay (or fails as told).
import { PortholeError } from '../../shared/errors.ts';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Entry } from '../../shared/entry.ts';

import type { Upstream } from '../../electron/core/bridge/upstreams/types.ts';
import { startProbe } from '../../electron/core/probe/index.ts';
import type { ProbeOptions, ProbeProgress, ProbeResult, TcpCheck } from '../../electron/core/probe/index.ts';
import { startProbeTarget, type ProbeTargetServer } from './fake-servers.ts';

let target: ProbeTargetServer;
beforeAll(async () => {
  target = await startProbeTarget();
});
afterAll(async () => {
  await target?.close();
});

const instantTcp: TcpCheck = async () => 0.1;

/** ports[0] of each entry is its handshake delay in ms; port 1 means "refused". */
function fakeUpstreams(hooks: { onConnect?: () => void; onClose?: () => void; fail?: () => Error | null } = {}): NonNullable<ProbeOptions['upstreamFor']> {
  return (entry, port): Upstream => ({
    id: `${entry.id}:${port}`,
    describe: `fake ${entry.id}`,
    connect: (_dest, options) => new Promise<Duplex>((resolve, reject) => {
      const failure = hooks.fail?.();
      if (failure) {
        reject(failure);
        return;
      }
      if (port === 1) {
        reject(new PortholeError('refused', 'refused', { upstream: entry.id }));
        return;
      }
      hooks.onConnect?.();
      const timer = setTimeout(() => {
        const socket = net.connect({ host: target.host, port: target.port });
        socket.once('close', () => hooks.onClose?.());
        socket.once('connect', () => resolve(socket));
        socket.once('error', reject);
      }, port);
      options?.signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        hooks.onClose?.();
        reject(new PortholeError('aborted', 'aborted', { upstream: entry.id }));
      }, { once: true });
    }),
  });
}

function entry(id: string, delayMs: number): Entry {
  return { id, protocol: 'socks5', host: '127.0.0.1', ports: [delayMs], probeUrls: [target.url('/ok')] };
}

const base: ProbeOptions = { tcpCheck: instantTcp, defaultProbeUrls: [], timeouts: { connectMs: 1000, handshakeMs: 2000, requestMs: 2000 } };

describe('a probe round', () => {
  it('streams results as they arrive (events and async iterator agree), ranks them at the end', async () => {
    const entries = [entry('slow', 400), entry('fast', 10), entry('dead', 1), entry('mid', 150)];
    const run = startProbe(entries, { ...base, upstreamFor: fakeUpstreams() });
    const seen: ProbeProgress[] = [];
    run.on('result', (p) => seen.push(p));
    const iterated: string[] = [];
    for await (const p of run) iterated.push(p.result.id);
    const ranked = await run.done;
    expect(seen.map((p) => p.result.id)).toEqual(['dead', 'fast', 'mid', 'slow']);
    expect(seen.map((p) => p.tested)).toEqual([1, 2, 3, 4]);
    expect(seen.every((p) => p.total === 4)).toBe(true);
    expect(iterated).toEqual(['dead', 'fast', 'mid', 'slow']);
    // Ranked: working ones by latency (all about equal here), the failure last.
    expect(ranked).toHaveLength(4);
    expect(ranked[3]!.id).toBe('dead');
    expect(ranked[3]!.error).toMatchObject({ kind: 'refused', stage: 'handshake' });
    expect(ranked.slice(0, 3).every((r) => r.ok)).toBe(true);
  });

  it('fires first-ok as soon as one server works end to end, while the rest continue', async () => {
    const run = startProbe([entry('dead', 1), entry('slow', 5000), entry('fast', 20)], { ...base, upstreamFor: fakeUpstreams(), timeouts: { connectMs: 1000, handshakeMs: 10_000, requestMs: 10_000 } });
    const started = Date.now();
    let testedAtFirst = -1;
    run.on('first-ok', () => (testedAtFirst = run.tested));
    const first = await run.firstOk;
    const firstAt = Date.now() - started;
    expect(first?.id).toBe('fast');
    expect(testedAtFirst).toBe(2); // dead, then fast; slow still running
    expect(firstAt).toBeLessThan(2_500); // long before the slow one's 5 s (wide: 2 shared cores)
    const all = await run.done;
    expect(all.map((r) => r.id).sort()).toEqual(['dead', 'fast', 'slow']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(550);
  });

  it('firstOk resolves with null when nothing works', async () => {
    const run = startProbe([entry('a', 1), entry('b', 1)], { ...base, upstreamFor: fakeUpstreams() });
    expect(await run.firstOk).toBeNull();
    expect((await run.done).every((r) => !r.ok)).toBe(true);
  });

  it('backs off on EMFILE (a local error), retries, and never blames the servers', async () => {
    // The fake computer has 12 "file descriptors" for proxy connections.
    let open = 0;
    let peak = 0;
    let emfiles = 0;
    const upstreamFor = fakeUpstreams({
      fail: () => {
        if (open < 12) return null;
        emfiles++;
        const cause = Object.assign(new Error('connect EMFILE 127.0.0.1'), { code: 'EMFILE' });
        return new PortholeError('other', 'fake: connect EMFILE', { upstream: 'fake', cause });
      },
      onConnect: () => {
        open++;
        peak = Math.max(peak, open);
      },
      onClose: () => open--,
    });
    const entries = Array.from({ length: 120 }, (_, i) => entry(`e${i}`, 15));
    const run = startProbe(entries, { ...base, upstreamFor, concurrency: { initial: 64, min: 2, max: 64 } });
    const results: ProbeResult[] = await run.done;
    expect(results).toHaveLength(120);
    expect(results.filter((r) => !r.ok).map((r) => r.error)).toEqual([]);
    expect(run.stats.backOffs).toBeGreaterThanOrEqual(1);
    expect(run.stats.finalLimit).toBeLessThan(64);
    expect(peak).toBeLessThanOrEqual(12);
    // Backing off keeps the wasted attempts bounded: without it, every wave would hit EMFILE ~50 times.
    expect(emfiles).toBeLessThan(150);
  });

  it('once enough servers answered, servers that hang are cut after a multiple of their time, not the full limit', async () => {
    // Port 65000 means "never answers" for this fake: a blackhole.
    const hanging = (entry: Entry, port: number): Upstream => port === 65000
      ? { id: entry.id, describe: 'hole', connect: (_d, o) => new Promise<Duplex>((_r, reject) => o?.signal?.addEventListener('abort', () => reject(new PortholeError('aborted', 'aborted', { upstream: 'hole' })))) }
      : fakeUpstreams()(entry, port);
    const entries = [...Array.from({ length: 3 }, (_, i) => entry(`hole${i}`, 65000)), ...Array.from({ length: 12 }, (_, i) => entry(`ok${i}`, 5))];
    const opts: ProbeOptions = { ...base, upstreamFor: hanging, timeouts: { connectMs: 1000, handshakeMs: 6000, requestMs: 2000 } };
    const t0 = Date.now();
    const adaptive = await startProbe(entries, { ...opts, adaptiveTimeouts: { minSamples: 8, factor: 4, floorMs: 300 } }).done;
    const adaptiveMs = Date.now() - t0;
    expect(adaptive.filter((r) => r.ok)).toHaveLength(12);
    expect(adaptive.filter((r) => r.error?.kind === 'timeout' && r.error.stage === 'handshake')).toHaveLength(3);
    expect(adaptiveMs).toBeLessThan(4_000); // cut at about 4 × what the others took, far below 6 s
    const t1 = Date.now();
    await startProbe(entries, { ...opts, adaptiveTimeouts: false }).done;
    expect(Date.now() - t1).toBeGreaterThanOrEqual(5_900);
  });

  it('cancel stops the round: running probes are aborted, queued ones never start, done resolves', async () => {
    let started = 0;
    const upstreamFor = fakeUpstreams({ onConnect: () => started++ });
    const entries = Array.from({ length: 20 }, (_, i) => entry(`c${i}`, 20_000));
    const run = startProbe(entries, { ...base, upstreamFor, concurrency: { initial: 4, max: 4 }, timeouts: { connectMs: 1000, handshakeMs: 30_000, requestMs: 30_000 } });
    setTimeout(() => run.cancel(), 100);
    const t0 = Date.now();
    const results = await run.done;
    expect(Date.now() - t0).toBeLessThan(10_000); // not after the probes' 20 s
    expect(started).toBe(4);
    expect(results).toHaveLength(4);
    expect(results.every((r) => r.error?.kind === 'aborted')).toBe(true);
  });

  it('takes a throughput sample of the fastest working servers when asked', async () => {
    const run = startProbe([entry('t1', 5), entry('t2', 5), entry('t3', 1)], {
      ...base, upstreamFor: fakeUpstreams(), throughput: { top: 1, bytes: 64 * 1024, url: target.url('/bytes') },
    });
    const ranked = await run.done;
    const sampled = ranked.filter((r) => r.throughputBps !== undefined);
    expect(sampled).toHaveLength(1);
    expect(sampled[0]!.id).toBe(ranked[0]!.id);
    expect(sampled[0]!.throughputBps).toBeGreaterThan(0);
  });
});
