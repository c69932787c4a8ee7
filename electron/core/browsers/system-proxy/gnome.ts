// GNOME (and desktops that read its settings): org.gnome.system.proxy via gsettings.
import { PortholeError } from '../../../../shared/errors.ts';
import type { Runner } from '../runner.ts';
import { formatCommand } from '../runner.ts';
import { isPortholePacUrl } from './pac.ts';
import type { ItemState, ProxyBackend, ProxyTarget } from './types.ts';

export const GNOME_SCHEMA = 'org.gnome.system.proxy';
const ITEM = 'gnome';
/** The URL first, so nothing switches to "auto" without it. */
const FIELDS = ['autoconfig-url', 'mode'] as const;

/** A string as GVariant text: 'it\'s'. */
export function gvariantString(s: string): string {
  return `'${s.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

/** Reads the GVariant text of a string that `gsettings get` prints. */
export function parseGvariantString(text: string): string {
  const t = text.trim();
  const q = t[0];
  if ((q !== "'" && q !== '"') || t[t.length - 1] !== q) return t;
  let out = '';
  for (let i = 1; i < t.length - 1; i++) {
    const c = t[i] as string;
    if (c === '\\' && i + 1 < t.length - 1) {
      const n = t[++i] as string;
      out += n === 'n' ? '\n' : n === 't' ? '\t' : n;
    } else out += c;
  }
  return out;
}

export function gnomeBackend(runner: Runner): ProxyBackend {
  const gs = async (args: string[]): Promise<string> => {
    const r = await runner.run('gsettings', args);
    if (r.code !== 0) throw new PortholeError('system-proxy', `${formatCommand('gsettings', args)} failed: ${(r.stderr || r.stdout).trim()}`);
    return r.stdout;
  };
  return {
    name: 'gnome',
    async read() {
      const state: ItemState = {};
      for (const f of FIELDS) state[f] = parseGvariantString(await gs(['get', GNOME_SCHEMA, f]));
      return { [ITEM]: state };
    },
    target(_item: string, t: ProxyTarget) {
      return { 'autoconfig-url': t.pacUrl, mode: 'auto' };
    },
    pointsAt(s: ItemState, t: ProxyTarget) {
      return s.mode === 'auto' && s['autoconfig-url'] === t.pacUrl;
    },
    isPorthole(s: ItemState) {
      return s.mode === 'auto' && isPortholePacUrl(s['autoconfig-url']);
    },
    neutral() {
      return { 'autoconfig-url': '', mode: 'none' };
    },
    async write(_item: string, fields: ItemState) {
      for (const f of FIELDS) {
        if (!(f in fields)) continue;
        const v = fields[f];
        if (v === null || v === undefined) await gs(['reset', GNOME_SCHEMA, f]);
        else await gs(['set', GNOME_SCHEMA, f, gvariantString(String(v))]);
      }
    },
    async commit() {
      // gsettings writes are seen by running programs through dconf.
    },
  };
}
