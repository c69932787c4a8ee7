// Issue 17's screens in a real browser (headless web mode, FakeApi), in kk, ru and en, at 1280×800,
// 390×844 and 200% zoom: a fresh install leads with "Paste a code" and imports a .porthole file
// right on Home; offline, the search goes on with a countdown and "Try again" starts one; Open Chrome
// that fails says why, with the address to copy; Settings shows the port the bridge really uses.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Language } from '../../shared/api.ts';
import { FAKE_CODES } from '../ui/fake-api.ts';
import { idleState, sampleServers, sampleSettings } from '../ui/fake-data.ts';
import { en } from '../../renderer/src/i18n/en.ts';
import { kk } from '../../renderer/src/i18n/kk.ts';
import { ru } from '../../renderer/src/i18n/ru.ts';
import { startHarness, type Harness } from './harness.ts';

const SHOTS = join(import.meta.dirname, '..', '..', 'test-results', 'screenshots');
const LOCALES: Record<Language, string> = { en: 'en-US', ru: 'ru-RU', kk: 'kk-KZ' };
const TEXT = { en, ru, kk } as const;
const SIZES = [
  { name: '1280', viewport: { width: 1280, height: 800 }, scale: 1 },
  { name: '390', viewport: { width: 390, height: 844 }, scale: 1 },
  { name: 'zoom200', viewport: { width: 640, height: 400 }, scale: 2 },
] as const;
const BRIDGE = { socks: { host: '127.0.0.1', port: 1081 }, http: { host: '127.0.0.1', port: 1081 } };
let h: Harness;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  h = await startHarness();
}, 120_000);
afterAll(async () => h?.close());

function reset(): void {
  h.api.state = idleState();
  h.api.servers = sampleServers();
  h.api.settings = sampleSettings();
  h.api.openResults = {};
}

async function open(lang: Language, size: (typeof SIZES)[number], view = 'home'): Promise<{ page: Page; problems: string[] }> {
  const context = await h.browser.newContext({ locale: LOCALES[lang], viewport: size.viewport, deviceScaleFactor: size.scale, reducedMotion: 'reduce' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.server.origin });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  await context.route((url) => !url.href.startsWith(h.server.origin), (route) => { problems.push(`blocked ${route.request().url()}`); return route.abort(); });
  await page.goto(h.server.url);
  await page.waitForSelector('main#main');
  if (view !== 'home') await page.click(`nav a[href="#/${view}"]`);
  return { page, problems };
}

async function check(page: Page, name: string): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${name}: horizontal overflow`).toBeLessThanOrEqual(0);
  await page.screenshot({ path: join(SHOTS, `resilience-${name}.png`), fullPage: true });
}

describe.each(['en', 'ru', 'kk'] as const)('issue 17 screens in %s', { timeout: 60_000 }, (lang) => {
  const t = TEXT[lang].resilience;

  it('fresh install: "Paste a code" leads, and a .porthole file dropped on Home imports and starts the search', async () => {
    for (const size of SIZES) {
      reset();
      h.api.servers = [];
      const { page, problems } = await open(lang, size);
      await page.getByRole('status').filter({ hasText: t.freshHeadline }).waitFor();
      expect(await page.getByRole('button', { name: t.pasteCode, exact: true }).count()).toBe(1);
      await check(page, `${lang}-fresh-${size.name}`);
      if (size.name === '1280') {
        await page.locator('[data-testid="qr-drop"] input[type="file"]').setInputFiles({ name: 'from-mom.porthole', mimeType: '', buffer: Buffer.from(`From mom: ${FAKE_CODES.good}`) });
        await page.getByRole('status').filter({ hasNotText: t.freshHeadline }).waitFor();
        expect(h.api.calls.some((c) => c.method === 'importText')).toBe(true);
        await check(page, `${lang}-fresh-after-import-${size.name}`);
        await expect.poll(() => h.api.state.phase, { timeout: 10_000 }).not.toBe('searching');
      }
      expect(problems).toEqual([]);
      await page.context().close();
    }
  });

  it('offline: the search goes on with a countdown, and "Try again" starts a new one', async () => {
    for (const size of SIZES) {
      reset();
      h.api.setState({ phase: 'offline', offlineReason: 'all-failed', retryAt: new Date(Date.now() + 50_000).toISOString() });
      const { page } = await open(lang, size);
      await page.getByRole('status').filter({ hasText: t.searchingOn }).waitFor();
      expect(await page.getByRole('status').textContent()).toMatch(/(4\d|50)/);
      await check(page, `${lang}-offline-searching-${size.name}`);
      await page.context().close();
    }
    const { page } = await open(lang, SIZES[0]);
    const before = h.api.calls.filter((c) => c.method === 'connect').length;
    await page.getByRole('button', { name: TEXT[lang].home.tryAgain }).click();
    await expect.poll(() => h.api.calls.filter((c) => c.method === 'connect').length).toBe(before + 1);
    // The fake's search round ends by itself: let it, so it does not change the next test's state.
    await expect.poll(() => h.api.state.phase, { timeout: 10_000 }).not.toBe('searching');
    await page.context().close();
  });

  it('Open Chrome fails: why in plain words, and the address to copy', async () => {
    for (const size of SIZES) {
      reset();
      h.api.setState({ phase: 'connected', bridge: BRIDGE, current: { serverId: 'fra-2', label: 'Frankfurt-2', latencyMs: 84, reason: 'fastest' } });
      h.api.openResults.chrome = { ok: false, reason: 'failed', message: 'Chromium closed right after it started (exit code 1)' };
      const { page } = await open(lang, size);
      await page.getByRole('button', { name: TEXT[lang].apps.open.chrome }).click();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toContain('127.0.0.1:1081');
      await alert.getByRole('button', { name: t.copy }).click();
      await page.getByText(t.copied).waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('127.0.0.1:1081');
      await check(page, `${lang}-open-failed-${size.name}`);
      await page.context().close();
    }
  });

  it('Settings: the port the bridge really uses, and one held by another program', async () => {
    for (const size of SIZES) {
      reset();
      h.api.setState({ phase: 'connected', bridge: BRIDGE, portConflict: { wanted: 1080, using: 1081 } });
      const { page } = await open(lang, size, 'settings');
      await page.getByText(/1080/).filter({ hasText: /1081/ }).first().waitFor();
      await check(page, `${lang}-settings-port-${size.name}`);
      await page.context().close();
    }
  });
});
