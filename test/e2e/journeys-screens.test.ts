// The power user's screens in kk/ru/en at 1280×800, 390×844 and 200% zoom (640×400 CSS pixels at
// scale 2), in Chromium: the server table keeps the name and the actions in view, shows pinned
// state and tests in progress; the share panel wraps and counts SMS; errors and numbers are
// humanized; Kazakh names Kazakhstan in Kazakh; dark mode follows the system. Screenshots go to
// test-results/screenshots/journeys-*.png for people to look at.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Language } from '../../shared/api.ts';
import { FAKE_CODES } from '../ui/fake-api.ts';
import { idleState, sampleServers, sampleSettings, sampleChannels, PUBLISHER_KZ, PUBLISHER_RU } from '../ui/fake-data.ts';
import { startHarness } from './harness.ts';
import type { Harness } from './harness.ts';

const SHOTS = join(import.meta.dirname, '..', '..', 'test-results', 'screenshots');
const LOCALES: Record<Language, string> = { en: 'en-US', ru: 'ru-RU', kk: 'kk-KZ' };
const SIZES = {
  desktop: { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 },
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 },
  zoom200: { viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 },
} as const;
const UNPIN: Record<Language, string> = { en: 'Unpin', ru: 'Открепить', kk: 'Бекітуді алу' };
const TESTING: Record<Language, string> = { en: 'testing…', ru: 'проверка…', kk: 'тексерілуде…' };
const UNDER_MS: Record<Language, string> = { en: 'under 1 ms', ru: 'меньше 1 мс', kk: '1 мс-тен аз' };
let h: Harness;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  h = await startHarness();
  h.api.realisticShare = true;
}, 180_000);
afterAll(async () => h?.close());

function reset(): void {
  h.api.state = idleState();
  const servers = sampleServers();
  servers[0] = { ...servers[0]!, pinned: true };
  servers[1] = { ...servers[1]!, status: 'testing' };
  servers[2] = { ...servers[2]!, latencyMs: 0.4 };
  h.api.servers = servers;
  h.api.settings = sampleSettings();
  const channels = sampleChannels();
  channels[3] = { ...channels[3]!, status: 'error', message: 'connect ECONNREFUSED 127.0.0.1:8443' };
  channels[channels.length - 1] = { ...channels[channels.length - 1]!, status: 'error', listVersion: null, message: "ENOENT: no such file or directory, open '/home/aigerim/lists-march.porthole'" };
  h.api.sources = { channels, publishers: [{ ...PUBLISHER_KZ, listVersion: 1764650000 }, PUBLISHER_RU], refreshing: false };
}

async function open(lang: Language, size: keyof typeof SIZES, view: string, colorScheme: 'light' | 'dark' = 'light'): Promise<{ page: Page; problems: string[] }> {
  const context = await h.browser.newContext({ locale: LOCALES[lang], ...SIZES[size], reducedMotion: 'reduce', colorScheme });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));
  await context.route((url) => !url.href.startsWith(h.server.origin), (route) => { problems.push(`blocked ${route.request().url()}`); return route.abort(); });
  await page.goto(h.server.url);
  await page.waitForSelector('main#main');
  if (view !== 'home') await page.click(`nav a[href="#/${view}"]`);
  return { page, problems };
}

const shot = (page: Page, name: string): Promise<Buffer> => page.screenshot({ path: join(SHOTS, `journeys-${name}.png`), fullPage: true });

/** Whether the element's centre is inside the scroller's visible box and the element is what is drawn there. */
async function visibleInScroller(page: Page, selector: string, index: number): Promise<boolean> {
  return page.evaluate(([sel, i]) => {
    const el = document.querySelectorAll(sel as string)[i as number] as HTMLElement | undefined;
    const scroller = document.querySelector('.table-scroll') as HTMLElement;
    if (!el) return false;
    const r = el.getBoundingClientRect();
    const s = scroller.getBoundingClientRect();
    const x = r.left + r.width / 2;
    if (x < s.left || x > s.right || x > window.innerWidth) return false;
    el.scrollIntoView({ block: 'center', inline: 'nearest' });
    const r2 = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r2.left + r2.width / 2, r2.top + r2.height / 2);
    return hit !== null && (el === hit || el.contains(hit));
  }, [selector, index] as const);
}

