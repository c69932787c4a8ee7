// Browser detection on each OS, from fixtures of the filesystem, the environment and `reg query` output.
import { describe, expect, it } from 'vitest';
import { describeSearch, detectBrowsers, pickBrowser } from './detect.ts';
import type { HostEnv } from './host-env.ts';
import { fakeRunner } from '../../../test/browsers/helpers/fake-runner.ts';
import { memoryFs } from '../../../test/browsers/helpers/memory-fs.ts';

const summary = (found: Awaited<ReturnType<typeof detectBrowsers>>) => found.map((b) => [b.id, b.command, b.baseArgs.join(' '), b.source]);

describe('Linux', () => {
  const files: Record<string, string> = {
    '/usr/lib/firefox-esr/firefox-esr': 'ELF',
    '/usr/bin/chromium': '#!/bin/sh',
    '/opt/google/chrome/google-chrome': '#!/bin/sh',
    '/usr/bin/flatpak': 'ELF',
    '/opt/yandex/browser/yandex-browser': '#!/bin/sh',
    '/usr/share/applications/firefox-esr.desktop': '[Desktop Entry]\nName=Firefox ESR\nExec=/usr/lib/firefox-esr/firefox-esr %u\nType=Application\n',
    '/usr/share/applications/chromium.desktop': '[Desktop Entry]\nType=Application\nExec=/usr/bin/chromium %U\n[Desktop Action new-window]\nExec=/usr/bin/other\n',
    '/usr/share/applications/org.gnome.Nautilus.desktop': '[Desktop Entry]\nExec=nautilus --new-window %U\n',
    '/usr/share/applications/microsoft-edge.desktop': '[Desktop Entry]\nExec=/opt/microsoft/msedge/microsoft-edge %U\n',
    '/usr/share/applications/opera.desktop': '[Desktop Entry]\nHidden=true\nExec=/usr/bin/flatpak run com.opera.Opera\n',
    '/var/lib/flatpak/exports/share/applications/com.brave.Browser.desktop':
      '[Desktop Entry]\nName=Brave\nExec=/usr/bin/flatpak run --branch=stable --arch=x86_64 --command=brave --file-forwarding com.brave.Browser @@u %U @@\n',
    '/home/ana/.local/share/applications/my-yandex.desktop': '[Desktop Entry]\nExec=env GDK_BACKEND=x11 "/opt/yandex/browser/yandex-browser" %U\n',
  };
  const host = (over: Partial<HostEnv> = {}): HostEnv => ({
    platform: 'linux',
    env: { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: '/home/ana', XDG_DATA_DIRS: '/usr/share' },
    fs: memoryFs(files, { symlinks: { '/usr/bin/firefox-esr': '/usr/lib/firefox-esr/firefox-esr' } }),
    runner: fakeRunner(),
    ...over,
  });

  it('finds browsers on PATH, in known locations and in .desktop entries (Flatpak too), once each', async () => {
    expect(summary(await detectBrowsers(host()))).toEqual([
      ['firefox-esr', '/usr/bin/firefox-esr', '', 'path'],
      ['chrome', '/opt/google/chrome/google-chrome', '', 'known-location'],
      ['chromium', '/usr/bin/chromium', '', 'path'],
      ['brave', '/usr/bin/flatpak', 'run --branch=stable --arch=x86_64 --command=brave --file-forwarding com.brave.Browser', 'desktop-entry'],
      ['yandex', '/opt/yandex/browser/yandex-browser', '', 'known-location'],
    ]);
  });

  it('reads desktop entries from XDG_DATA_HOME and follows PATH for bare Exec programs', async () => {
    const fs = memoryFs({
      '/srv/bin/opera': 'ELF',
      '/data/home/applications/opera.desktop': '[Desktop Entry]\nExec=opera %U\n',
    });
    const found = await detectBrowsers(host({ fs, env: { PATH: '/srv/bin', HOME: '/home/ana', XDG_DATA_HOME: '/data/home' } }));
    // on PATH under its own name first; the desktop entry names the same program
    expect(summary(found)).toEqual([['opera', '/srv/bin/opera', '', 'path']]);
    const viaDesktop = await detectBrowsers(
      host({ fs: memoryFs({ '/srv/x/opera-beta-bin': 'ELF', '/data/home/applications/opera.desktop': '[Desktop Entry]\nExec=opera-beta-bin\n' }), env: { PATH: '/srv/x', XDG_DATA_HOME: '/data/home' } }),
    );
    expect(summary(viaDesktop)).toEqual([['opera', '/srv/x/opera-beta-bin', '', 'desktop-entry']]);
  });

  it('finds nothing on an empty machine, and says where it looked', async () => {
    expect(await detectBrowsers(host({ fs: memoryFs({}) }))).toEqual([]);
    expect(describeSearch(host())).toContain('/home/ana/.local/share/applications');
    expect(describeSearch(host())).toContain('/usr/share/applications');
  });

  it('picks firefox → Firefox ESR and chrome → another Chromium browser when the exact one is missing', async () => {
    const found = await detectBrowsers(host());
    expect(pickBrowser(found, 'firefox')?.id).toBe('firefox-esr');
    expect(pickBrowser(found, 'chrome')?.id).toBe('chrome');
    expect(pickBrowser(found.filter((b) => b.id !== 'chrome'), 'chrome')?.id).toBe('chromium');
    expect(pickBrowser(found, 'edge')).toBeUndefined();
  });
});

