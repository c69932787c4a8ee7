// End to end with the REAL engine: the headless web mode (serveApiOverHttp over ApiService) with
// real proxies from Debian (microsocks, dante, ss-server; real-peers.ts), driven by Debian's Chromium. Three people, three runs:
// a low-tech user presses one button; a family member pastes a whole SMS with a code; a power
// user tests all servers and pins one, and the bridge's counters show traffic went through it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ApiService } from '../../electron/core/engine/api/service.ts';
import { generateToken, serveApiOverHttp, type UiServer } from '../../electron/core/ui-server/index.ts';
import { createCode } from '../../electron/core/codes/codes.ts';
import { generateKey } from '../../electron/core/crypto/ed25519.ts';
import { parseProxyLink } from '../../shared/proxy-link.ts';
import { buildRenderer, CHROMIUM_ARGS } from './harness.ts';
import { startRealPeers, type RealPeers } from './real-peers.ts';

const exec = promisify(execFile);
const NO_KEYCHAIN = { available: false, seal: (s: string) => s, open: (s: string) => s };
const SHOTS = join(import.meta.dirname, '..', '..', 'test-results', 'screenshots');

let dir: string;
let staticDir: string;
let browser: Browser;
let demo: RealPeers;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'porthole-e2e-'));
  [staticDir, demo, browser] = await Promise.all([
    buildRenderer(),
    startRealPeers(),
    chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true }),
  ]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  await rm(dir, { recursive: true, force: true });
  if (staticDir) await rm(staticDir, { recursive: true, force: true });
});

async function startApp(name: string, withDemoList: boolean): Promise<{ api: ApiService; ui: UiServer; page: Page; close(): Promise<void> }> {
  const api = new ApiService({ dataDir: join(dir, name), secrets: NO_KEYCHAIN }, {
    listen: { host: '127.0.0.1', port: 0 },
    pinned: [demo.chain],
    skipBootstrap: true,
    probe: { defaultProbeUrls: [demo.pageUrl] },
  });
  await api.start();
  if (withDemoList) await api.importRaw(await readFile(demo.listFile), false);
  const ui = await serveApiOverHttp(api, { token: generateToken(), staticDir, port: 0 });
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1100, height: 820 } });
  await context.route((url) => !url.href.startsWith(ui.origin), (route) => route.abort());
  const page = await context.newPage();
  await page.goto(ui.url);
  await page.waitForSelector('main#main').catch(async (err: Error) => {
    await page.screenshot({ path: join(SHOTS, `real-engine-${name}-LOAD-FAILED.png`) });
    throw err;
  });
  return {
    api, ui, page,
    async close() {
      await context.close();
      await ui.close();
      await api.stop();
    },
  };
}

async function curlThrough(api: ApiService): Promise<string> {
  const b = api.running!.bridgeInfo()!;
  const { stdout } = await exec('curl', ['-s', '--max-time', '15', '--noproxy', '', '--proxy', `http://${b.host}:${b.port}`, demo.pageUrl]);
  return stdout;
}

describe('the real engine in a real browser', () => {
  it('low-tech: one click → connected → "Open Firefox" reachable, and pages go through', async () => {
    const app = await startApp('lowtech', true);
    try {
      await app.page.getByRole('button', { name: 'Connect', exact: true }).click();
      await app.page.getByRole('status').filter({ hasText: /Connected through (Microsocks-Frankfurt|Dante-Almaty|SS-Astana)/ }).waitFor({ timeout: 15_000 });
      const firefox = app.page.getByRole('button', { name: 'Open Firefox' });
      await firefox.waitFor();
      expect(await firefox.isVisible()).toBe(true);
      expect(await curlThrough(app.api)).toBe(demo.body);
      await app.page.screenshot({ path: join(SHOTS, 'real-engine-home-connected.png'), fullPage: true });
    } finally {
      await app.close();
    }
  });

  it('family: a whole SMS with a code from a relative → words compared → connected', { timeout: 60_000 }, async () => {
    const app = await startApp('family', false);
    try {
      const relative = generateKey();
      const code = createCode({ key: relative, servers: [parseProxyLink(`socks5://127.0.0.1:${demo.socksPort}#From-Dad`)], expires: new Date(Date.now() + 86400_000) });
      const sms = `Привет! Это папа. Установи Porthole и вставь это:\n${code.slice(0, 70)}\n${code.slice(70)}\nПозвони потом.`;
      await app.page.click('nav a[href="#/paste"]');
      await app.page.getByLabel('The message you received').fill(sms);
      await app.page.getByRole('button', { name: 'Add and connect' }).click();
      await app.page.getByText('A new sender sent this code.').waitFor();
      await app.page.getByRole('button', { name: 'The numbers match: trust and add' }).click();
      await app.page.getByText('Added 1 server.').waitFor({ timeout: 10_000 });
      await app.page.click('nav a[href="#/home"]');
      await app.page.getByRole('status').filter({ hasText: 'Connected through From-Dad' }).waitFor({ timeout: 15_000 });
      expect(await curlThrough(app.api)).toBe(demo.body);
    } finally {
      await app.close();
    }
  });

  it('power user: test all → pin a server → traffic goes through it, checked at the bridge', { timeout: 60_000 }, async () => {
    const app = await startApp('power', true);
    try {
      await app.page.getByRole('button', { name: 'Connect', exact: true }).click();
      await app.page.getByRole('status').filter({ hasText: 'Connected through' }).waitFor({ timeout: 15_000 });
      await app.page.click('nav a[href="#/servers"]');
      await app.page.getByRole('button', { name: 'Test all' }).click();
      await app.page.getByText(/Test finished: 5 checked/).waitFor({ timeout: 20_000 });
      const current = app.api.running!.state().current!;
      const other = app.api.running!.servers().find((s) => s.id !== current.id && demo.working.includes(s.entry.label ?? ''))!;
      await app.page.getByRole('button', { name: `Pin ${other.entry.label}` }).click();
      await app.page.waitForFunction(() => true);
      await expect.poll(() => app.api.running!.state().current?.id, { timeout: 5000 }).toBe(other.id);
      const b = app.api.running!.bridgeInfo()!;
      const before = b.stats().upstreams.find((u) => u.id.startsWith(other.id))?.bytesDown ?? 0;
      expect(await curlThrough(app.api)).toBe(demo.body);
      const after = b.stats().upstreams.find((u) => u.id.startsWith(other.id))?.bytesDown ?? 0;
      expect(after).toBeGreaterThan(before);
      await app.page.screenshot({ path: join(SHOTS, 'real-engine-servers-pinned.png'), fullPage: true });
    } catch (err) {
      await app.page.screenshot({ path: join(SHOTS, 'real-engine-power-FAILED.png'), fullPage: true });
      throw err;
    } finally {
      await app.close();
    }
  });
});
