// Linux: browsers on PATH, in the usual install locations and in XDG .desktop entries.
import type { BrowserId } from './catalog.ts';
import { classifyExecutable, DESKTOP_IDS } from './catalog.ts';
import { parseDesktopEntry, splitExec } from './desktop-entry.ts';
import type { Candidate } from './detect-types.ts';
import type { HostEnv } from './host-env.ts';
import { findOnPath } from './host-env.ts';

const PATH_NAMES: Record<BrowserId, string[]> = {
  firefox: ['firefox'],
  'firefox-esr': ['firefox-esr'],
  chrome: ['google-chrome-stable', 'google-chrome'],
  chromium: ['chromium', 'chromium-browser'],
  edge: ['microsoft-edge-stable', 'microsoft-edge'],
  brave: ['brave-browser-stable', 'brave-browser', 'brave'],
  yandex: ['yandex-browser-stable', 'yandex-browser'],
  opera: ['opera'],
};

const KNOWN_LOCATIONS: Record<BrowserId, string[]> = {
  firefox: ['/usr/lib/firefox/firefox', '/opt/firefox/firefox', '/snap/bin/firefox'],
  'firefox-esr': ['/usr/lib/firefox-esr/firefox-esr', '/opt/firefox-esr/firefox'],
  chrome: ['/opt/google/chrome/google-chrome'],
  chromium: ['/snap/bin/chromium', '/usr/lib/chromium/chromium'],
  edge: ['/opt/microsoft/msedge/microsoft-edge'],
  brave: ['/opt/brave.com/brave/brave-browser', '/snap/bin/brave'],
  yandex: ['/opt/yandex/browser/yandex-browser'],
  opera: ['/usr/lib/x86_64-linux-gnu/opera/opera', '/snap/bin/opera'],
};

/** The XDG data directories whose applications/ folders hold .desktop files, most specific first. */
export function xdgApplicationDirs(env: Record<string, string | undefined>): string[] {
  const home = env.HOME;
  const dataHome = env.XDG_DATA_HOME || (home ? `${home}/.local/share` : undefined);
  const dataDirs = (env.XDG_DATA_DIRS || '/usr/local/share:/usr/share').split(':').filter(Boolean);
  const extra = [home ? `${home}/.local/share/flatpak/exports/share` : undefined, '/var/lib/flatpak/exports/share', '/var/lib/snapd/desktop'];
  const all = [dataHome, ...dataDirs, ...extra].filter((d): d is string => !!d).map((d) => d.replace(/\/+$/, ''));
  return [...new Set(all)].map((d) => `${d}/applications`);
}

export async function detectLinux(host: HostEnv): Promise<Candidate[]> {
  const found: Candidate[] = [];
  for (const [id, names] of Object.entries(PATH_NAMES) as [BrowserId, string[]][]) {
    for (const name of names) {
      const command = await findOnPath(host, name);
      if (command) found.push({ id, command, baseArgs: [], source: 'path' });
    }
  }
  for (const [id, paths] of Object.entries(KNOWN_LOCATIONS) as [BrowserId, string[]][]) {
    for (const command of paths) {
      if (await host.fs.exists(command)) found.push({ id, command, baseArgs: [], source: 'known-location' });
    }
  }
  found.push(...(await fromDesktopEntries(host)));
  return found;
}

async function fromDesktopEntries(host: HostEnv): Promise<Candidate[]> {
  const found: Candidate[] = [];
  for (const dir of xdgApplicationDirs(host.env)) {
    for (const file of (await host.fs.list(dir)).sort()) {
      if (!file.endsWith('.desktop')) continue;
      const text = await host.fs.readText(`${dir}/${file}`);
      if (text === undefined) continue;
      const entry = parseDesktopEntry(text);
      if (entry.hidden || !entry.exec || (entry.type && entry.type !== 'Application')) continue;
      const argv = splitExec(entry.exec);
      const program = argv[0];
      if (!program) continue;
      const desktopId = file.slice(0, -'.desktop'.length).toLowerCase();
      const isFlatpak = program.endsWith('/flatpak') || program === 'flatpak';
      const id = DESKTOP_IDS[desktopId] ?? (isFlatpak ? undefined : classifyExecutable(program));
      if (!id) continue;
      const command = program.startsWith('/') ? program : await findOnPath(host, program);
      if (!command || !(await host.fs.exists(command))) continue;
      found.push({ id, command, baseArgs: argv.slice(1), source: 'desktop-entry' });
    }
  }
  return found;
}
