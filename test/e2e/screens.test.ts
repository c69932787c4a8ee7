// Every screen in every language, in a real browser against the headless web mode. Screenshots go
// to test-results/screenshots/ for people to look at; the assertions check what a person would.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Language } from '../../shared/api.ts';
import { FAKE_CODES } from '../ui/fake-api.ts';
import { idleState, sampleServers, sampleSettings } from '../ui/fake-data.ts';
import { startHarness } from './harness.ts';
import type { Harness } from './harness.ts';

const SHOTS = join(import.meta.dirname, '..', '..', 'test-results', 'screenshots');
const LOCALES: Record<Language, string> = { en: 'en-US', ru: 'ru-RU', kk: 'kk-KZ' };
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
}

async function open(lang: Language, view = 'home', viewport = { width: 1100, height: 820 }): Promise<{ page: Page; problems: string[] }> {
  const context = await h.browser.newContext({ locale: LOCALES[lang], viewport, reducedMotion: 'reduce' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));
  // Anything but our own server is a bug (no remote content).
  await context.route((url) => !url.href.startsWith(h.server.origin), (route) => { problems.push(`blocked ${route.request().url()}`); return route.abort(); });
  await page.goto(h.server.url);
  await page.waitForSelector('main#main');
  if (view !== 'home') await page.click(`nav a[href="#/${view}"]`);
  return { page, problems };
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function setState(page: Page, patch: Parameters<Harness['api']['setState']>[0], text: string | RegExp): Promise<void> {
  h.api.setState(patch);
  await page.locator('.status-card').filter({ hasText: text }).waitFor();
}

describe.each(['en', 'ru', 'kk'] as const)('screens in %s', (lang) => {
  it('home: idle, searching, connected, nothing works', async () => {
    reset();
    const { page, problems } = await open(lang);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
    await shot(page, `${lang}-home-idle`);
    await setState(page, { phase: 'searching', progress: { tested: 37, total: 120, running: true } }, /37/);
    await shot(page, `${lang}-home-searching`);
    await setState(page, {
      phase: 'connected', progress: { tested: 120, total: 120, running: false },
      current: { serverId: 'fra-2', label: 'Frankfurt-2', country: 'DE', latencyMs: 84, reason: 'fastest' },
      bridge: { socks: { host: '127.0.0.1', port: 1080 }, http: { host: '127.0.0.1', port: 1080 } },
    }, /Frankfurt-2/);
    await shot(page, `${lang}-home-connected`);
    await setState(page, { phase: 'offline', offlineReason: 'all-failed', current: null, bridge: null }, /./);
    await page.locator('.help').waitFor();
    await shot(page, `${lang}-home-offline`);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('paste: a code from a new publisher asks to compare words', async () => {
    reset();
    const { page, problems } = await open(lang, 'paste');
    await shot(page, `${lang}-paste-empty`);
    await page.locator('textarea').fill(`Салем! ${FAKE_CODES.untrusted}`);
    await page.locator('form button[type=submit]').click();
    await page.getByRole('alertdialog').waitFor();
    await shot(page, `${lang}-paste-needs-trust`);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('servers, with a share panel', async () => {
    reset();
    const { page, problems } = await open(lang, 'servers');
    await page.locator('table').waitFor();
    await shot(page, `${lang}-servers`);
    await page.locator('input[type=checkbox]').nth(0).check();
    await page.locator('input[type=checkbox]').nth(1).check();
    await page.locator('.toolbar button').nth(1).click();
    await page.locator('.share-qr').waitFor();
    await shot(page, `${lang}-servers-share`);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('sources and settings', async () => {
    reset();
    const { page, problems } = await open(lang, 'sources');
    await page.locator('.channels-table').waitFor();
    await shot(page, `${lang}-sources`);
    await page.click('nav a[href="#/settings"]');
    await page.locator('.settings form').waitFor();
    await page.locator('input[type=checkbox]').nth(1).check(); // LAN sharing shows the credentials
    await shot(page, `${lang}-settings`);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});

describe('in a real browser', () => {
  it('one button connects, and the status says through which server', async () => {
    reset();
    const { page, problems } = await open('en');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Connected through Frankfurt-2, 84 ms' }).waitFor();
    expect(await page.getByRole('button', { name: 'Open Firefox' }).isEnabled()).toBe(true);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('a relative\'s code pasted as a whole message gets the user connected', async () => {
    reset();
    const { page } = await open('ru', 'paste');
    await page.getByLabel('Сообщение, которое вы получили').fill(`Мама, вот код: ${FAKE_CODES.good} — вставь в Porthole`);
    await page.getByRole('button', { name: 'Добавить и подключиться' }).click();
    await page.getByText('Добавлен 1 сервер.').waitFor();
    await page.click('nav a[href="#/home"]');
    await page.getByRole('status').filter({ hasText: 'Подключено через' }).waitFor();
    await page.context().close();
  });

  it('is keyboard usable: skip link, tab to the big button, Enter connects', async () => {
    reset();
    const { page } = await open('en');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Connect');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).toBe('solid');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Connected through' }).waitFor();
    await page.context().close();
  });

  it('at 200% zoom nothing needs horizontal scrolling except the tables\' own scroll areas', async () => {
    reset();
    for (const view of ['home', 'paste', 'servers', 'settings']) {
      const { page } = await open('kk', view, { width: 550, height: 410 });
      await page.waitForTimeout(50);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, view).toBeLessThanOrEqual(0);
      await shot(page, `kk-zoom200-${view}`);
      await page.context().close();
    }
  });

  it('mirrors under dir="rtl" (ready for Persian)', async () => {
    reset();
    const { page } = await open('en', 'servers');
    await page.evaluate(() => { document.documentElement.dir = 'rtl'; });
    const nav = await page.locator('.nav-list').boundingBox();
    const brand = await page.locator('.brand').boundingBox();
    expect(brand!.x).toBeGreaterThan(nav!.x);
    await shot(page, 'rtl-servers');
    await page.context().close();
  });

  it('refuses to work without the token', async () => {
    const context = await h.browser.newContext();
    const page = await context.newPage();
    await page.goto(h.server.origin + '/');
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('Open Porthole from the link it printed');
    await context.close();
  });
});
