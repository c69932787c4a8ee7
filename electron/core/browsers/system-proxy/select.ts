// Which system settings exist on this machine.
import type { HostEnv } from '../host-env.ts';
import { findOnPath } from '../host-env.ts';
import { GNOME_SCHEMA, gnomeBackend } from './gnome.ts';
import { kdeBackend } from './kde.ts';
import { macosBackend } from './macos.ts';
import type { ProxyBackend } from './types.ts';
import { windowsBackend } from './windows.ts';

export async function selectBackends(host: HostEnv): Promise<ProxyBackend[]> {
  if (host.platform === 'win32') return [windowsBackend(host.runner)];
  if (host.platform === 'darwin') return [macosBackend(host.runner)];
  const out: ProxyBackend[] = [];
  if (await findOnPath(host, 'gsettings')) {
    const keys = await host.runner.run('gsettings', ['list-keys', GNOME_SCHEMA]);
    if (keys.code === 0) out.push(gnomeBackend(host.runner));
  }
  const desktop = `${host.env.XDG_CURRENT_DESKTOP ?? ''}:${host.env.XDG_SESSION_DESKTOP ?? ''}`.toUpperCase();
  if (desktop.includes('KDE') || host.env.KDE_FULL_SESSION === 'true') {
    const prefer: (5 | 6)[] = host.env.KDE_SESSION_VERSION === '5' ? [5, 6] : [6, 5];
    for (const v of prefer) {
      if ((await findOnPath(host, `kwriteconfig${v}`)) && (await findOnPath(host, `kreadconfig${v}`))) {
        out.push(kdeBackend(host.runner, v));
        break;
      }
    }
  }
  return out;
}
