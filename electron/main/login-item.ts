// "Start at login": the OS login item on Windows/macOS, an XDG autostart entry on Linux; and
// whether this start was such a login start (then the app stays in the tray).
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const HIDDEN_FLAG = '--hidden';

export function autostartEntry(execPath: string): string {
  const quoted = /[\s"'\\]/.test(execPath) ? `"${execPath.replace(/(["\\$`])/g, '\\$1')}"` : execPath;
  return ['[Desktop Entry]', 'Type=Application', 'Name=Porthole', `Exec=${quoted} ${HIDDEN_FLAG}`,
    'X-GNOME-Autostart-enabled=true', 'Terminal=false', ''].join('\n');
}

/**
 * What to start at login. Inside an AppImage, process.execPath is the temporary mount
 * (/tmp/.mount_XXXX/porthole) that is gone after exit; the AppImage runtime names the real file in
 * $APPIMAGE.
 */
export function launcherPath(execPath: string, env: Readonly<Record<string, string | undefined>>): string {
  const appImage = env.APPIMAGE;
  return appImage && appImage.startsWith('/') && /\.appimage$/i.test(appImage) ? appImage : execPath;
}

export interface LoginItemHost {
  platform: NodeJS.Platform;
  execPath: string;
  configDir: string;
  setLoginItemSettings(settings: { openAtLogin: boolean; openAsHidden?: boolean; args?: string[] }): void;
}

export async function applyStartAtLogin(host: LoginItemHost, enabled: boolean): Promise<void> {
  if (host.platform === 'linux') {
    const dir = join(host.configDir, 'autostart');
    const file = join(dir, 'porthole.desktop');
    if (enabled) {
      await mkdir(dir, { recursive: true });
      await writeFile(file, autostartEntry(host.execPath), { mode: 0o644 });
    } else {
      await rm(file, { force: true });
    }
    return;
  }
  // args reach the app on Windows only; macOS says so through wasOpenedAtLogin instead.
  host.setLoginItemSettings({ openAtLogin: enabled, args: [HIDDEN_FLAG] });
}

/** Started at login (stay in the tray): --hidden on Windows/Linux, the login item's word on macOS. */
export function startedAtLogin(argv: readonly string[], platform: NodeJS.Platform, wasOpenedAtLogin: () => boolean): boolean {
  if (argv.includes(HIDDEN_FLAG)) return true;
  if (platform !== 'darwin') return false;
  try {
    return wasOpenedAtLogin();
  } catch {
    return false;
  }
}
