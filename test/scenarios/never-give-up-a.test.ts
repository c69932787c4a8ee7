// Scenario (a), issue 17: the default probe URLs cannot be reached from the proxies' side (the
// outside DNS does not know their hosts) and no list names a probe URL. The proxy still carries the
// user's traffic: Porthole uses it as a degraded server and the page arrives through the bridge.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRoot, LAB, NEWS, NEWS_BODY, startLab, type Lab } from './lab.ts';

if (!isRoot) console.warn('\n!!! test/scenarios/never-give-up-a.test.ts: SKIPPED — needs root (network namespaces and iptables).\n');

const BRIDGE = 1091;

describe.skipIf(!isRoot)('scenario (a): the probe URLs are unreachable from the proxies\' side', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab({
      probeHostsResolve: false,
      proxies: [
        { label: 'A', host: '10.200.0.11', ports: [{ port: 1080, censor: 'open' }] },
        { label: 'B', host: '10.200.0.12', ports: [{ port: 1080, censor: 'drop' }] },
      ],
    });
  }, 40_000);
  afterAll(async () => lab?.stop());

  it('the proxy that cannot fetch any probe URL is used anyway, and the page arrives through it', async () => {
    // The harness: from the outside, the probe hosts do not resolve, the news site does.
    const direct = await lab.fetchNews(BRIDGE, 2);
    expect(direct.code).not.toBe(0); // nothing listens yet
    const t0 = Date.now();
    const up = lab.up(BRIDGE);
    try {
      const pageMs = await lab.waitForPage(BRIDGE, 40_000);
      console.info(`scenario (a): first page through the bridge ${Date.now() - t0} ms after porthole up started (polling took ${pageMs} ms)`);
      const pages = lab.requests().filter((q) => q.url === '/hello');
      expect(pages.at(-1)).toMatchObject({ from: '10.200.0.11', host: `${NEWS.name}:${NEWS.port}` });
      // No probe ever reached a probe host: they do not resolve outside.
      expect(lab.requests().filter((q) => q.on.startsWith(`${LAB.probe}:`))).toEqual([]);
      const ready = JSON.parse(await up.waitForLine((l) => l.includes('"event":"ready"'), 5000, 'ready')) as { server: { label: string }; why: string };
      expect(ready.server.label).toBe('A');
      expect(ready.why).toMatch(/could not fetch the test addresses/);
      const again = await lab.fetchNews(BRIDGE);
      expect(again.stdout).toBe(NEWS_BODY);
      expect(Date.now() - t0).toBeLessThan(45_000);
    } catch (err) {
      throw new Error(`${(err as Error).message}\n--- porthole up ---\n${up.output()}`, { cause: err });
    } finally {
      await up.stop();
    }
  }, 60_000);
});
