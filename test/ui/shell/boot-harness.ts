// Boots electron/main/main.ts against the fake Electron (the test file mocks 'electron' with
// fake-electron.ts) with a real engine process, a private GNOME settings session for the system
// proxy, no bootstrap list (nothing is fetched) and a temp user data dir. Collects unhandled
// rejections: the shell must leave none.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as electron from 'electron';
import { API_METHODS, isMethodName } from '../../../shared/api.ts';
import { callChannel } from '../../../shared/api-ipc.ts';
import { unwrapReply } from '../../../shared/api-client.ts';
import { startGnomeSession } from './gnome-session.ts';
import type { GnomeSession } from './gnome-session.ts';
import type * as Fake from './fake-electron.ts';

export const fake = electron as unknown as typeof Fake;
export const APP_FRAME = { url: 'app://porthole/index.html', parent: null };

export interface Booted {
  gnome: GnomeSession;
  rejections: unknown[];
  userData: string;
  window(): Fake.FakeBrowserWindow;
  /** An Api call as the page makes it (ipcRenderer.invoke from our frame), its reply unwrapped and checked. */
  call(method: string, request?: unknown): Promise<unknown>;
  /** The raw reply, for error cases. */
  raw(method: string, request?: unknown, frame?: unknown): Promise<unknown>;
  close(): Promise<void>;
}

export async function until(what: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function boot(): Promise<Booted> {
  const gnome = await startGnomeSession();
  const rejections: unknown[] = [];
  process.on('unhandledRejection', (r) => rejections.push(r));
  for (const k of ['XDG_CONFIG_HOME', 'XDG_RUNTIME_DIR', 'GSETTINGS_BACKEND', 'XDG_CURRENT_DESKTOP', 'DBUS_SESSION_BUS_ADDRESS'] as const) process.env[k] = gnome.env[k];
  delete process.env.KDE_FULL_SESSION;
  process.env.PORTHOLE_BOOTSTRAP_DIR = mkdtempSync(join(gnome.root, 'no-bootstrap-'));
  const userData = mkdtempSync(join(tmpdir(), 'porthole-boot-'));
  fake.app.paths = { userData, appData: join(userData, 'config'), temp: tmpdir() };
  await import('../../../electron/main/main.ts');
  fake.app.fireReady();
  await until(() => fake.BrowserWindow.getAllWindows().length > 0, 5000);
  const raw = (method: string, request: unknown = {}, frame: unknown = APP_FRAME) => {
    if (!isMethodName(method)) throw new Error(method);
    return fake.ipcMain.invoke(callChannel(method), frame, request);
  };
  return {
    gnome, rejections, userData,
    window: () => fake.BrowserWindow.all[0]!,
    raw,
    call: async (method, request) => {
      if (!isMethodName(method)) throw new Error(method);
      return API_METHODS[method].response.parse(unwrapReply(await raw(method, request)));
    },
    close: async () => {
      // Quit as a user would (the engine stops, nothing restarts it); then make sure no child is left.
      if (!fake.app.quitted && fake.app.exitCode === null) fake.app.quit();
      await until(() => fake.app.quitted || fake.app.exitCode !== null, 10_000).catch(() => undefined);
      for (const u of fake.FakeUtilityProcess.all) u.child.kill('SIGKILL');
      await gnome.close();
    },
  };
}
