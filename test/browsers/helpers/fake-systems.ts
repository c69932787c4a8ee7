// Simulated system settings tools (reg, networksetup, gsettings, kreadconfig/kwriteconfig) for a FakeRunner:
// they keep state, so applying and then reading back behaves like the real thing.
import type { RunResult } from '../../../electron/core/browsers/runner.ts';
import { INTERNET_SETTINGS } from '../../../electron/core/browsers/system-proxy/windows.ts';

type Reply = Partial<RunResult> | undefined;

export interface FakeReg {
  values: Map<string, { type: string; data: string }>;
  handle(cmd: string, args: string[]): Reply;
}

export function fakeReg(initial: Record<string, { type: string; data: string }> = {}): FakeReg {
  const values = new Map(Object.entries(initial));
  const fullKey = INTERNET_SETTINGS.replace(/^HKCU\\/, 'HKEY_CURRENT_USER\\');
  return {
    values,
    handle(cmd, args) {
      if (cmd === 'powershell.exe') return { code: 0 };
      if (cmd !== 'reg' || args[1] !== INTERNET_SETTINGS) return undefined;
      const name = args[args.indexOf('/v') + 1] as string;
      if (args[0] === 'query') {
        const lines = ['', fullKey, ...[...values].map(([n, v]) => `    ${n}    ${v.type}    ${v.data}`), '', `${fullKey}\\5.0`, ''];
        return { stdout: lines.join('\r\n') };
      }
      if (args[0] === 'add') {
        const type = args[args.indexOf('/t') + 1] as string;
        const data = args[args.indexOf('/d') + 1] as string;
        values.set(name, { type, data: type === 'REG_DWORD' ? `0x${Number(data).toString(16)}` : data });
        return { stdout: 'The operation completed successfully.' };
      }
      if (args[0] === 'delete') {
        if (!values.delete(name)) return { code: 1, stderr: 'ERROR: The system was unable to find the specified registry key or value.' };
        return { stdout: 'The operation completed successfully.' };
      }
      return undefined;
    },
  };
}

export interface FakeService {
  name: string;
  disabled?: boolean;
  url: string | null;
  enabled: boolean;
}

export function fakeNetworksetup(services: FakeService[]) {
  const find = (name: string | undefined) => services.find((s) => s.name === name);
  return {
    services,
    handle(cmd: string, args: string[]): Reply {
      if (cmd !== 'networksetup') return undefined;
      const [op, name, value] = args;
      if (op === '-listallnetworkservices') {
        const lines = ['An asterisk (*) denotes that a network service is disabled.', ...services.map((s) => `${s.disabled ? '*' : ''}${s.name}`)];
        return { stdout: `${lines.join('\n')}\n` };
      }
      const s = find(name);
      if (!s) return { code: 0, stdout: `** Error: The parameters were not valid.\n` };
      if (op === '-getautoproxyurl') return { stdout: `URL: ${s.url ?? '(null)'}\nEnabled: ${s.enabled ? 'Yes' : 'No'}\n` };
      if (op === '-setautoproxyurl') {
        s.url = value ?? null;
        s.enabled = true;
        return { stdout: '' };
      }
      if (op === '-setautoproxystate') {
        s.enabled = value === 'on';
        return { stdout: '' };
      }
      return undefined;
    },
  };
}

/** gsettings for org.gnome.system.proxy: values held as GVariant text, like dconf does. */
export function fakeGsettings(initial: Record<string, string> = { mode: "'none'", 'autoconfig-url': "''" }) {
  const defaults: Record<string, string> = { mode: "'none'", 'autoconfig-url': "''" };
  const values = new Map(Object.entries(initial));
  return {
    values,
    handle(cmd: string, args: string[]): Reply {
      if (cmd !== 'gsettings' || args[1] !== 'org.gnome.system.proxy') return undefined;
      const [op, , key, value] = args;
      if (op === 'list-keys') return { stdout: 'mode\nautoconfig-url\nignore-hosts\n' };
      if (!key || !(key in defaults)) return { code: 1, stderr: `No such key "${key}"` };
      if (op === 'get') return { stdout: `${values.get(key) ?? defaults[key]}\n` };
      if (op === 'set') {
        values.set(key, value as string);
        return { stdout: '' };
      }
      if (op === 'reset') {
        values.delete(key);
        return { stdout: '' };
      }
      return undefined;
    },
  };
}

/** kioslaverc [Proxy Settings] through kreadconfig5/kwriteconfig5. */
export function fakeKde(initial: Record<string, string> = {}) {
  const values = new Map(Object.entries(initial));
  return {
    values,
    handle(cmd: string, args: string[]): Reply {
      if (cmd === 'dbus-send') return { code: 0 };
      if (!/^k(read|write)config[56]$/.test(cmd)) return undefined;
      if (args[1] !== 'kioslaverc' || args[3] !== 'Proxy Settings') return { code: 1 };
      const key = args[5] as string;
      if (cmd.startsWith('kread')) return { stdout: `${values.get(key) ?? ''}\n` };
      if (args[6] === '--delete') values.delete(key);
      else values.set(key, args[6] as string);
      return { stdout: '' };
    },
  };
}
