// The shell's logic pieces, without Electron.
import { mkdtempSync, mkdirSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { ApiEvent } from '../../../shared/api.ts';
import { MAX_IMPORT_TEXT } from '../../../shared/api.ts';
import { appProtocolResponse } from '../../../electron/main/app-protocol.ts';
import { ClipboardOffer } from '../../../electron/main/clipboard-offer.ts';
import { importsFromArgv, readPortholeFile } from '../../../electron/main/deep-links.ts';
import { ImportInbox } from '../../../electron/main/import-inbox.ts';
import { applyStartAtLogin, autostartEntry } from '../../../electron/main/login-item.ts';
import { installCleanQuit } from '../../../electron/main/quit.ts';
import { createSecretBox } from '../../../electron/main/secrets.ts';
import { isAllowedRequest, secureWebPreferences } from '../../../electron/main/security.ts';
import { trayMenu, trayStatus } from '../../../electron/main/tray-menu.ts';
import { trayLanguage } from '../../../electron/main/tray-strings.ts';
import { FakeApi } from '../fake-api.ts';
import { idleState } from '../fake-data.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'porthole-shell-'));

describe('deep links and .porthole files', () => {
  it('finds porthole:// links and .porthole files on a command line, ignoring the rest', async () => {
    const dir = tmp();
    const file = join(dir, 'from-aunt.porthole');
    writeFileSync(file, '-----BEGIN PORTHOLE LIST-----\nabc\n-----END PORTHOLE LIST-----\n');
    const argv = ['/opt/Porthole/porthole', '--no-sandbox', 'porthole://import?c=PH1-7QRT', file, 'https://example.com', join(dir, 'missing.porthole')];
    expect(await importsFromArgv(argv)).toEqual([
      { text: 'porthole://import?c=PH1-7QRT', origin: 'link' },
      { text: readFileSync(file, 'utf8'), origin: 'file' },
    ]);
  });

  it('refuses huge or binary files', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'big.porthole'), 'x'.repeat(MAX_IMPORT_TEXT + 1));
    writeFileSync(join(dir, 'bin.porthole'), Buffer.from([0x50, 0, 0xff, 0xfe]));
    mkdirSync(join(dir, 'dir.porthole'));
    expect(await readPortholeFile(join(dir, 'big.porthole'))).toBeNull();
    expect(await readPortholeFile(join(dir, 'bin.porthole'))).toBeNull();
    expect(await readPortholeFile(join(dir, 'dir.porthole'))).toBeNull();
  });
});

describe('clipboard offers', () => {
  it('offers a code once, only on focus, and ignores other text', async () => {
    let clipboard = 'hello';
    const offered: string[] = [];
    const api = new FakeApi();
    const offers = new ClipboardOffer({ readText: () => clipboard, isImportable: (t) => api.isImportable(t), offer: (t) => offered.push(t) });
    expect(await offers.onFocus()).toBe(false);
    clipboard = 'Here: PH1-7QRT-M2XD-K4ZA';
    expect(await offers.onFocus()).toBe(true);
    expect(await offers.onFocus()).toBe(false);
    clipboard = 'porthole://import?c=PH1-NEW1';
    expect(await offers.onFocus()).toBe(true);
    expect(offered).toEqual(['Here: PH1-7QRT-M2XD-K4ZA', 'porthole://import?c=PH1-NEW1']);
  });
});

describe('import inbox', () => {
  it('holds links until the page is ready, drops clipboard offers meanwhile, then shows the window', () => {
    const sent: ApiEvent[] = [];
    const show = vi.fn();
    const inbox = new ImportInbox((e) => sent.push(e), show);
    inbox.push({ text: 'porthole://a', origin: 'link' });
    inbox.push({ text: 'PH1-X', origin: 'clipboard' });
    expect(sent).toEqual([]);
    inbox.pageReady();
    expect(sent).toEqual([{ type: 'import-request', text: 'porthole://a', origin: 'link' }]);
    expect(show).toHaveBeenCalledTimes(1);
    inbox.push({ text: 'PH1-Y', origin: 'clipboard' });
    expect(sent.at(-1)).toEqual({ type: 'import-request', text: 'PH1-Y', origin: 'clipboard' });
    expect(show).toHaveBeenCalledTimes(1);
    inbox.pageGone();
    inbox.push({ text: 'porthole://b', origin: 'file' });
    expect(sent).toHaveLength(2);
  });
});

