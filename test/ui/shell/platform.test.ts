// The platform gaps of the shell, each as the behaviour the OS needs: session end on every OS,
// login starts, AppImage paths, file:// arguments, dev-mode protocol registration, the clipboard
// permission Share's Copy needs.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { importsFromArgv, portholeFilePath } from '../../../electron/main/deep-links.ts';
import { applyStartAtLogin, launcherPath, startedAtLogin } from '../../../electron/main/login-item.ts';
import { protocolClientArgs, registerProtocolClient } from '../../../electron/main/protocol-client.ts';
import { OS_SESSION_END_DEADLINE_MS, installCleanQuit } from '../../../electron/main/quit.ts';
import { isPermissionGranted } from '../../../electron/main/security.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'porthole-platform-'));

function fakeApp() {
  const listeners: Array<(e: { preventDefault(): void }) => void> = [];
  const app = {
    exit: vi.fn(), quit: vi.fn(() => void app.emitBeforeQuit()),
    on: (_: 'before-quit', l: (e: { preventDefault(): void }) => void) => listeners.push(l),
    /** Like Electron: true when a listener held the quit. */
    emitBeforeQuit() {
      let prevented = false;
      listeners.forEach((l) => l({ preventDefault: () => { prevented = true; } }));
      return prevented;
    },
  };
  return app;
}

describe('session end', () => {
  it('powerMonitor shutdown (Linux, macOS): asks for a delay, restores the proxy, then quits without holding before-quit', async () => {
    const app = fakeApp();
    let restored = 0;
    const q = installCleanQuit(app, async () => { await new Promise((r) => setTimeout(r, 30)); restored = Date.now(); });
    const shutdown = { preventDefault: vi.fn() };
    const t0 = Date.now();
    q.onShutdown(shutdown);
    expect(shutdown.preventDefault).toHaveBeenCalled();
    // macOS sends its own quit at logout: holding it would cancel the logout.
    expect(app.emitBeforeQuit()).toBe(false);
    await q.stopping();
    expect(restored - t0).toBeLessThan(OS_SESSION_END_DEADLINE_MS);
    await new Promise((r) => setTimeout(r, 0));
    expect(app.quit).toHaveBeenCalled();
    expect(app.exit).not.toHaveBeenCalled();
  });

  it('a stuck engine at session end gives up well before the OS deadline', async () => {
    const app = fakeApp();
    const q = installCleanQuit(app, () => new Promise(() => {}));
    const t0 = Date.now();
    q.onShutdown();
    await q.stopping();
    expect(Date.now() - t0).toBeLessThan(OS_SESSION_END_DEADLINE_MS);
    expect(q.stopped()).toBe(true);
  }, 10_000);

  it('Windows query-session-end: delays the end only while the system proxy points at us, and restores it', async () => {
    const app = fakeApp();
    const stop = vi.fn(async () => {});
    const q = installCleanQuit(app, stop);
    const atRisk = { preventDefault: vi.fn(), reasons: ['shutdown'] };
    q.onQuerySessionEnd(atRisk, true);
    expect(atRisk.preventDefault).toHaveBeenCalled();
    expect(stop).toHaveBeenCalledTimes(1);
    q.onSessionEnd();
    expect(stop).toHaveBeenCalledTimes(1);
    await q.stopping();
    await new Promise((r) => setTimeout(r, 0));
    expect(app.quit).toHaveBeenCalled();

    const app2 = fakeApp();
    const q2 = installCleanQuit(app2, async () => {});
    const noRisk = { preventDefault: vi.fn() };
    q2.onQuerySessionEnd(noRisk, false);
    expect(noRisk.preventDefault).not.toHaveBeenCalled();
  });

  it('a normal quit is still held until the engine stopped', async () => {
    const app = fakeApp();
    let release = () => {};
    installCleanQuit(app, () => new Promise<void>((r) => { release = r; }));
    expect(app.emitBeforeQuit()).toBe(true);
    release();
    await new Promise((r) => setTimeout(r, 0));
    expect(app.exit).toHaveBeenCalledWith(0);
  });
});

