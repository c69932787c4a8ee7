// Real browsers (Debian's firefox-esr and chromium), found by Porthole's detection and started by its
// launcher with its profile, load a page through the real bridge by a name that only the proxy side can
// resolve, and take a screenshot (test-results/browsers/*.png).
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bridge } from '../../electron/core/bridge/index.ts';
import { startBridge } from '../../electron/core/bridge/index.ts';
import type { DetectedBrowser } from '../../electron/core/browsers/catalog.ts';
import { detectBrowsers } from '../../electron/core/browsers/detect.ts';
import { disablePortholeInProfile, enablePortholeInProfile } from '../../electron/core/browsers/firefox-usual.ts';
import { launchBrowser } from '../../electron/core/browsers/launch.ts';
import { createNodeRunner } from '../../electron/core/browsers/node-runner.ts';
import type { DetachedProcess } from '../../electron/core/browsers/runner.ts';
import { realHost } from '../../electron/core/browsers/real-host.ts';
import { directUpstream } from './helpers/direct-upstream.ts';
import type { PageServer } from './helpers/page-server.ts';
import { PAGE_RGB, PAGE_TITLE, startPageServer } from './helpers/page-server.ts';
import { colourShare, decodePng } from './helpers/png.ts';

const NAME = 'only-proxy.porthole.test';
const SHOTS = path.resolve('test-results', 'browsers');
let bridge: Bridge;
let dataDir: string;
let found: DetectedBrowser[];
const runner = createNodeRunner();

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'porthole-real-'));
  await mkdir(SHOTS, { recursive: true });
  found = await detectBrowsers(realHost());
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

function installed(id: DetectedBrowser['id']): DetectedBrowser {
  const browser = found.find((b) => b.id === id);
  expect(browser, `${id} must be installed (scripts/install-peers)`).toBeDefined();
  return browser as DetectedBrowser;
}

interface Start {
  port: number;
  url: string;
  shot: string;
}

/** Starts a browser (via `start`) that must load the test page through a fresh bridge, screenshot it and exit. */
async function loadThroughBridge<T extends { process: DetachedProcess }>(name: string, start: (s: Start) => Promise<T>): Promise<T> {
  const page: PageServer = await startPageServer();
  const upstream = directUpstream({ [NAME]: '127.0.0.1' });
  bridge = await startBridge({ host: '127.0.0.1', port: 0, candidates: () => [upstream] });
  const shot = path.join(SHOTS, `${name}.png`);
  await rm(shot, { force: true });
  try {
    const launched = await start({ port: bridge.port, url: `http://${NAME}:${page.port}/`, shot });
    const exit = await Promise.race([launched.process.exited, new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`${name} did not finish`)), 40_000).unref())]);
    expect(exit.code).toBe(0);

    // The page arrived through the bridge: the proxy was asked for the name, the server saw that Host,
    // the browser ran the page's script, and the bridge counted the bytes.
    expect(await page.seen(5000)).toBe(PAGE_TITLE);
    expect(upstream.seen).toContain(`${NAME}:${page.port}`);
    expect(page.requests.map((r) => r.path)).toEqual(expect.arrayContaining(['/', `/seen?title=${encodeURIComponent(PAGE_TITLE)}`]));
    for (const r of page.requests) expect(r.host).toBe(`${NAME}:${page.port}`);
    const stats = bridge.stats().upstreams.find((u) => u.id === 'test-direct');
    expect(stats?.connections).toBeGreaterThanOrEqual(1);
    expect(stats?.bytesDown).toBeGreaterThan(400);

    // The screenshot shows the page.
    const img = decodePng(await readFile(shot));
    expect(img.width).toBeGreaterThan(300);
    expect(colourShare(img, PAGE_RGB)).toBeGreaterThan(0.5);
    return launched;
  } finally {
    await bridge.close();
    await page.close();
  }
}

describe('real browsers through the bridge', () => {
  it("Firefox ESR with Porthole's profile (SOCKS5, remote DNS)", { timeout: 50_000 }, async () => {
    const launched = await loadThroughBridge('firefox-esr', ({ port, url, shot }) =>
      launchBrowser(
        installed('firefox-esr'),
        {
          dataDir,
          port,
          url,
          extraArgs: ['--headless', '--screenshot', shot, '--window-size=1000,700'],
          // Tests only: lets Firefox proxy 127.0.0.1 pages too (this page is reached by name, through the proxy).
          extraPrefs: { 'network.proxy.allow_hijacking_localhost': true },
        },
        runner,
      ),
    );
    expect(launched.args.slice(0, 2)).toEqual(['-profile', path.join(dataDir, 'browsers', 'firefox-esr-profile')]);
  });

  it('Chromium with its own user-data-dir (socks5 proxy-server, no local resolution)', { timeout: 50_000 }, async () => {
    const launched = await loadThroughBridge('chromium', ({ port, url, shot }) =>
      launchBrowser(
        installed('chromium'),
        {
          dataDir,
          port,
          url,
          extraArgs: [
            '--headless',
            `--screenshot=${shot}`,
            '--window-size=1000,700',
            ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
            '--proxy-bypass-list=<-loopback>',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--disable-gpu',
            '--disable-quic',
          ],
        },
        runner,
      ),
    );
    expect(launched.args).toContain(`--proxy-server=socks5://127.0.0.1:${bridge.port}`);
  });

  it('"use Porthole in my usual Firefox": the block works in real Firefox, and turning it off undoes it', { timeout: 50_000 }, async () => {
    const profile = path.join(dataDir, 'users-own-profile');
    await mkdir(profile, { recursive: true });
    const userJs = '// my own settings\nuser_pref("browser.startup.page", 3);\n';
    await writeFile(path.join(profile, 'user.js'), userJs);
    const firefox = installed('firefox-esr');
    await loadThroughBridge('firefox-esr-usual-profile', async ({ port, url, shot }) => {
      await enablePortholeInProfile(profile, { port });
      return { process: await runner.spawnDetached(firefox.command, ['-profile', profile, '--headless', '--screenshot', shot, '--window-size=1000,700', url]) };
    });
    // Firefox saved the block's values into prefs.js on exit; turning off puts the profile back.
    expect(await readFile(path.join(profile, 'prefs.js'), 'utf8')).toContain('user_pref("network.proxy.type", 1);');
    await disablePortholeInProfile(profile);
    expect(await readFile(path.join(profile, 'user.js'), 'utf8')).toBe(userJs);
    const prefsJs = await readFile(path.join(profile, 'prefs.js'), 'utf8');
    expect(prefsJs).not.toMatch(/network\.proxy\.(type|socks)/);
    expect(prefsJs).toContain('user_pref("browser.startup.page", 3);');
  });
});