describe('tray', () => {
  it('shows the status in the chosen language and the right quick actions', () => {
    const actions = { show: vi.fn(), connect: vi.fn(), disconnect: vi.fn(), openBrowser: vi.fn(), quit: vi.fn() };
    const idle = trayMenu(idleState(), 'en', actions);
    expect(idle.map((i) => i.label ?? '—')).toEqual(['Not connected', '—', 'Open Porthole', 'Connect', 'Open Firefox', 'Open Chrome', 'Open Telegram', '—', 'Quit Porthole']);
    expect(idle.find((i) => i.label === 'Open Firefox')?.enabled).toBe(false);
    const connected = { ...idleState(), phase: 'connected' as const, current: { serverId: 'fra-2', label: 'Frankfurt-2', latencyMs: 84, reason: 'fastest' as const } };
    const ru = trayMenu(connected, 'ru', actions);
    expect(ru[0]?.label).toBe('Подключено через Frankfurt-2');
    ru.find((i) => i.label === 'Отключиться')?.click?.();
    expect(actions.disconnect).toHaveBeenCalled();
    ru.find((i) => i.label === 'Открыть Firefox')?.click?.();
    expect(actions.openBrowser).toHaveBeenCalledWith('firefox');
    expect(trayStatus(null, 'kk')).toBe('Қосылмаған');
  });

  it('picks the tray language from the setting or the system', () => {
    expect(trayLanguage('kk', ['ru-RU'])).toBe('kk');
    expect(trayLanguage('auto', ['de-DE', 'ru-RU'])).toBe('ru');
    expect(trayLanguage('auto', ['fa-IR'])).toBe('en');
  });
});

describe('clean quit', () => {
  function fakeApp() {
    const listeners: Array<(e: { preventDefault(): void }) => void> = [];
    return {
      exit: vi.fn(),
      on: (_: 'before-quit', l: (e: { preventDefault(): void }) => void) => listeners.push(l),
      quit() {
        let prevented = false;
        listeners.forEach((l) => l({ preventDefault: () => { prevented = true; } }));
        return prevented;
      },
    };
  }

  it('holds the quit until the engine stopped (system proxy restored), then exits', async () => {
    const app = fakeApp();
    let release = () => {};
    const stop = vi.fn(() => new Promise<void>((r) => { release = r; }));
    installCleanQuit(app, stop);
    expect(app.quit()).toBe(true);
    expect(app.quit()).toBe(true);
    expect(stop).toHaveBeenCalledTimes(1);
    expect(app.exit).not.toHaveBeenCalled();
    release();
    await new Promise((r) => setTimeout(r, 0));
    expect(app.exit).toHaveBeenCalledWith(0);
    expect(app.quit()).toBe(false);
  });

  it('a stuck or failing engine does not block quitting', async () => {
    const app = fakeApp();
    installCleanQuit(app, () => new Promise(() => {}), 20);
    app.quit();
    await new Promise((r) => setTimeout(r, 50));
    expect(app.exit).toHaveBeenCalledWith(0);
    const app2 = fakeApp();
    installCleanQuit(app2, async () => { throw new Error('x'); });
    app2.quit();
    await new Promise((r) => setTimeout(r, 0));
    expect(app2.exit).toHaveBeenCalledWith(0);
  });
});

