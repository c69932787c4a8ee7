// KDE Plasma: kioslaverc [Proxy Settings] via kwriteconfig5/6, then a D-Bus signal so KIO re-reads it.
import { PortholeError } from '../../../../shared/errors.ts';
import type { Runner } from '../runner.ts';
import { formatCommand } from '../runner.ts';
import { isPortholePacUrl } from './pac.ts';
import type { ItemState, ProxyBackend, ProxyTarget } from './types.ts';

const ITEM = 'kde';
const GROUP = 'Proxy Settings';
/** ProxyType: 0 none, 1 manual, 2 PAC URL, 3 WPAD, 4 environment. The script first, then the type. */
const FIELDS = ['Proxy Config Script', 'ProxyType'] as const;

export function kdeBackend(runner: Runner, version: 5 | 6): ProxyBackend {
  const read = `kreadconfig${version}`;
  const write = `kwriteconfig${version}`;
  const run = async (cmd: string, args: string[]): Promise<string> => {
    const r = await runner.run(cmd, args);
    if (r.code !== 0) throw new PortholeError('system-proxy', `${formatCommand(cmd, args)} failed: ${(r.stderr || r.stdout).trim()}`);
    return r.stdout;
  };
  const base = (key: string) => ['--file', 'kioslaverc', '--group', GROUP, '--key', key];
  return {
    name: 'kde',
    async read() {
      const state: ItemState = {};
      for (const f of FIELDS) {
        const v = (await run(read, base(f))).replace(/\r?\n$/, '');
        state[f] = v === '' ? null : v;
      }
      return { [ITEM]: state };
    },
    target(_item: string, t: ProxyTarget) {
      return { 'Proxy Config Script': t.pacUrl, ProxyType: '2' };
    },
    pointsAt(s: ItemState, t: ProxyTarget) {
      return s.ProxyType === '2' && s['Proxy Config Script'] === t.pacUrl;
    },
    isPorthole(s: ItemState) {
      return s.ProxyType === '2' && isPortholePacUrl(s['Proxy Config Script']);
    },
    neutral() {
      return { 'Proxy Config Script': null, ProxyType: '0' };
    },
    async write(_item: string, fields: ItemState) {
      for (const f of FIELDS) {
        if (!(f in fields)) continue;
        const v = fields[f];
        await run(write, v === null || v === undefined ? [...base(f), '--delete'] : [...base(f), String(v)]);
      }
    },
    async commit() {
      const signals = version === 6 ? ['reparseSlaveConfiguration', 'reparseConfiguration'] : ['reparseSlaveConfiguration'];
      for (const s of signals) {
        // Best effort: without a session bus, programs pick the change up when they start.
        await runner.run('dbus-send', ['--type=signal', '/KIO/Scheduler', `org.kde.KIO.Scheduler.${s}`, 'string:']);
      }
    },
  };
}
