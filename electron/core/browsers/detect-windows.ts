// Windows: the registry (StartMenuInternet clients and App Paths, via `reg query`) and the usual install folders.
import type { BrowserId } from './catalog.ts';
import { classifyExecutable } from './catalog.ts';
import type { Candidate } from './detect-types.ts';
import type { HostEnv } from './host-env.ts';
import { expandWindowsVars, parseRegQuery, programOfCommandLine } from './reg-query.ts';

export const START_MENU_KEYS = [
  'HKCU\\SOFTWARE\\Clients\\StartMenuInternet',
  'HKLM\\SOFTWARE\\Clients\\StartMenuInternet',
  'HKLM\\SOFTWARE\\WOW6432Node\\Clients\\StartMenuInternet',
];
export const APP_PATHS_KEYS = [
  'HKCU\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\App Paths',
  'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\App Paths',
];
const APP_PATH_EXES = new Set(['firefox.exe', 'chrome.exe', 'msedge.exe', 'brave.exe', 'browser.exe', 'opera.exe', 'launcher.exe']);

/** Install folders relative to %ProgramFiles%, %ProgramFiles(x86)% and %LOCALAPPDATA%. */
const KNOWN: [BrowserId, 'pf' | 'local', string][] = [
  ['firefox', 'pf', 'Mozilla Firefox\\firefox.exe'],
  ['firefox', 'local', 'Mozilla Firefox\\firefox.exe'],
  ['chrome', 'pf', 'Google\\Chrome\\Application\\chrome.exe'],
  ['chrome', 'local', 'Google\\Chrome\\Application\\chrome.exe'],
  ['chromium', 'local', 'Chromium\\Application\\chrome.exe'],
  ['edge', 'pf', 'Microsoft\\Edge\\Application\\msedge.exe'],
  ['brave', 'pf', 'BraveSoftware\\Brave-Browser\\Application\\brave.exe'],
  ['brave', 'local', 'BraveSoftware\\Brave-Browser\\Application\\brave.exe'],
  ['yandex', 'local', 'Yandex\\YandexBrowser\\Application\\browser.exe'],
  ['opera', 'local', 'Programs\\Opera\\launcher.exe'],
  ['opera', 'pf', 'Opera\\launcher.exe'],
];

async function regTree(host: HostEnv, key: string) {
  const r = await host.runner.run('reg', ['query', key, '/s']);
  return r.code === 0 ? parseRegQuery(r.stdout) : new Map();
}

function exePath(raw: string, env: HostEnv['env']): string {
  return programOfCommandLine(expandWindowsVars(raw, env));
}

async function fromStartMenu(host: HostEnv): Promise<Candidate[]> {
  const found: Candidate[] = [];
  const suffix = '\\shell\\open\\command';
  for (const key of START_MENU_KEYS) {
    const tree = await regTree(host, key);
    for (const [path, values] of tree) {
      if (!path.toLowerCase().endsWith(suffix)) continue;
      const cmd = values.get('')?.data;
      if (typeof cmd !== 'string') continue;
      const clientKey = path.slice(0, -suffix.length);
      const displayName = tree.get(clientKey)?.get('')?.data;
      const hint = `${clientKey.slice(clientKey.lastIndexOf('\\') + 1)} ${typeof displayName === 'string' ? displayName : ''}`;
      const command = exePath(cmd, host.env);
      const id = classifyExecutable(command, hint);
      if (id) found.push({ id, command, baseArgs: [], source: 'registry' });
    }
  }
  return found;
}

async function fromAppPaths(host: HostEnv): Promise<Candidate[]> {
  const found: Candidate[] = [];
  for (const key of APP_PATHS_KEYS) {
    for (const [path, values] of await regTree(host, key)) {
      const exe = path.slice(path.lastIndexOf('\\') + 1).toLowerCase();
      if (!APP_PATH_EXES.has(exe)) continue;
      const data = values.get('')?.data;
      if (typeof data !== 'string') continue;
      const command = exePath(data, host.env);
      const id = classifyExecutable(command);
      if (id) found.push({ id, command, baseArgs: [], source: 'registry' });
    }
  }
  return found;
}

function fromKnownLocations(host: HostEnv): Candidate[] {
  const e = host.env;
  const roots = {
    pf: [e.ProgramFiles, e.ProgramW6432, e['ProgramFiles(x86)']],
    local: [e.LOCALAPPDATA],
  };
  const out: Candidate[] = [];
  for (const [id, root, rel] of KNOWN) {
    for (const base of roots[root]) {
      if (base) out.push({ id, command: `${base.replace(/\\+$/, '')}\\${rel}`, baseArgs: [], source: 'known-location' });
    }
  }
  return out;
}

export async function detectWindows(host: HostEnv): Promise<Candidate[]> {
  const listed = [...(await fromStartMenu(host)), ...(await fromAppPaths(host)), ...fromKnownLocations(host)];
  const found: Candidate[] = [];
  for (const c of listed) if (await host.fs.exists(c.command)) found.push(c);
  return found;
}