describe('start at login', () => {
  it('writes and removes an XDG autostart entry on Linux', async () => {
    const configDir = tmp();
    const host = { platform: 'linux' as const, execPath: '/opt/Porthole App/porthole', configDir, setLoginItemSettings: vi.fn() };
    await applyStartAtLogin(host, true);
    const file = join(configDir, 'autostart', 'porthole.desktop');
    expect(readFileSync(file, 'utf8')).toContain('Exec="/opt/Porthole App/porthole" --hidden');
    await applyStartAtLogin(host, false);
    expect(existsSync(file)).toBe(false);
    expect(host.setLoginItemSettings).not.toHaveBeenCalled();
  });

  it('uses the OS login item elsewhere', async () => {
    const host = { platform: 'win32' as const, execPath: 'C:\\P\\Porthole.exe', configDir: tmp(), setLoginItemSettings: vi.fn() };
    await applyStartAtLogin(host, true);
    expect(host.setLoginItemSettings).toHaveBeenCalledWith({ openAtLogin: true, args: ['--hidden'] });
    expect(autostartEntry('/usr/bin/porthole')).toContain('Exec=/usr/bin/porthole --hidden');
  });
});

describe('secrets', () => {
  const fakeStorage = (available: boolean, backend = 'gnome_libsecret') => ({
    getSelectedStorageBackend: () => backend as 'gnome_libsecret',
    isEncryptionAvailable: () => available,
    encryptString: (s: string) => Buffer.from([...Buffer.from(s)].map((b) => b ^ 0x5a)),
    decryptString: (b: Buffer) => Buffer.from([...b].map((x) => x ^ 0x5a)).toString(),
  });

  it('seals with safeStorage and opens again; the sealed text does not contain the secret', () => {
    const box = createSecretBox(fakeStorage(true));
    const sealed = box.seal('family-password-1');
    expect(sealed.startsWith('ss1:')).toBe(true);
    expect(sealed).not.toContain('family');
    expect(box.open(sealed)).toBe('family-password-1');
    expect(() => box.open('family-password-1')).toThrow();
  });

  it("counts Linux's basic_text fallback (a key built into Chromium) as no keychain", () => {
    expect(createSecretBox(fakeStorage(true, 'basic_text'), 'linux').available).toBe(false);
    expect(() => createSecretBox(fakeStorage(true, 'basic_text'), 'linux').seal('x')).toThrow(/keychain/);
    expect(createSecretBox(fakeStorage(true, 'kwallet5'), 'linux').available).toBe(true);
    expect(createSecretBox(fakeStorage(true, 'basic_text'), 'win32').available).toBe(true);
  });

  it('refuses to store a secret without an OS keychain', () => {
    const box = createSecretBox(fakeStorage(false));
    expect(box.available).toBe(false);
    expect(() => box.seal('x')).toThrow(/keychain/);
  });
});

describe('window hardening', () => {
  it('renderer runs sandboxed and isolated, without Node', () => {
    const prefs = secureWebPreferences('/app/preload.cjs', false);
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false, devTools: false, webSecurity: true });
  });

  it('loads nothing remote', () => {
    expect(isAllowedRequest('app://porthole/assets/index.js')).toBe(true);
    expect(isAllowedRequest('data:image/png;base64,AAAA')).toBe(true);
    expect(isAllowedRequest('https://example.com/x.js')).toBe(false);
    expect(isAllowedRequest('http://127.0.0.1:8080/')).toBe(false);
    expect(isAllowedRequest('file:///etc/passwd')).toBe(false);
    expect(isAllowedRequest('app://porthole.evil.com/')).toBe(false);
    expect(isAllowedRequest('devtools://devtools/x', false)).toBe(false);
  });

  it('app:// serves only the renderer folder, with the CSP', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'index.html'), '<p>hi</p>');
    writeFileSync(join(tmpdir(), 'outside.html'), 'no');
    const ok = await appProtocolResponse(dir, 'app://porthole/index.html');
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('<p>hi</p>');
    expect(ok.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await appProtocolResponse(dir, 'app://porthole/../outside.html')).status).toBe(404);
    expect((await appProtocolResponse(dir, 'app://porthole/%2e%2e/outside.html')).status).toBe(404);
    expect((await appProtocolResponse(dir, 'app://other/index.html')).status).toBe(404);
  });
});
