// The DPI scenario (see dpi-harness.ts): a censor that reads payloads. First the harness proves the
// censorship is real (each blocked server works from the outside and dies from the inside, the front
// passes only with the allowlisted SNI); then `porthole up`, given the servers as a subscription of
// share links, finds the one way through (VLESS over WebSocket+TLS behind the front) and loads a page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FRONT_NAME, isRoot, REAL_NAME, startDpiScenario } from './dpi-harness.ts';
import type { DpiScenario } from './dpi-harness.ts';

if (!isRoot) {
  console.warn('\n!!! test/scenarios/dpi.test.ts: SKIPPED — the DPI scenario needs root (network namespaces and iptables).\n');
}

const BRIDGE_PORT = 1091;
const UP_READY_BOUND_MS = 40_000;

function parseEvent(line: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(line) as unknown;
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

describe.skipIf(!isRoot)('DPI: only WebSocket+TLS behind an allowlisted front gets through', () => {
  let s: DpiScenario;

  beforeAll(async () => {
    s = await startDpiScenario();
  }, 60_000);

  afterAll(async () => {
    await s?.stop();
  });

  it('the censor is real: handshakes die inside, the same servers work outside, the front passes only with its own SNI', async () => {
    const curlArgs = (how: string[]): string[] => ['-q', '-sS', '-o', '/dev/null', '-w', '%{http_code}', '--max-time', '4', ...how];
    const web = `http://10.210.0.10:8080/hello`;
    const cases = [
      { what: 'SOCKS5 A', how: ['--socks5', '10.210.0.11:443', web], outside: '200' },
      { what: 'HTTP CONNECT B', how: ['--proxytunnel', '--proxy', 'http://10.210.0.12:80', web], outside: '200' },
      { what: 'TLS to C with the real SNI', how: ['-k', '--resolve', `${REAL_NAME}:443:10.210.0.13`, `https://${REAL_NAME}/`], outside: '000' },
    ];
    const results = await Promise.all(cases.flatMap((c) => [s.exec('censored', 'curl', curlArgs(c.how), 10_000), s.exec('outside', 'curl', curlArgs(c.how), 10_000)]));
    cases.forEach((c, i) => {
      const inside = results[2 * i]!;
      const outside = results[2 * i + 1]!;
      expect(inside.code, `${c.what} from inside: ${inside.stderr}`).toBe(28); // timed out: the handshake was dropped
      if (c.outside === '200') expect(outside.stdout, `${c.what} from outside: ${outside.stderr}`).toBe('200');
      else expect(outside.code === 28, `${c.what} from outside must not time out: ${outside.stderr}`).toBe(false);
    });
    // The front: a ClientHello with the allowlisted name passes (nginx answers 404 at "/"), the same
    // address with the real name as SNI is dropped.
    const [allowed, other] = await Promise.all([
      s.exec('censored', 'curl', curlArgs(['-k', '--resolve', `${FRONT_NAME}:443:10.210.0.20`, `https://${FRONT_NAME}/`]), 10_000),
      s.exec('censored', 'curl', curlArgs(['-k', '--resolve', `${REAL_NAME}:443:10.210.0.20`, `https://${REAL_NAME}/`]), 10_000),
    ]);
    expect(allowed.stdout, allowed.stderr).toBe('404');
    expect(other.code).toBe(28);
  }, 30_000);

  it('porthole up, given the servers as share links, picks the front and loads the page through its bridge', async () => {
    const dataDir = `${s.workDir}/client`;
    const imported = await s.porthole(['import', s.subscriptionFile, '--data-dir', dataDir], 30_000);
    expect(imported.code, `${imported.stdout}\n${imported.stderr}`).toBe(0);
    const t0 = Date.now();
    const up = s.spawnPorthole(['up', '--json', '--data-dir', dataDir, '--listen', `127.0.0.1:${BRIDGE_PORT}`, '--probe-url', 'http://news.outside.test:8080/generate_204']);
    try {
      const ready = parseEvent(await up.waitForLine((l) => parseEvent(l)?.['event'] === 'ready', UP_READY_BOUND_MS)) as { socks: string; server: { label?: string; host?: string; port?: number; protocol?: string } };
      const readyMs = Date.now() - t0;
      expect(ready.server).toMatchObject({ label: s.expected.label, host: s.expected.host, port: s.expected.port, protocol: 'vless' });
      const before = s.requests().length;
      const page = await s.exec('censored', 'curl', ['-q', '-sS', '--max-time', '15', '--socks5-hostname', ready.socks, s.webUrl], 20_000);
      expect(page.stderr).toBe('');
      expect(page.stdout).toBe('hello from behind the DPI censor\n');
      const seen = s.requests().slice(before).filter((r) => r.url === '/hello');
      expect(seen.length).toBe(1);
      // The page was fetched by v2ray behind the front, on the outside: never from the censored address.
      expect(seen[0]?.from).not.toBe('10.210.0.2');
      console.info(`porthole up behind DPI: ready after ${readyMs} ms`);
    } catch (err) {
      throw new Error(`${(err as Error).message}\n--- porthole up output ---\n${up.output()}`, { cause: err });
    } finally {
      await up.stop();
    }
  }, 60_000);
});
