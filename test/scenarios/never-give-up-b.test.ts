// Scenario (b), issue 17: every server is down when Porthole starts; one comes up 10 s later. With no
// user action, the search finds it (backoff retries, seconds apart at first) and the page arrives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRoot, NEWS_BODY, startLab, type Lab } from './lab.ts';

if (!isRoot) console.warn('\n!!! test/scenarios/never-give-up-b.test.ts: SKIPPED — needs root (network namespaces and iptables).\n');

const BRIDGE = 1092;

describe.skipIf(!isRoot)('scenario (b): every server is down at start, one comes up 10 s later', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab({
      proxies: [
        { label: 'A', host: '10.200.0.11', ports: [{ port: 1080, censor: 'open' }], up: false },
        { label: 'B', host: '10.200.0.12', ports: [{ port: 1080, censor: 'open' }, { port: 2080, censor: 'open' }], up: false },
        { label: 'C', host: '10.200.0.13', ports: [{ port: 1080, censor: 'drop' }] },
      ],
    });
  }, 40_000);
  afterAll(async () => lab?.stop());

  it('finds the server that came up, by itself, and the page arrives through the bridge', async () => {
    const up = lab.up(BRIDGE);
    try {
      // Nothing works: the engine says so and keeps searching.
      const offline = await up.waitForLine((l) => l.includes('"event":"start"'), 30_000, 'start');
      expect(offline).toContain(`127.0.0.1:${BRIDGE}`);
      await new Promise((r) => setTimeout(r, 10_000));
      const failed = await lab.fetchNews(BRIDGE, 3);
      expect(failed.stdout).not.toBe(NEWS_BODY);
      const t0 = Date.now();
      await lab.startProxy('B');
      const upMs = Date.now() - t0;
      const pageMs = await lab.waitForPage(BRIDGE, 30_000, 250);
      const total = Date.now() - t0;
      console.info(`scenario (b): page through the newly up server ${total} ms after it started (its listener up after ${upMs} ms, polling ${pageMs} ms)`);
      expect(lab.requests().filter((q) => q.url === '/hello').at(-1)).toMatchObject({ from: '10.200.0.12' });
      await up.waitForLine((l) => l.includes('"event":"ready"'), 30_000, 'ready');
      expect(total).toBeLessThan(30_000);
    } catch (err) {
      throw new Error(`${(err as Error).message}\n--- porthole up ---\n${up.output()}`, { cause: err });
    } finally {
      await up.stop();
    }
  }, 60_000);
});