describe('macOS', () => {
  it('finds application bundles and tells Firefox ESR by its update channel', async () => {
    const host: HostEnv = {
      platform: 'darwin',
      env: { HOME: '/Users/ana' },
      runner: fakeRunner(),
      fs: memoryFs({
        '/Applications/Firefox.app/Contents/MacOS/firefox': 'Mach-O',
        '/Applications/Firefox.app/Contents/Resources/defaults/pref/channel-prefs.js': 'pref("app.update.channel", "esr");\n',
        '/Users/ana/Applications/Google Chrome.app/Contents/MacOS/Google Chrome': 'Mach-O',
        '/Applications/Opera.app/Contents/MacOS/Opera': 'Mach-O',
        '/Applications/Brave Browser.app/Contents/Info.plist': 'no executable',
      }),
    };
    expect(summary(await detectBrowsers(host))).toEqual([
      ['firefox-esr', '/Applications/Firefox.app/Contents/MacOS/firefox', '', 'known-location'],
      ['chrome', '/Users/ana/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', '', 'known-location'],
      ['opera', '/Applications/Opera.app/Contents/MacOS/Opera', '', 'known-location'],
    ]);
  });
});

describe('Windows', () => {
  const HKLM_SMI = `
HKEY_LOCAL_MACHINE\\SOFTWARE\\Clients\\StartMenuInternet\\Firefox-308046B0AF4A39CB
    (Default)    REG_SZ    Firefox

HKEY_LOCAL_MACHINE\\SOFTWARE\\Clients\\StartMenuInternet\\Firefox-308046B0AF4A39CB\\shell\\open\\command
    (Default)    REG_SZ    "C:\\Program Files\\Mozilla Firefox\\firefox.exe"

HKEY_LOCAL_MACHINE\\SOFTWARE\\Clients\\StartMenuInternet\\Google Chrome
    (Default)    REG_SZ    Google Chrome

HKEY_LOCAL_MACHINE\\SOFTWARE\\Clients\\StartMenuInternet\\Google Chrome\\shell\\open\\command
    (Default)    REG_SZ    "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe"

HKEY_LOCAL_MACHINE\\SOFTWARE\\Clients\\StartMenuInternet\\Microsoft Edge\\shell\\open\\command
    (Standard)    REG_SZ    "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe"

HKEY_LOCAL_MACHINE\\SOFTWARE\\Clients\\StartMenuInternet\\OperaStable\\shell\\open\\command
    (Default)    REG_SZ    "C:\\Users\\ana\\AppData\\Local\\Programs\\Opera\\launcher.exe"

HKEY_LOCAL_MACHINE\\SOFTWARE\\Clients\\StartMenuInternet\\IEXPLORE.EXE\\shell\\open\\command
    (Default)    REG_SZ    "C:\\Program Files\\Internet Explorer\\iexplore.exe"

End of search: 9 match(es) found.
`.replaceAll('\n', '\r\n');
  const HKCU_SMI = `
HKEY_CURRENT_USER\\SOFTWARE\\Clients\\StartMenuInternet\\Yandex.ABCDEF\\shell\\open\\command
    (Default)    REG_SZ    "C:\\Users\\ana\\AppData\\Local\\Yandex\\YandexBrowser\\Application\\browser.exe" -- "%1"
`;
  const HKLM_APP_PATHS = `
HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\App Paths\\brave.exe
    (Default)    REG_EXPAND_SZ    %ProgramFiles%\\BraveSoftware\\Brave-Browser\\Application\\brave.exe
    Path    REG_SZ    C:\\Program Files\\BraveSoftware\\Brave-Browser\\Application

HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\App Paths\\chrome.exe
    (Default)    REG_SZ    C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe

HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\App Paths\\wordpad.exe
    (Default)    REG_EXPAND_SZ    "%ProgramFiles%\\Windows NT\\Accessories\\WORDPAD.EXE"
`;
  const outputs: Record<string, string> = {
    'HKLM\\SOFTWARE\\Clients\\StartMenuInternet': HKLM_SMI,
    'HKCU\\SOFTWARE\\Clients\\StartMenuInternet': HKCU_SMI,
    'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\App Paths': HKLM_APP_PATHS,
  };
  const runner = fakeRunner((cmd, args) => {
    if (cmd !== 'reg' || args[0] !== 'query' || args[2] !== '/s') return undefined;
    const out = outputs[args[1] as string];
    return out === undefined ? { code: 1, stderr: 'ERROR: The system was unable to find the specified registry key or value.' } : { stdout: out };
  });
  const host: HostEnv = {
    platform: 'win32',
    env: {
      ProgramFiles: 'C:\\Program Files',
      'ProgramFiles(x86)': 'C:\\Program Files (x86)',
      LOCALAPPDATA: 'C:\\Users\\ana\\AppData\\Local',
      USERPROFILE: 'C:\\Users\\ana',
    },
    runner,
    fs: memoryFs(
      {
        'C:\\Program Files\\Mozilla Firefox\\firefox.exe': 'PE',
        'C:\\Program Files\\Mozilla Firefox\\defaults\\pref\\channel-prefs.js': 'pref("app.update.channel", "release");',
        'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe': 'PE',
        'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe': 'PE',
        'C:\\Users\\ana\\AppData\\Local\\Yandex\\YandexBrowser\\Application\\browser.exe': 'PE',
        'C:\\Program Files\\BraveSoftware\\Brave-Browser\\Application\\brave.exe': 'PE',
        'C:\\Users\\ana\\AppData\\Local\\Chromium\\Application\\chrome.exe': 'PE',
        'C:\\Program Files\\Internet Explorer\\iexplore.exe': 'PE',
      },
      { windows: true },
    ),
  };

  it('reads StartMenuInternet and App Paths, expands %vars%, skips stale entries, adds known folders', async () => {
    expect(summary(await detectBrowsers(host))).toEqual([
      ['firefox', 'C:\\Program Files\\Mozilla Firefox\\firefox.exe', '', 'registry'],
      ['chrome', 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', '', 'registry'],
      ['chromium', 'C:\\Users\\ana\\AppData\\Local\\Chromium\\Application\\chrome.exe', '', 'known-location'],
      ['edge', 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe', '', 'registry'],
      ['brave', 'C:\\Program Files\\BraveSoftware\\Brave-Browser\\Application\\brave.exe', '', 'registry'],
      ['yandex', 'C:\\Users\\ana\\AppData\\Local\\Yandex\\YandexBrowser\\Application\\browser.exe', '', 'registry'],
    ]);
    // Opera's registration points at a missing file: not reported.
    expect(runner.lines()).toEqual([
      'reg query HKCU\\SOFTWARE\\Clients\\StartMenuInternet /s',
      'reg query HKLM\\SOFTWARE\\Clients\\StartMenuInternet /s',
      'reg query HKLM\\SOFTWARE\\WOW6432Node\\Clients\\StartMenuInternet /s',
      'reg query HKCU\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\App Paths /s',
      'reg query HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\App Paths /s',
    ]);
  });

  it('still finds browsers in the usual folders when reg is unavailable', async () => {
    const noReg: HostEnv = { ...host, runner: fakeRunner() };
    expect((await detectBrowsers(noReg)).map((b) => [b.id, b.source])).toEqual([
      ['firefox', 'known-location'],
      ['chrome', 'known-location'],
      ['chromium', 'known-location'],
      ['edge', 'known-location'],
      ['brave', 'known-location'],
      ['yandex', 'known-location'],
    ]);
  });
});
