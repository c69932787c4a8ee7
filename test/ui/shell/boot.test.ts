// The boot test: electron/main started against the fake Electron with the real engine in its own
// process. The window comes up, the page's and the tray's first calls answer valid data before and
// after the engine is ready, links/files/second instances reach the page, nothing is left
// unhandled, and signing out restores the system proxy before the OS's deadline.
import { pathToFileURL } from 'node:url';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EVENT_CHANNEL } from '../../../shared/api-ipc.ts';
import { ApiEventSchema } from '../../../shared/api.ts';
import type { ApiEvent, State } from '../../../shared/api.ts';
import { OS_SESSION_END_DEADLINE_MS } from '../../../electron/main/quit.ts';
import { boot, fake, until } from './boot-harness.ts';
import type { Booted } from './boot-harness.ts';

vi.mock('electron', () => import('./fake-electron.ts'));

let shell: Booted;
const pageEvents = (): ApiEvent[] => shell.window().webContents.sent
  .filter((s) => s.channel === EVENT_CHANNEL).map((s) => ApiEventSchema.parse(s.args[0]));
const trayItem = (label: RegExp) => fake.FakeTray.last!.menu!.items.find((i) => i.label && label.test(i.label));

beforeAll(async () => { shell = await boot(); }, 30_000);
afterAll(async () => { await shell?.close(); });

describe('boot', () => {
  it('registers what must precede ready, then creates one hardened window loading the app page', () => {
    expect(fake.app.calls.map((c) => c[0])).toEqual(expect.arrayContaining(['enableSandbox', 'setAsDefaultProtocolClient']));
    expect(fake.protocol.privileged).toEqual([expect.objectContaining({ scheme: 'app' })]);
    expect(fake.protocol.handlers.has('app')).toBe(true);
    const win = shell.window();
    expect(fake.BrowserWindow.getAllWindows()).toHaveLength(1);
    expect(win.webContents.getURL()).toBe('app://porthole/index.html');
    expect(win.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
  });

  it('answers the first calls with valid data before the engine is ready, then after; the tray works meanwhile', async () => {
    // Nothing has come back from an engine process yet (it may not even be spawned): it is still starting.
    expect(fake.FakeUtilityProcess.all.every((u) => u.received === 0)).toBe(true);
    // The tray's Connect, clicked before the engine answered anything, and the page's first reads.
    trayItem(/^Connect$/)!.click!();
    const first = await Promise.all([
      shell.call('getState'), shell.call('getSettings'), shell.call('listServers'), shell.call('getSources'), shell.call('getLog', {}),
    ]);
    const engineProcess = fake.FakeUtilityProcess.all[0];
    expect(fake.FakeUtilityProcess.all).toHaveLength(1);
    expect((first[1] as { language: string }).language).toBe('auto');
    expect(engineProcess!.pid).toBeGreaterThan(0);
    await until(() => pageEvents().some((e) => e.type === 'state' && e.state.bridge !== null));
    const after = await shell.call('getState') as State;
    expect(after.bridge).not.toBeNull();
    // The tray follows, in the system language (ru): no servers known here, so "nothing works".
    // Generous: the engine must finish a search round first, slow on a loaded machine.
    await until(() => trayItem(/^Сейчас ничего не работает$/) !== undefined, 90_000);
    expect(fake.FakeTray.last!.tooltip).toBe('Porthole — Сейчас ничего не работает');
    // Untrusted frames are still refused.
    expect(await shell.raw('getState', {}, { url: 'https://evil.example/', parent: null })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  }, 150_000);

  it('Share can copy: the clipboard write permission is granted to our page only', () => {
    const ses = fake.session.defaultSession;
    const ask = (permission: string, url: string) => new Promise<boolean>((r) => ses.permissionRequest!(null, permission, r, { requestingUrl: url, isMainFrame: true }));
    return Promise.all([
      ask('clipboard-sanitized-write', 'app://porthole/index.html'), ask('clipboard-read', 'app://porthole/index.html'),
      ask('media', 'app://porthole/index.html'), ask('clipboard-sanitized-write', 'https://evil.example/'),
    ]).then((answers) => {
      expect(answers).toEqual([true, false, false, false]);
      expect(ses.permissionCheck!(null, 'clipboard-sanitized-write', 'app://porthole', { requestingUrl: 'app://porthole/index.html', isMainFrame: true })).toBe(true);
    });
  });

  it('links, files (paths and file:// URLs) and second instances reach the page; activate shows the window', async () => {
    const file = join(shell.userData, 'от тёти.porthole');
    writeFileSync(file, '-----BEGIN PORTHOLE LIST-----\nabc\n-----END PORTHOLE LIST-----\n');
    const open = new fake.FakeEvent();
    fake.app.emit('open-url', open, 'porthole://import?c=PH1-7QRT');
    expect(open.defaultPrevented).toBe(true);
    fake.app.emit('second-instance', new fake.FakeEvent(), ['/opt/Porthole/porthole', pathToFileURL(file).href], '/', {});
    fake.app.emit('open-file', new fake.FakeEvent(), file);
    await until(() => pageEvents().filter((e) => e.type === 'import-request').length === 3);
    expect(pageEvents().filter((e) => e.type === 'import-request').map((e) => e.type === 'import-request' && e.origin)).toEqual(['link', 'file', 'file']);
    shell.window().hide();
    fake.app.emit('activate', new fake.FakeEvent(), false);
    expect(shell.window().isVisible()).toBe(true);
  });

  it('sign-out/shutdown (powerMonitor) restores the system proxy before the OS deadline and quits without holding it up', async () => {
    await shell.call('setSettings', { systemProxy: true });
    expect(shell.gnome.proxy().mode).toBe("'auto'");
    const t0 = Date.now();
    const shutdown = new fake.FakeEvent();
    fake.powerMonitor.emit('shutdown', shutdown);
    expect(shutdown.defaultPrevented).toBe(true);
    await until(() => fake.app.quitted, OS_SESSION_END_DEADLINE_MS);
    expect(Date.now() - t0).toBeLessThan(OS_SESSION_END_DEADLINE_MS);
    expect(shell.gnome.proxy().mode).toBe("'manual'");
    expect(fake.app.exitCode).toBeNull();
    await until(() => fake.FakeUtilityProcess.all[0]!.pid === undefined, 5000);
  }, 30_000);

  it('left no unhandled rejection and broke no Electron rule', async () => {
    const { violations } = await import('./fake-electron.ts');
    expect(violations).toEqual([]);
    expect(shell.rejections).toEqual([]);
  });
});
