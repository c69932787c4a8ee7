// macOS: application bundles in /Applications and ~/Applications.
import type { BrowserId } from './catalog.ts';
import type { Candidate } from './detect-types.ts';
import type { HostEnv } from './host-env.ts';
import { homeDir } from './host-env.ts';

/** Bundle name → [browser, executable inside Contents/MacOS]. */
const BUNDLES: [string, BrowserId, string][] = [
  ['Firefox.app', 'firefox', 'firefox'],
  ['Firefox ESR.app', 'firefox-esr', 'firefox'],
  ['Google Chrome.app', 'chrome', 'Google Chrome'],
  ['Chromium.app', 'chromium', 'Chromium'],
  ['Microsoft Edge.app', 'edge', 'Microsoft Edge'],
  ['Brave Browser.app', 'brave', 'Brave Browser'],
  ['Yandex.app', 'yandex', 'Yandex'],
  ['Opera.app', 'opera', 'Opera'],
];

export function macApplicationDirs(host: Pick<HostEnv, 'platform' | 'env'>): string[] {
  const home = homeDir(host);
  return ['/Applications', ...(home ? [`${home}/Applications`] : [])];
}

export async function detectMacos(host: HostEnv): Promise<Candidate[]> {
  const found: Candidate[] = [];
  for (const dir of macApplicationDirs(host)) {
    for (const [bundle, id, exe] of BUNDLES) {
      const command = `${dir}/${bundle}/Contents/MacOS/${exe}`;
      if (await host.fs.exists(command)) found.push({ id, command, baseArgs: [], source: 'known-location' });
    }
  }
  return found;
}
