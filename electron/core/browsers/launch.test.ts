// Launch command lines, Telegram links and the exact commands given to the runner.
import { PortholeError } from '../../../shared/errors.ts';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DetectedBrowser } from './catalog.ts';
import { BROWSERS } from './catalog.ts';
import type { HostEnv } from './host-env.ts';
import { launchBrowser, planLaunch } from './launch.ts';
import { openOnBridge } from './open-browser.ts';
import { openTelegramProxy, telegramProxyLink } from './telegram.ts';
import { fakeRunner } from '../../../test/browsers/helpers/fake-runner.ts';
import { memoryFs } from '../../../test/browsers/helpers/memory-fs.ts';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'porthole-launch-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const browser = (id: DetectedBrowser['id'], command: string, baseArgs: string[] = []): DetectedBrowser => ({ ...BROWSERS[id], command, baseArgs, source: 'path' });

describe('command lines', () => {
  it('Chromium family: own user-data-dir, SOCKS5 bridge, no local name resolution, no first-run noise', () => {
    const plan = planLaunch(browser('brave', '/usr/bin/flatpak', ['run', 'com.brave.Browser']), { dataDir, port: 1234, url: 'https://example.org/' });
    expect(plan.args).toEqual([
      'run',
      'com.brave.Browser',
      `--user-data-dir=${path.join(dataDir, 'browsers', 'brave-profile')}`,
      '--proxy-server=socks5://127.0.0.1:1234',
      '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
      '--force-webrtc-ip-handling-policy=disable_non_proxied_udp',
      '--no-first-run',
      '--no-default-browser-check',
      '--',
      'https://example.org/',
    ]);
    expect(plan.command).toBe('/usr/bin/flatpak');
  });

  it('Firefox: its own profile, extra args before the URL', () => {
    const plan = planLaunch(browser('firefox', '/usr/bin/firefox'), { dataDir, port: 1234, url: 'http://a/', extraArgs: ['--headless'] });
    expect(plan.args).toEqual(['-profile', path.join(dataDir, 'browsers', 'firefox-profile'), '--headless', 'http://a/']);
  });

  it('a page address can never become a switch: Chromium gets -- before it, and only http(s) URLs are opened', () => {
    const chromium = planLaunch(browser('chromium', '/usr/bin/chromium'), { dataDir, port: 1, url: 'http://a/' });
    expect(chromium.args.slice(-2)).toEqual(['--', 'http://a/']);
    for (const bad of ['--gpu-launcher=/bin/sh', '-P other', 'file:///etc/passwd', 'javascript:alert(1)']) {
      expect(() => planLaunch(browser('chromium', '/usr/bin/chromium'), { dataDir, port: 1, url: bad }), bad).toThrow(/not a web address|only http/);
      expect(() => planLaunch(browser('firefox', '/usr/bin/firefox'), { dataDir, port: 1, url: bad }), bad).toThrow(/not a web address|only http/);
    }
  });

  it('launchBrowser writes the Firefox profile and then spawns detached', async () => {
    const runner = fakeRunner();
    const launched = await launchBrowser(browser('firefox-esr', '/usr/bin/firefox-esr'), { dataDir, port: 7777 }, runner);
    expect(runner.calls).toEqual([{ cmd: '/usr/bin/firefox-esr', args: ['-profile', launched.profileDir], detached: true }]);
    expect(await readFile(path.join(launched.profileDir, 'user.js'), 'utf8')).toContain('"network.proxy.socks_port", 7777');
  });

  it('launchBrowser creates the Chromium user-data-dir', async () => {
    const launched = await launchBrowser(browser('chromium', '/usr/bin/chromium'), { dataDir, port: 7777 }, fakeRunner());
    expect((await stat(launched.profileDir)).isDirectory()).toBe(true);
  });
});

describe('Telegram', () => {
  it('opens the tg://socks link with each OS opener', async () => {
    expect(telegramProxyLink(1080)).toBe('tg://socks?server=127.0.0.1&port=1080');
    const expected = {
      linux: 'xdg-open tg://socks?server=127.0.0.1&port=1080',
      darwin: 'open tg://socks?server=127.0.0.1&port=1080',
      win32: 'rundll32.exe url.dll,FileProtocolHandler tg://socks?server=127.0.0.1&port=1080',
    } as const;
    for (const [platform, line] of Object.entries(expected)) {
      const runner = fakeRunner(() => ({ code: 0 }));
      const r = await openTelegramProxy(platform as keyof typeof expected, runner, 1080);
      expect(runner.lines()).toEqual([line]);
      expect(r.code).toBe(0);
    }
  });

  it('reports a missing tg:// handler', async () => {
    const host: HostEnv = { platform: 'linux', env: {}, fs: memoryFs({}), runner: fakeRunner(() => ({ code: 4, stderr: 'xdg-open: no method available for opening' })) };
    await expect(openOnBridge(host, 'telegram', { dataDir, port: 1, checkUrl: false })).rejects.toThrow(/is Telegram Desktop installed\?\): xdg-open: no method/);
  });
});

describe('openOnBridge', () => {
  it('names the browser and where it looked when it is not installed', async () => {
    const host: HostEnv = { platform: 'linux', env: { PATH: '/usr/bin', HOME: '/home/a' }, fs: memoryFs({}), runner: fakeRunner() };
    const err = await openOnBridge(host, 'firefox', { dataDir, port: 1, checkUrl: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PortholeError);
    expect(err).toMatchObject({ code: 'browser-not-found' });
    expect((err as Error).message).toMatch(/^Firefox is not installed: looked in PATH, .*\/home\/a\/\.local\/share\/applications/);
  });

  it('launches the detected browser and reports a failed bridge check', async () => {
    const runner = fakeRunner();
    const host: HostEnv = { platform: 'linux', env: { PATH: '/usr/bin' }, fs: memoryFs({ '/usr/bin/chromium': 'x' }), runner };
    // Port 9 on loopback: nothing listens (discard), so the check must fail quickly.
    const r = await openOnBridge(host, 'chrome', { dataDir, port: 9, url: 'http://x/', checkUrl: 'http://check.porthole.test/', checkTimeoutMs: 3000 });
    expect(r.kind).toBe('browser');
    expect(runner.calls[0]?.cmd).toBe('/usr/bin/chromium');
    expect(r.check?.ok).toBe(false);
    expect(r.check?.error).toMatch(/ECONNREFUSED|timed out/);
  });
});
