// Lists the user's own Firefox profiles from profiles.ini, so one can be chosen for "use Porthole in my Firefox".
import type { HostEnv } from './host-env.ts';
import { homeDir, pathsFor } from './host-env.ts';

export interface FirefoxProfile {
  name: string;
  /** Absolute path of the profile folder. */
  path: string;
  /** The profile Firefox opens by default. */
  isDefault: boolean;
  /** The Firefox data folder holding profiles.ini. */
  root: string;
}

type IniSections = Map<string, Map<string, string>>;

export function parseIni(text: string): IniSections {
  const sections: IniSections = new Map();
  let current: Map<string, string> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#')) continue;
    const sec = /^\[(.+)\]$/.exec(line);
    if (sec) {
      current = new Map();
      sections.set(sec[1] as string, current);
      continue;
    }
    const eq = line.indexOf('=');
    if (current && eq > 0) current.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return sections;
}

/** The folders where Firefox keeps profiles.ini (regular, Snap and Flatpak installs on Linux). */
export function firefoxRoots(host: Pick<HostEnv, 'platform' | 'env'>): string[] {
  const home = homeDir(host);
  if (host.platform === 'win32') return host.env.APPDATA ? [`${host.env.APPDATA}\\Mozilla\\Firefox`] : [];
  if (!home) return [];
  if (host.platform === 'darwin') return [`${home}/Library/Application Support/Firefox`];
  return [`${home}/.mozilla/firefox`, `${home}/snap/firefox/common/.mozilla/firefox`, `${home}/.var/app/org.mozilla.firefox/.mozilla/firefox`];
}

export function profilesFromIni(text: string, root: string, platform: HostEnv['platform']): FirefoxProfile[] {
  const p = pathsFor(platform);
  const sections = parseIni(text);
  const installDefaults = new Set<string>();
  for (const [name, s] of sections) if (name.startsWith('Install') && s.get('Default')) installDefaults.add(s.get('Default') as string);
  const out: FirefoxProfile[] = [];
  for (const [name, s] of sections) {
    if (!/^Profile\d+$/.test(name)) continue;
    const rel = s.get('Path');
    if (!rel) continue;
    const relative = s.get('IsRelative') !== '0';
    const native = platform === 'win32' ? rel.replaceAll('/', '\\') : rel;
    out.push({
      name: s.get('Name') ?? rel,
      path: relative ? p.join(root, native) : native,
      isDefault: installDefaults.has(rel),
      root,
    });
  }
  if (!out.some((x) => x.isDefault)) {
    const legacy = [...sections].find(([n, s]) => /^Profile\d+$/.test(n) && s.get('Default') === '1');
    const hit = legacy && out.find((x) => x.path.endsWith(legacy[1].get('Path')?.replaceAll('/', platform === 'win32' ? '\\' : '/') ?? '\0'));
    if (hit) hit.isDefault = true;
  }
  return out;
}

export async function listFirefoxProfiles(host: HostEnv): Promise<FirefoxProfile[]> {
  const all: FirefoxProfile[] = [];
  for (const root of firefoxRoots(host)) {
    const text = await host.fs.readText(pathsFor(host.platform).join(root, 'profiles.ini'));
    if (text !== undefined) all.push(...profilesFromIni(text, root, host.platform));
  }
  return all;
}
