// A private GNOME settings session for tests: its own D-Bus and dconf under a temp dir, so the real
// gsettings backend of the system proxy can be switched on and checked without touching the machine.
import type { ChildProcess } from 'node:child_process';
import { execFileSync, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface GnomeSession {
  env: NodeJS.ProcessEnv;
  root: string;
  /** org.gnome.system.proxy mode and autoconfig-url, as gsettings prints them. */
  proxy(): { mode: string; url: string };
  close(): Promise<void>;
}

export async function startGnomeSession(): Promise<GnomeSession> {
  const root = await mkdtemp(join(tmpdir(), 'porthole-gnome-shell-'));
  const runtime = join(root, 'runtime');
  await mkdir(join(root, 'config'), { recursive: true });
  await mkdir(runtime, { recursive: true, mode: 0o700 });
  const env: NodeJS.ProcessEnv = {
    ...process.env, XDG_CONFIG_HOME: join(root, 'config'), XDG_RUNTIME_DIR: runtime, GSETTINGS_BACKEND: 'dconf', XDG_CURRENT_DESKTOP: 'GNOME',
  };
  delete env.KDE_FULL_SESSION;
  const bus: ChildProcess = spawn('dbus-daemon', ['--session', '--nofork', '--print-address=1', `--address=unix:path=${runtime}/bus`], { env, stdio: ['ignore', 'pipe', 'ignore'] });
  env.DBUS_SESSION_BUS_ADDRESS = await new Promise<string>((resolve, reject) => {
    bus.once('error', reject);
    bus.stdout?.once('data', (d: Buffer) => resolve(d.toString().trim()));
  });
  const gs = (...args: string[]) => execFileSync('gsettings', args, { env, encoding: 'utf8' }).trim();
  gs('set', 'org.gnome.system.proxy', 'mode', 'manual');
  return {
    env, root,
    proxy: () => ({ mode: gs('get', 'org.gnome.system.proxy', 'mode'), url: gs('get', 'org.gnome.system.proxy', 'autoconfig-url') }),
    close: async () => {
      bus.kill();
      await rm(root, { recursive: true, force: true });
    },
  };
}