describe('start at login', () => {
  it('macOS: wasOpenedAtLogin means hidden; elsewhere --hidden does', () => {
    expect(startedAtLogin(['/Applications/Porthole.app/Contents/MacOS/Porthole'], 'darwin', () => true)).toBe(true);
    expect(startedAtLogin(['/Applications/Porthole.app/Contents/MacOS/Porthole'], 'darwin', () => false)).toBe(false);
    expect(startedAtLogin(['porthole.exe', '--hidden'], 'win32', () => { throw new Error('not on windows'); })).toBe(true);
    expect(startedAtLogin(['porthole'], 'linux', () => true)).toBe(false);
    expect(startedAtLogin(['x'], 'darwin', () => { throw new Error('old macOS'); })).toBe(false);
  });

  it('AppImage: the autostart entry runs $APPIMAGE, not the temporary mount', async () => {
    const mount = '/tmp/.mount_PorthoXyZ12/porthole';
    const exec = launcherPath(mount, { APPIMAGE: '/home/aida/Apps/Porthole-0.1.0-linux-x86_64.AppImage' });
    expect(exec).toBe('/home/aida/Apps/Porthole-0.1.0-linux-x86_64.AppImage');
    expect(launcherPath('/opt/Porthole/porthole', {})).toBe('/opt/Porthole/porthole');
    expect(launcherPath(mount, { APPIMAGE: 'relative.AppImage' })).toBe(mount);
    const configDir = tmp();
    await applyStartAtLogin({ platform: 'linux', execPath: exec, configDir, setLoginItemSettings: vi.fn() }, true);
    expect(readFileSync(join(configDir, 'autostart', 'porthole.desktop'), 'utf8')).toContain('Exec=/home/aida/Apps/Porthole-0.1.0-linux-x86_64.AppImage --hidden');
  });
});

describe('file:// arguments', () => {
  it('a file manager passes file:// URLs (%U): they are read like paths', async () => {
    const dir = join(tmp(), 'with space');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir);
    const file = join(dir, 'от тёти.porthole');
    writeFileSync(file, '-----BEGIN PORTHOLE LIST-----\nabc\n-----END PORTHOLE LIST-----\n');
    const url = pathToFileURL(file).href;
    expect(url).toMatch(/%20/);
    expect(portholeFilePath(url)).toBe(file);
    expect(portholeFilePath('file://server/share/x.porthole')).toBeNull();
    expect(portholeFilePath('file:///etc/passwd')).toBeNull();
    expect(await importsFromArgv(['/opt/Porthole/porthole', url])).toEqual([{ text: readFileSync(file, 'utf8'), origin: 'file' }]);
  });
});

describe('porthole:// registration', () => {
  it('packaged: the app itself; development: Electron with our app path', () => {
    expect(protocolClientArgs({ defaultApp: false, execPath: '/opt/Porthole/porthole', argv: ['/opt/Porthole/porthole'], cwd: '/' })).toEqual([]);
    expect(protocolClientArgs({ defaultApp: true, execPath: '/repo/node_modules/electron/dist/electron', argv: ['/repo/node_modules/electron/dist/electron', '.'], cwd: '/repo' }))
      .toEqual(['/repo/node_modules/electron/dist/electron', ['/repo']]);
    const calls: unknown[][] = [];
    const app = { isDefaultProtocolClient: () => false, setAsDefaultProtocolClient: (...a: unknown[]) => { calls.push(a); return true; } };
    registerProtocolClient(app, 'porthole', { defaultApp: true, execPath: '/e/electron', argv: ['/e/electron', 'dist/electron/main/main.js'], cwd: '/repo' });
    registerProtocolClient(app, 'porthole', { defaultApp: false, execPath: '/opt/Porthole/porthole', argv: ['/opt/Porthole/porthole'], cwd: '/' });
    expect(calls).toEqual([['porthole', '/e/electron', ['/repo/dist/electron/main/main.js']], ['porthole']]);
  });
});

describe('permissions', () => {
  it("Share's Copy may write the clipboard from our page; nothing else is granted", () => {
    expect(isPermissionGranted('clipboard-sanitized-write', 'app://porthole/index.html', true)).toBe(true);
    expect(isPermissionGranted('clipboard-read', 'app://porthole/index.html', true)).toBe(false);
    expect(isPermissionGranted('clipboard-sanitized-write', 'app://porthole/index.html', false)).toBe(false);
    expect(isPermissionGranted('clipboard-sanitized-write', 'https://evil.example/', true)).toBe(false);
    expect(isPermissionGranted('clipboard-sanitized-write', undefined, true)).toBe(false);
    for (const p of ['media', 'geolocation', 'notifications', 'openExternal']) expect(isPermissionGranted(p, 'app://porthole/index.html', true)).toBe(false);
  });
});
