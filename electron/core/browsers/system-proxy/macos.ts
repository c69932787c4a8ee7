// macOS: the automatic proxy configuration (PAC URL) of every enabled network service, via networksetup.
import { PortholeError } from '../../../../shared/errors.ts';
import type { Runner } from '../runner.ts';
import { formatCommand } from '../runner.ts';
import { isPortholePacUrl } from './pac.ts';
import type { ItemState, ProxyBackend, ProxyTarget } from './types.ts';

const NS = 'networksetup';

/** Enabled services from `networksetup -listallnetworkservices` (disabled ones start with '*'). */
export function parseServices(stdout: string): string[] {
  return stdout
    .split('\n')
    .map((l) => l.replace(/\r$/, ''))
    .filter((l, i) => l.trim() !== '' && !(i === 0 && l.startsWith('An asterisk')) && !l.startsWith('*'));
}

/** `URL: …` / `Enabled: Yes|No` from `networksetup -getautoproxyurl SERVICE`. */
export function parseAutoProxy(stdout: string): ItemState {
  const url = /^URL: (.*)$/m.exec(stdout)?.[1]?.trim();
  const enabled = /^Enabled: (.*)$/m.exec(stdout)?.[1]?.trim();
  return { url: !url || url === '(null)' ? null : url, enabled: enabled === 'Yes' };
}

export function macosBackend(runner: Runner): ProxyBackend {
  const ns = async (args: string[]): Promise<string> => {
    const r = await runner.run(NS, args);
    // networksetup reports some errors on stdout with exit code 0 ("** Error: …").
    if (r.code !== 0 || /^\*\* Error/m.test(r.stdout)) throw new PortholeError('system-proxy', `${formatCommand(NS, args)} failed: ${(r.stderr || r.stdout).trim()}`);
    return r.stdout;
  };
  return {
    name: 'macos',
    async read() {
      const out: Record<string, ItemState> = {};
      for (const service of parseServices(await ns(['-listallnetworkservices']))) {
        out[service] = parseAutoProxy(await ns(['-getautoproxyurl', service]));
      }
      return out;
    },
    target(_service: string, t: ProxyTarget) {
      return { url: t.pacUrl, enabled: true };
    },
    pointsAt(s: ItemState, t: ProxyTarget) {
      return s.url === t.pacUrl && s.enabled === true;
    },
    isPorthole(s: ItemState) {
      return isPortholePacUrl(s.url) && s.enabled === true;
    },
    neutral() {
      return { url: null, enabled: false };
    },
    async write(service: string, fields: ItemState) {
      // A URL cannot be unset: a null previous URL is restored by switching the state off.
      if (typeof fields.url === 'string') await ns(['-setautoproxyurl', service, fields.url]);
      if ('enabled' in fields) await ns(['-setautoproxystate', service, fields.enabled ? 'on' : 'off']);
    },
    async commit() {
      // networksetup changes take effect at once.
    },
  };
}
