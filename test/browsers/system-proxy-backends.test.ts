// The exact commands each system-proxy backend runs, against simulated tools that keep state.
import { describe, expect, it } from 'vitest';
import type { HostEnv } from '../../electron/core/browsers/host-env.ts';
import { gnomeBackend } from '../../electron/core/browsers/system-proxy/gnome.ts';
import { kdeBackend } from '../../electron/core/browsers/system-proxy/kde.ts';
import { macosBackend } from '../../electron/core/browsers/system-proxy/macos.ts';
import { proxyTarget } from '../../electron/core/browsers/system-proxy/pac.ts';
import { selectBackends } from '../../electron/core/browsers/system-proxy/select.ts';
import { INTERNET_SETTINGS, refreshCommand, windowsBackend } from '../../electron/core/browsers/system-proxy/windows.ts';
import { fakeRunner } from './helpers/fake-runner.ts';
import { fakeGsettings, fakeKde, fakeNetworksetup, fakeReg } from './helpers/fake-systems.ts';
import { memoryFs } from './helpers/memory-fs.ts';

const T = proxyTarget(1080);
const KEY = INTERNET_SETTINGS;

describe('Windows (reg + WinINet refresh)', () => {
  it('reads the four values and writes only the PAC URL (a crash cannot leave a dead manual proxy behind)', async () => {
    const reg = fakeReg({ ProxyEnable: { type: 'REG_DWORD', data: '0x0' }, ProxyServer: { type: 'REG_SZ', data: 'corp:3128' } });
    const runner = fakeRunner((c, a) => reg.handle(c, a));
    const b = windowsBackend(runner);
    const before = await b.read();
    expect(before).toEqual({ 'internet-settings': { AutoConfigURL: null, ProxyServer: 'corp:3128', ProxyOverride: null, ProxyEnable: 0 } });
    await b.write('internet-settings', b.target('internet-settings', T));
    await b.commit();
    const { cmd, args } = refreshCommand();
    expect(runner.lines().slice(1)).toEqual([
      `reg add ${KEY} /v AutoConfigURL /t REG_SZ /d http://127.0.0.1:1080/proxy.pac /f`,
      [cmd, ...args].join(' '),
    ]);
    // As left after a crash: nothing but the PAC URL names the bridge, and no manual proxy was switched on.
    expect((await b.read())['internet-settings']).toEqual({ AutoConfigURL: 'http://127.0.0.1:1080/proxy.pac', ProxyServer: 'corp:3128', ProxyOverride: null, ProxyEnable: 0 });
    const after = (await b.read())['internet-settings'];
    expect(after && b.pointsAt(after, T)).toBe(true);
    // The refresh script calls InternetSetOption with SETTINGS_CHANGED (39) and REFRESH (37).
    const script = Buffer.from(args.at(-1) as string, 'base64').toString('utf16le');
    expect(script).toMatch(/InternetSetOption\(\[IntPtr\]::Zero, 39,/);
    expect(script).toMatch(/InternetSetOption\(\[IntPtr\]::Zero, 37,/);

    runner.calls.length = 0;
    await b.write('internet-settings', { AutoConfigURL: null, ProxyEnable: 0 });
    expect(runner.lines()).toEqual([`reg delete ${KEY} /v AutoConfigURL /f`, `reg add ${KEY} /v ProxyEnable /t REG_DWORD /d 0 /f`]);
  });

  it('fails loudly when reg add fails', async () => {
    const b = windowsBackend(fakeRunner(() => ({ code: 1, stderr: 'ERROR: Access is denied.' })));
    await expect(b.write('internet-settings', { AutoConfigURL: 'x' })).rejects.toThrow(/Access is denied/);
  });
});

describe('macOS (networksetup)', () => {
  it('manages every enabled service, skips disabled ones', async () => {
    const ns = fakeNetworksetup([
      { name: 'Wi-Fi', url: null, enabled: false },
      { name: 'Bluetooth PAN', disabled: true, url: null, enabled: false },
      { name: 'USB LAN', url: 'http://corp/wpad.pac', enabled: true },
    ]);
    const runner = fakeRunner((c, a) => ns.handle(c, a));
    const b = macosBackend(runner);
    expect(await b.read()).toEqual({ 'Wi-Fi': { url: null, enabled: false }, 'USB LAN': { url: 'http://corp/wpad.pac', enabled: true } });
    expect(runner.lines()).toEqual(['networksetup -listallnetworkservices', 'networksetup -getautoproxyurl Wi-Fi', 'networksetup -getautoproxyurl USB LAN']);
    runner.calls.length = 0;
    await b.write('Wi-Fi', b.target('Wi-Fi', T));
    await b.write('Wi-Fi', { url: null, enabled: false });
    expect(runner.lines()).toEqual([
      'networksetup -setautoproxyurl Wi-Fi http://127.0.0.1:1080/proxy.pac',
      'networksetup -setautoproxystate Wi-Fi on',
      'networksetup -setautoproxystate Wi-Fi off',
    ]);
    expect(runner.calls[0]?.args).toEqual(['-setautoproxyurl', 'Wi-Fi', 'http://127.0.0.1:1080/proxy.pac']);
  });

  it('treats "** Error" output as a failure', async () => {
    const ns = fakeNetworksetup([{ name: 'Wi-Fi', url: null, enabled: false }]);
    const b = macosBackend(fakeRunner((c, a) => ns.handle(c, a)));
    await expect(b.write('Gone', { url: 'x' })).rejects.toThrow(/\*\* Error/);
  });
});

describe('GNOME (gsettings) and KDE (kwriteconfig)', () => {
  it('GNOME: sets the URL first, then mode auto, with GVariant quoting', async () => {
    const gs = fakeGsettings({ mode: "'manual'", 'autoconfig-url': "''" });
    const runner = fakeRunner((c, a) => gs.handle(c, a));
    const b = gnomeBackend(runner);
    expect(await b.read()).toEqual({ gnome: { 'autoconfig-url': '', mode: 'manual' } });
    runner.calls.length = 0;
    await b.write('gnome', b.target('gnome', T));
    expect(runner.lines()).toEqual([
      "gsettings set org.gnome.system.proxy autoconfig-url 'http://127.0.0.1:1080/proxy.pac'",
      "gsettings set org.gnome.system.proxy mode 'auto'",
    ]);
    expect(b.pointsAt((await b.read()).gnome ?? {}, T)).toBe(true);
  });

  it('KDE: kioslaverc keys, --delete for absent ones, then the KIO D-Bus signal', async () => {
    const kde = fakeKde({ ProxyType: '0' });
    const runner = fakeRunner((c, a) => kde.handle(c, a));
    const b = kdeBackend(runner, 5);
    expect(await b.read()).toEqual({ kde: { 'Proxy Config Script': null, ProxyType: '0' } });
    runner.calls.length = 0;
    await b.write('kde', b.target('kde', T));
    await b.commit();
    await b.write('kde', { 'Proxy Config Script': null, ProxyType: '0' });
    expect(runner.calls.map((c) => [c.cmd, ...c.args])).toEqual([
      ['kwriteconfig5', '--file', 'kioslaverc', '--group', 'Proxy Settings', '--key', 'Proxy Config Script', 'http://127.0.0.1:1080/proxy.pac'],
      ['kwriteconfig5', '--file', 'kioslaverc', '--group', 'Proxy Settings', '--key', 'ProxyType', '2'],
      ['dbus-send', '--type=signal', '/KIO/Scheduler', 'org.kde.KIO.Scheduler.reparseSlaveConfiguration', 'string:'],
      ['kwriteconfig5', '--file', 'kioslaverc', '--group', 'Proxy Settings', '--key', 'Proxy Config Script', '--delete'],
      ['kwriteconfig5', '--file', 'kioslaverc', '--group', 'Proxy Settings', '--key', 'ProxyType', '0'],
    ]);
  });

  it('selects GNOME when gsettings has the schema, KDE 6 on a Plasma 6 session', async () => {
    const gs = fakeGsettings();
    const kde = fakeKde();
    const runner = fakeRunner((c, a) => gs.handle(c, a) ?? kde.handle(c, a));
    const fs = memoryFs({ '/usr/bin/gsettings': 'x', '/usr/bin/kwriteconfig6': 'x', '/usr/bin/kreadconfig6': 'x', '/usr/bin/kwriteconfig5': 'x', '/usr/bin/kreadconfig5': 'x' });
    const host = (env: Record<string, string>): HostEnv => ({ platform: 'linux', env: { PATH: '/usr/bin', ...env }, fs, runner });
    expect((await selectBackends(host({ XDG_CURRENT_DESKTOP: 'GNOME' }))).map((b) => b.name)).toEqual(['gnome']);
    const plasma = await selectBackends(host({ XDG_CURRENT_DESKTOP: 'KDE', KDE_SESSION_VERSION: '6' }));
    expect(plasma.map((b) => b.name)).toEqual(['gnome', 'kde']);
    runner.calls.length = 0;
    await plasma[1]?.read();
    expect(runner.calls[0]?.cmd).toBe('kreadconfig6');
    const bare: HostEnv = { platform: 'linux', env: { PATH: '/usr/bin' }, fs: memoryFs({}), runner };
    expect(await selectBackends(bare)).toEqual([]);
  });
});
