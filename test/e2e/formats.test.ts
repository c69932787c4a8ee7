// Paste and Add server take every format people pass around, with the REAL engine behind the
// headless web mode, in Debian's Chromium: share links of every kind, a base64 subscription,
// Clash YAML and sing-box JSON; bad lines are named with their reason, kinds Porthole cannot speak
// are kept and shown as such, insecure TLS is flagged. Screenshots in kk, ru and en at 1280x800,
// 390x844 and 200% zoom go to test-results/screenshots/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ApiService } from '../../electron/core/engine/api/service.ts';
import { startDemo, type DemoSetup } from '../../electron/core/engine/demo.ts';
import { generateToken, serveApiOverHttp, type UiServer } from '../../electron/core/ui-server/index.ts';
import { buildRenderer, CHROMIUM_ARGS } from './harness.ts';

const NO_KEYCHAIN = { available: false, seal: (s: string) => s, open: (s: string) => s };
const SHOTS = join(import.meta.dirname, '..', '..', 'test-results', 'screenshots');
const UUID = 'b831381d-6324-4d53-ad4f-8cda48b30811';
const LOCALES = { en: 'en-US', ru: 'ru-RU', kk: 'kk-KZ' } as const;
const SIZES = { desktop: { width: 1280, height: 800, scale: 1 }, phone: { width: 390, height: 844, scale: 1 }, zoom200: { width: 640, height: 400, scale: 2 } } as const;

let dir: string;
let staticDir: string;
let browser: Browser;
let demo: DemoSetup;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  dir = await mkdtemp(join(tmpdir(), 'porthole-e2e-formats-'));
  [staticDir, demo, browser] = await Promise.all([
    buildRenderer(),
    startDemo(join(dir, 'demo')),
    chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true }),
  ]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  await rm(dir, { recursive: true, force: true });
  if (staticDir) await rm(staticDir, { recursive: true, force: true });
});

const vmess = Buffer.from(JSON.stringify({ v: '2', ps: 'VMess WS', add: 'vm.example', port: '443', id: UUID, aid: '0', net: 'ws', path: '/vm', tls: 'tls' })).toString('base64');
function telegramPost(): string {
  return [
    'Fresh servers for today 👇',
    `vless://${UUID}@cdn.example.com:443?security=tls&sni=cdn.example.com&type=ws&path=%2Fv#VLESS CDN`,
    'trojan://secret@tr.example:443?allowInsecure=1#Trojan self-signed',
    `vmess://${vmess}`,
    'vless://not-a-uuid@broken.example:443?security=tls#Broken',
    'hysteria2://auth@hy.example:443#Hysteria',
    `socks5://127.0.0.1:${demo.proxies.fast}#Local SOCKS`,
    'MTProto: tg://proxy?server=mt.example&port=443&secret=dd0123456789abcdef0123456789abcdef',
  ].join('\n');
}

async function startApp(name: string, lang: keyof typeof LOCALES, size: keyof typeof SIZES = 'desktop') {
  const api = new ApiService({ dataDir: join(dir, name), secrets: NO_KEYCHAIN }, {
    listen: { host: '127.0.0.1', port: 0 }, pinned: [demo.chain], skipBootstrap: true, probe: { defaultProbeUrls: [demo.pageUrl] },
  });
  await api.start();
  const ui: UiServer = await serveApiOverHttp(api, { token: generateToken(), staticDir, port: 0 });
  const s = SIZES[size];
  const context = await browser.newContext({ locale: LOCALES[lang], viewport: { width: s.width, height: s.height }, deviceScaleFactor: s.scale, reducedMotion: 'reduce' });
  const problems: string[] = [];
  await context.route((url) => !url.href.startsWith(ui.origin), (route) => { problems.push(`blocked ${route.request().url()}`); return route.abort(); });
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(ui.url);
  await page.waitForSelector('main#main');
  return {
    api, page, problems,
    async close() {
      await context.close();
      await ui.close();
      await api.stop();
    },
  };
}

