// Scenario (c), issue 17: the only working server answers only on an alternative port (its usual
// one is dropped by the censor) and only for some destinations (the outside refuses its connections
// to the probe hosts). Porthole finds the port, uses the server degraded, and the page arrives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRoot, LAB, NEWS, startLab, type Lab } from './lab.ts';

if (!isRoot) console.warn('\n!!! test/scenarios/never-give-up-c.test.ts: SKIPPED — needs root (network namespaces and iptables).\n');

const BRIDGE = 1093;

describe.skipIf(!isRoot)('scenario (c): one server, on an alternative port, for some destinations only', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab({
      proxies: [
        { label: 'A', host: '10.200.0.11', ports: [{ port: 1080, censor: 'drop' }, { port: 3080, censor: 'reset' }] },
        { label: 'B', host: '10.200.0.12', ports: [{ port: 1080, censor: 'drop' }, { port: 1443, censor: 'reset' }, { port: 8443, censor: 'open' }], noProbeHosts: true },
        { label: 'C', host: '10.200.0.13', ports: [{ port: 8388, censor: 'reset' }] },
      ],
    });
  }, 40_000);
  afterAll(async () => lab?.stop());

  it('uses B on port 8443 although no probe URL works through it', async () => {
    const t0 = Date.now();
    const up = lab.up(BRIDGE);
    try {
      const pageMs = await lab.waitForPage(BRIDGE, 40_000);
      console.info(`scenario (c): first page through the bridge ${Date.now() - t0} ms after porthole up started (polling ${pageMs} ms)`);
      expect(lab.requests().filter((q) => q.url === '/hello').at(-1)).toMatchObject({ from: '10.200.0.12', host: `${NEWS.name}:${NEWS.port}` });
      const ready = JSON.parse(await up.waitForLine((l) => l.includes('"event":"ready"'), 5000, 'ready')) as { server: { label: string; port: number } };
      expect(ready.server).toMatchObject({ label: 'B', port: 8443 });
      // The probe hosts resolve outside but refuse B: no probe request ever arrived from B.
      expect(lab.requests().filter((q) => q.on.startsWith(`${LAB.probe}:`) && q.from === '10.200.0.12')).toEqual([]);
      expect(Date.now() - t0).toBeLessThan(45_000);
    } catch (err) {
      throw new Error(`${(err as Error).message}\n--- porthole up ---\n${up.output()}`, { cause: err });
    } finally {
      await up.stop();
    }
  }, 60_000);
});
