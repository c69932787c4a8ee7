// The head start of a probe round (ProbeOptions.headStart), against real peers on 127.0.0.1: the
// server that worked last time (a real microsocks) is probed alone first, so it answers before the
// failures of hundreds of others (ports where nothing listens) keep the event loop busy; the rest
// start at once when it fails fast, and after the head start's time when it hangs (a blackhole).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Entry } from '../../shared/entry.ts';
import { startProbe, type ProbeOptions, type ProbeProgress } from '../../electron/core/probe/index.ts';
import { freePort, startBlackhole, startHttpTarget, startMicrosocks, type HttpTarget, type MicrosocksPeer, type TcpServerHandle } from '../peers/index.ts';

let socks: MicrosocksPeer;
let hole: TcpServerHandle;
let target: HttpTarget;
let closed: number[];

beforeAll(async () => {
  [socks, hole, target] = await Promise.all([startMicrosocks(), startBlackhole(), startHttpTarget()]);
  // Ports where nothing listens (refused at once), distinct from each other.
  const ports = new Set<number>();
  while (ports.size < 8) ports.add(await freePort());
  closed = [...ports];
});

afterAll(async () => {
  await Promise.all([socks?.stop(), hole?.close(), target?.close()]);
});

const socks5 = (id: string, port: number): Entry => ({ id, protocol: 'socks5', host: '127.0.0.1', ports: [port] });
/** `n` servers that refuse (the few closed ports, reused: each entry is probed on its own). */
const refusing = (n: number): Entry[] => Array.from({ length: n }, (_, i) => socks5(`refused-${i}`, closed[i % closed.length]!));

// Generous limits for what should work (2 shared cores); the head start's own time is what is tested.
const options = (): ProbeOptions => ({
  probeUrls: [`http://127.0.0.1:${target.port}/hello`], defaultProbeUrls: [], adaptiveTimeouts: false,
  timeouts: { connectMs: 5000, handshakeMs: 8000, requestMs: 8000 },
});

async function collect(entries: Entry[], o: ProbeOptions): Promise<{ results: (ProbeProgress & { atMs: number })[]; ms: number }> {
  const t0 = performance.now();
  const run = startProbe(entries, o);
  const results: (ProbeProgress & { atMs: number })[] = [];
  run.on('result', (p) => results.push({ ...p, atMs: performance.now() - t0 }));
  await run.done;
  return { results, ms: performance.now() - t0 };
}

describe('the head start of a probe round', () => {
  it('the remembered server answers first, before 400 failing servers; without the head start it answers behind them', async () => {
    const entries = [socks5('remembered', socks.port), ...refusing(400)];
    const ahead = await collect(entries, { ...options(), headStart: { count: 1, ms: 10_000 } });
    expect(ahead.results).toHaveLength(401);
    expect(ahead.results[0]).toMatchObject({ tested: 1, result: { id: 'remembered', ok: true } });
    expect(ahead.results.slice(1).every((p) => p.result.error?.kind === 'refused')).toBe(true);
    expect(ahead.ms).toBeLessThan(9_000); // the rest started when it answered, not after the 10 s

    // The same round without it: the refusals come back first (that is what the head start is for).
    const plain = await collect(entries, options());
    const at = plain.results.findIndex((p) => p.result.id === 'remembered');
    expect(plain.results[at]!.result.ok).toBe(true);
    expect(at).toBeGreaterThan(0);
  });

  it('a remembered server that fails at once holds nothing up', async () => {
    const entries = [socks5('remembered-refused', closed[0]!), ...refusing(20), socks5('works', socks.port)];
    const { results, ms } = await collect(entries, { ...options(), headStart: { count: 1, ms: 10_000 } });
    expect(results[0]!.result).toMatchObject({ id: 'remembered-refused', ok: false });
    expect(results).toHaveLength(22);
    expect(results.find((p) => p.result.id === 'works')?.result.ok).toBe(true);
    expect(ms).toBeLessThan(5_000); // far below the head start's 10 s
  });

  it('a remembered server that hangs holds the rest back only for the head start\'s time', async () => {
    const entries = [socks5('remembered-hangs', hole.port), ...refusing(20), socks5('works', socks.port)];
    const o = options();
    const { results } = await collect(entries, { ...o, timeouts: { ...o.timeouts, handshakeMs: 3000 }, headStart: { count: 1, ms: 400 } });
    const first = results[0]!;
    expect(first.result.id).not.toBe('remembered-hangs');
    expect(first.atMs).toBeGreaterThanOrEqual(390); // nothing else started before the 400 ms
    expect(first.atMs).toBeLessThan(2_900); // …and everything did soon after, not after the hung probe's 3 s
    expect(results.find((p) => p.result.id === 'works')!.atMs).toBeLessThan(2_900);
    expect(results.at(-1)).toMatchObject({ tested: 22, result: { id: 'remembered-hangs', ok: false, error: { kind: 'timeout' } } });
  });
});