async function go(page: Page, view: string): Promise<void> {
  await page.click(`nav a[href="#/${view}"]`);
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

describe('Paste and Add server read every format (real engine, Chromium)', () => {
  it('paste: a whole Telegram post of links → own servers, the bad line named, unsupported kept, insecure flagged', { timeout: 90_000 }, async () => {
    const app = await startApp('paste-en', 'en');
    try {
      await go(app.page, 'paste');
      await app.page.getByLabel('The message you received').fill(telegramPost());
      await app.page.getByRole('button', { name: 'Add and connect' }).click();
      const note = app.page.getByRole('status').filter({ hasText: 'servers of your own' });
      await note.waitFor({ timeout: 20_000 });
      const text = await note.innerText();
      expect(text).toContain('Added 6 servers of your own.');
      expect(text).toContain('1 of them needs a protocol Porthole doesn’t speak yet');
      expect(text).toContain('1 line could not be read:');
      expect(text).toMatch(/Line 5:\s*the vless:\/\/ user id is not a UUID/);
      await shot(app.page, 'en-formats-paste-added');

      await go(app.page, 'servers');
      const table = app.page.locator('.servers-table');
      await table.getByText('Needs hysteria2: a protocol Porthole doesn’t speak yet').waitFor();
      const trojanRow = table.locator('tr', { hasText: 'Trojan self-signed' });
      expect(await trojanRow.getByText('certificate not checked').isVisible()).toBe(true);
      expect(await table.locator('tr', { hasText: 'mt.example' }).getByText('Telegram only').count()).toBe(1);
      expect(await table.locator('tr', { hasText: 'Hysteria' }).getByRole('button', { name: /^Use/ }).isDisabled()).toBe(true);
      // The one reachable server (the local SOCKS5 proxy) is tested and works; the others are never dialled as the bridge.
      await table.locator('tr', { hasText: 'Local SOCKS' }).locator('.latency-value').filter({ hasText: /\d+ ms/ }).waitFor({ timeout: 30_000 });
      await shot(app.page, 'en-formats-servers');
      expect(app.problems).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('Add server takes Clash YAML, sing-box JSON and a base64 subscription, and says what is wrong with a bad link', { timeout: 90_000 }, async () => {
    const app = await startApp('add-en', 'en');
    try {
      await go(app.page, 'servers');
      const field = app.page.getByLabel('Add your own server');
      const add = app.page.locator('form.add-server').getByRole('button', { name: 'Add' });
      const note = app.page.locator('form.add-server .note');
      const clash = `proxies:\n  - {name: clash-trojan, type: trojan, server: t.example, port: 443, password: pw}\n  - {name: clash-tuic, type: tuic, server: u.example, port: 443}\n  - {name: clash-bad, type: vmess, server: v.example, port: 443, uuid: nope}\n`;
      await field.fill(clash);
      await add.click();
      await note.filter({ hasText: 'Added 2 servers of your own.' }).waitFor({ timeout: 20_000 });
      expect(await note.innerText()).toMatch(/Line 4:\s*\(proxy "clash-bad"\)|Line 4:\s*.*not a UUID/);

      const singbox = JSON.stringify({ outbounds: [{ type: 'vless', tag: 'sb-vless', server: 'sb.example', server_port: 443, uuid: UUID, tls: { enabled: true } }, { type: 'direct', tag: 'direct' }] });
      await field.fill(singbox);
      await add.click();
      await note.filter({ hasText: 'Added 1 server of your own.' }).waitFor({ timeout: 20_000 });

      const sub = Buffer.from(`ss://${Buffer.from('aes-256-gcm:pw').toString('base64url')}@ss.example:8388#sub-ss\nwireguard://k@wg.example:51820#sub-wg\n`).toString('base64');
      await field.fill(sub);
      await add.click();
      await note.filter({ hasText: 'Added 2 servers of your own.' }).waitFor({ timeout: 20_000 });
      expect(await note.innerText()).toContain('1 of them needs');

      await field.fill('vless://@nowhere.example:443');
      await add.click();
      await note.filter({ hasText: 'no user id' }).waitFor({ timeout: 20_000 });
      await shot(app.page, 'en-formats-add-invalid');

      const names = await app.page.locator('.servers-table th.server-name').allInnerTexts();
      for (const n of ['clash-trojan', 'clash-tuic', 'sb-vless', 'sub-ss', 'sub-wg']) expect(names.some((x) => x.startsWith(n)), n).toBe(true);
      expect(app.problems).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('screens in kk, ru and en at 1280x800, 390x844 and 200% zoom', { timeout: 240_000 }, async () => {
    for (const lang of ['kk', 'ru', 'en'] as const) {
      for (const size of ['desktop', 'phone', 'zoom200'] as const) {
        const app = await startApp(`shots-${lang}-${size}`, lang, size);
        try {
          await go(app.page, 'paste');
          await app.page.locator('textarea.paste-box').fill(telegramPost());
          await app.page.locator('form.paste-form button[type="submit"]').click();
          await app.page.locator('.paste-outcome .import-problems').waitFor({ timeout: 20_000 });
          const overflow = await app.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          expect(overflow, `${lang} ${size} paste`).toBeLessThanOrEqual(0);
          await shot(app.page, `${lang}-formats-paste-${size}`);
          await go(app.page, 'servers');
          await app.page.locator('.servers-table .badge-warn').first().waitFor();
          await shot(app.page, `${lang}-formats-servers-${size}`);
          expect(app.problems).toEqual([]);
        } finally {
          await app.close();
        }
      }
    }
  });
});
