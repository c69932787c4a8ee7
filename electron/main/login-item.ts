// "Start at login": the OS login item on Windows/macOS, an XDG autostart entry on Linux.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const HIDDEN_FLAG = '--hidden';

export function autostartEntry(execPath: string): string {
  const quoted = /[\s"'\\]/.test(execPath) ? `"${execPath.replace(/(["\\$`])/g, '\\$1')}"` : execPath;
  return ['[Desktop Entry]', 'Type=Application', 'Name=Porthole', `Exec=${quoted} ${HIDDEN_FLAG}`,
    'X-GNOME-Autostart-enabled=true', 'Terminal=false', ''].join('\n');
}

export interface LoginItemHost {
  platform: NodeJS.Platform;
  execPath: string;
  configDir: string;
  setLoginItemSettings(settings: { openAtLogin: boolean; args?: string[] }): void;
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
  host.setLoginItemSettings({ openAtLogin: enabled, args: [HIDDEN_FLAG] });
}
