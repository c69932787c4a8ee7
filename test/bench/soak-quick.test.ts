// The soak harness in its quick mode (~20 s, 10 real servers going down and up under client load),
// so `npm run soak` cannot rot: it samples the engine process, takes servers down and brings them
// back, carries requests through the bridge, attributes every failure and checks the goals.
// The long run's numbers come from `npm run soak`, not from here.
import { describe, expect, it } from 'vitest';
import { printReport, runSoak } from '../../bench/soak.ts';

describe('soak harness, quick mode', () => {
  it('runs the engine against flapping servers under load and reports every figure and goal', async () => {
    const lines: string[] = [];
    const report = await runSoak({ minutes: 1 / 3, servers: 10, quick: true, seed: 1234 }, (l) => lines.push(l));
    const text = printReport(report);
    // Sampled about once a second, with real figures from the engine's own process.
    expect(report.samples.length).toBeGreaterThanOrEqual(10);
    for (const s of report.samples) {
      expect(s.rss).toBeGreaterThan(10 * 2 ** 20);
      expect(s.heapUsed).toBeGreaterThan(0);
      expect(s.fds).toBeGreaterThan(5);
      expect(Number.isFinite(s.eldP99)).toBe(true);
    }
    // Servers really went down and came back, and traffic really flowed through the bridge.
    expect(report.chaos.filter((e) => e.what === 'down').length).toBeGreaterThanOrEqual(3);
    expect(report.chaos.some((e) => e.what === 'up')).toBe(true);
    expect(report.requests.ok).toBeGreaterThan(20);
    expect(report.requests.bytes).toBeGreaterThan(1024 * 1024);
    // Every failure carries its cause and its verdict; descriptors came back (the engine leaks none).
    for (const f of report.failures) expect(f.cause.length).toBeGreaterThan(0);
    const goal = (name: RegExp) => report.goals.find((g) => name.test(g.goal));
    expect(goal(/descriptors return to baseline/)?.met, text).toBe(true);
    expect(goal(/in flight on a server that died/)?.met, text).toBe(true);
    expect(goal(/RSS grows/)?.met).toBeNull();
    expect(text).toMatch(/Goals\n/);
  }, 120_000);
});
