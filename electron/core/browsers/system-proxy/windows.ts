// Windows: the per-user WinINet settings in HKCU via `reg`, then a WinINet refresh via PowerShell.
// Only the PAC URL (AutoConfigURL) is set, as on the other platforms: if Porthole dies without
// restoring it, WinINet finds the PAC unreachable and goes direct (or to the user's own manual
// proxy), instead of sending everything to a dead ProxyServer port until the next start.
import { PortholeError } from '../../../../shared/errors.ts';
import { parseRegQuery } from '../reg-query.ts';
import type { Runner } from '../runner.ts';
import { formatCommand } from '../runner.ts';
import { isPortholePacUrl } from './pac.ts';
import type { ItemState, ProxyBackend, ProxyTarget } from './types.ts';

export const INTERNET_SETTINGS = 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings';
const ITEM = 'internet-settings';
/** All read and journalled (a restore puts back exactly what was there); only AutoConfigURL is written by Porthole. */
const FIELDS = ['AutoConfigURL', 'ProxyServer', 'ProxyOverride', 'ProxyEnable'] as const;

// INTERNET_OPTION_SETTINGS_CHANGED (39) then INTERNET_OPTION_REFRESH (37), so running programs re-read the settings.
const REFRESH_SCRIPT = [
  '$sig = \'[DllImport("wininet.dll", SetLastError = true)] public static extern bool InternetSetOption(IntPtr h, int option, IntPtr buffer, int length);\'',
  '$w = Add-Type -MemberDefinition $sig -Name WinInet -Namespace Porthole -PassThru',
  '[void]$w::InternetSetOption([IntPtr]::Zero, 39, [IntPtr]::Zero, 0)',
  '[void]$w::InternetSetOption([IntPtr]::Zero, 37, [IntPtr]::Zero, 0)',
].join('\n');

export function refreshCommand(): { cmd: string; args: string[] } {
  const encoded = Buffer.from(REFRESH_SCRIPT, 'utf16le').toString('base64');
  return { cmd: 'powershell.exe', args: ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand', encoded] };
}

export function windowsBackend(runner: Runner): ProxyBackend {
  // Deleting a value that is not there fails harmlessly; any other failure is real.
  const must = async (args: string[], allowMissing = false): Promise<void> => {
    const r = await runner.run('reg', args);
    if (r.code !== 0 && !(allowMissing && /unable to find/i.test(r.stderr || r.stdout))) throw new PortholeError('system-proxy', `${formatCommand('reg', args)} failed: ${(r.stderr || r.stdout).trim()}`);
  };
  return {
    name: 'windows',
    async read() {
      const r = await runner.run('reg', ['query', INTERNET_SETTINGS]);
      if (r.code !== 0) throw new PortholeError('system-proxy', `cannot read ${INTERNET_SETTINGS}: ${(r.stderr || r.stdout).trim()}`);
      const values = [...parseRegQuery(r.stdout).values()][0] ?? new Map();
      const state: ItemState = {};
      for (const f of FIELDS) state[f] = values.get(f)?.data ?? null;
      return { [ITEM]: state };
    },
    target(_item: string, t: ProxyTarget) {
      return { AutoConfigURL: t.pacUrl };
    },
    pointsAt(s: ItemState, t: ProxyTarget) {
      return s.AutoConfigURL === t.pacUrl;
    },
    isPorthole(s: ItemState) {
      return isPortholePacUrl(s.AutoConfigURL);
    },
    neutral() {
      return { AutoConfigURL: null, ProxyServer: null, ProxyOverride: null, ProxyEnable: 0 };
    },
    async write(_item: string, fields: ItemState) {
      for (const f of FIELDS) {
        if (!(f in fields)) continue;
        const v = fields[f];
        if (v === null || v === undefined) await must(['delete', INTERNET_SETTINGS, '/v', f, '/f'], true);
        else if (f === 'ProxyEnable') await must(['add', INTERNET_SETTINGS, '/v', f, '/t', 'REG_DWORD', '/d', String(Number(v)), '/f']);
        else await must(['add', INTERNET_SETTINGS, '/v', f, '/t', 'REG_SZ', '/d', String(v), '/f']);
      }
    },
    async commit() {
      const { cmd, args } = refreshCommand();
      const r = await runner.run(cmd, args);
      if (r.code !== 0) throw new PortholeError('system-proxy', `WinINet refresh failed: ${(r.stderr || r.stdout).trim()}`);
    },
  };
}