describe.each(['en', 'ru', 'kk'] as const)('journeys screens in %s', (lang) => {
  it.each(Object.keys(SIZES) as (keyof typeof SIZES)[])('servers at %s: name and actions in view, Unpin, test in progress, never "0 ms"', async (size) => {
    reset();
    const { page, problems } = await open(lang, size, 'servers');
    await page.locator('table.servers-table').waitFor();
    await shot(page, `${lang}-${size}-servers`);
    const rows = await page.locator('tbody tr').count();
    expect(rows).toBeGreaterThan(5);
    for (let i = 0; i < rows; i++) {
      expect(await visibleInScroller(page, 'tbody .server-name', i), `name of row ${i}`).toBe(true);
      expect(await visibleInScroller(page, 'tbody .row-actions button[aria-pressed]', i), `pin button of row ${i}`).toBe(true);
    }
    // scrolled to the far end, the names are still there
    await page.locator('.table-scroll').evaluate((el) => { el.scrollLeft = el.scrollWidth; });
    for (let i = 0; i < rows; i++) expect(await visibleInScroller(page, 'tbody .server-name', i), `name of row ${i}, scrolled`).toBe(true);
    if (size === 'desktop') {
      // 1280×800 fits the whole table: nothing to scroll sideways
      expect(await page.locator('.table-scroll').evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(1);
    }
    const first = page.locator('tbody tr').filter({ hasText: 'Frankfurt-2' });
    expect(await first.locator('button[aria-pressed="true"]').textContent()).toBe(UNPIN[lang]);
    expect(await page.locator('tbody tr[aria-busy="true"] .badge-testing').textContent()).toBe(TESTING[lang]);
    const latencies = await page.locator('tbody .latency-value').allTextContents();
    expect(latencies).toContain(UNDER_MS[lang]);
    expect(latencies.some((l) => /^0\s/.test(l))).toBe(false);
    if (lang === 'kk') {
      expect(await page.locator('tbody').textContent()).toContain('Қазақстан');
      expect(await page.locator('tbody').textContent()).not.toContain('Казахстан');
    }
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it.each(Object.keys(SIZES) as (keyof typeof SIZES)[])('share on several servers at %s: wraps, counts SMS, offers the short form', async (size) => {
    reset();
    const { page, problems } = await open(lang, size, 'servers');
    await page.locator('table.servers-table').waitFor();
    for (let i = 0; i < 3; i++) await page.locator('tbody input[type=checkbox]').nth(i).check();
    await page.locator('.toolbar button').nth(1).click();
    await page.locator('.share-qr').waitFor();
    const width = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, view: window.innerWidth }));
    expect(width.page).toBeLessThanOrEqual(width.view);
    const fullCode = await page.locator('.share-code').textContent();
    expect(await page.locator('.share-sms').getAttribute('data-sms')).toBe('2');
    await page.locator('.share-panel').scrollIntoViewIfNeeded();
    await shot(page, `${lang}-${size}-share`);
    await page.locator('.share-form input[type=radio]').nth(1).check();
    expect(await page.locator('.share-code').textContent()).not.toBe(fullCode);
    expect(Number(await page.locator('.share-sms').getAttribute('data-sms'))).toBeLessThanOrEqual(2);
    expect(await page.locator('#share-message').inputValue()).toContain(await page.locator('.share-code').textContent() ?? '—');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it.each(Object.keys(SIZES) as (keyof typeof SIZES)[])('sources at %s: no raw error codes, a 10-digit version as a date', async (size) => {
    reset();
    const { page, problems } = await open(lang, size, 'sources');
    await page.locator('.channels-table').waitFor();
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).not.toMatch(/ENOENT|ECONNREFUSED|1764650000/);
    expect(text).toMatch(/2025/);
    await shot(page, `${lang}-${size}-sources`);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('the trust prompt and dark mode', async () => {
    reset();
    const { page, problems } = await open(lang, 'desktop', 'paste', 'dark');
    const bg = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(bg).toBe('rgb(20, 23, 27)');
    await page.locator('textarea').fill(`Салем! ${FAKE_CODES.untrusted}`);
    await page.locator('form button[type=submit]').click();
    await page.getByRole('alertdialog').waitFor();
    const dialog = (await page.getByRole('alertdialog').textContent()) ?? '';
    expect(dialog).toContain('Aunt Gulnara');
    expect(dialog).toContain('gulnara7x2k3m4pq');
    expect(dialog).toContain('4821');
    await shot(page, `${lang}-dark-trust`);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
