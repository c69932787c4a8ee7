// The browsers Porthole knows: names, engine family, and how to recognise their executables.

export const BROWSER_IDS = ['firefox', 'firefox-esr', 'chrome', 'chromium', 'edge', 'brave', 'yandex', 'opera'] as const;
export type BrowserId = (typeof BROWSER_IDS)[number];
export type BrowserFamily = 'firefox' | 'chromium';

export interface BrowserInfo {
  id: BrowserId;
  name: string;
  family: BrowserFamily;
}

export const BROWSERS: Record<BrowserId, BrowserInfo> = {
  firefox: { id: 'firefox', name: 'Firefox', family: 'firefox' },
  'firefox-esr': { id: 'firefox-esr', name: 'Firefox ESR', family: 'firefox' },
  chrome: { id: 'chrome', name: 'Google Chrome', family: 'chromium' },
  chromium: { id: 'chromium', name: 'Chromium', family: 'chromium' },
  edge: { id: 'edge', name: 'Microsoft Edge', family: 'chromium' },
  brave: { id: 'brave', name: 'Brave', family: 'chromium' },
  yandex: { id: 'yandex', name: 'Yandex Browser', family: 'chromium' },
  opera: { id: 'opera', name: 'Opera', family: 'chromium' },
};

export function isBrowserId(s: string): s is BrowserId {
  return (BROWSER_IDS as readonly string[]).includes(s);
}

/** Where a detected browser was found. */
export type DetectionSource = 'registry' | 'known-location' | 'path' | 'desktop-entry';

export interface DetectedBrowser extends BrowserInfo {
  /** The program to start. */
  command: string;
  /** Arguments that must come first (e.g. `flatpak run … org.mozilla.firefox`). */
  baseArgs: string[];
  source: DetectionSource;
}

/** Linux/macOS program names (lower case) → browser. */
const UNIX_NAMES: Record<string, BrowserId> = {
  firefox: 'firefox',
  'firefox-bin': 'firefox',
  'firefox-esr': 'firefox-esr',
  'google-chrome': 'chrome',
  'google-chrome-stable': 'chrome',
  'google chrome': 'chrome',
  chrome: 'chrome',
  chromium: 'chromium',
  'chromium-browser': 'chromium',
  'microsoft-edge': 'edge',
  'microsoft-edge-stable': 'edge',
  'microsoft edge': 'edge',
  msedge: 'edge',
  'brave-browser': 'brave',
  'brave-browser-stable': 'brave',
  'brave browser': 'brave',
  brave: 'brave',
  'yandex-browser': 'yandex',
  'yandex-browser-stable': 'yandex',
  yandex: 'yandex',
  opera: 'opera',
};

/** Recognises a browser from its executable's path. `hint` is extra text such as a registry display name. */
export function classifyExecutable(exePath: string, hint = ''): BrowserId | undefined {
  const lower = exePath.replaceAll('\\', '/').toLowerCase();
  const base = lower.slice(lower.lastIndexOf('/') + 1);
  const context = `${lower} ${hint.toLowerCase()}`;
  if (base.endsWith('.exe')) {
    const stem = base.slice(0, -4);
    if (stem === 'firefox') return /\besr\b/.test(context) ? 'firefox-esr' : 'firefox';
    if (stem === 'chrome') return context.includes('chromium') ? 'chromium' : 'chrome';
    if (stem === 'msedge') return 'edge';
    if (stem === 'brave') return 'brave';
    if (stem === 'browser' && context.includes('yandex')) return 'yandex';
    if ((stem === 'opera' || stem === 'launcher') && context.includes('opera')) return 'opera';
    return undefined;
  }
  return UNIX_NAMES[base];
}

/** Desktop-entry ids (file name without `.desktop`) of the browsers, including Flatpak and Snap ids. */
export const DESKTOP_IDS: Record<string, BrowserId> = {
  firefox: 'firefox',
  'org.mozilla.firefox': 'firefox',
  firefox_firefox: 'firefox',
  'firefox-esr': 'firefox-esr',
  'google-chrome': 'chrome',
  'com.google.chrome': 'chrome',
  chromium: 'chromium',
  'chromium-browser': 'chromium',
  'org.chromium.chromium': 'chromium',
  chromium_chromium: 'chromium',
  'microsoft-edge': 'edge',
  'com.microsoft.edge': 'edge',
  'brave-browser': 'brave',
  'com.brave.browser': 'brave',
  brave_brave: 'brave',
  'yandex-browser': 'yandex',
  'ru.yandex.browser': 'yandex',
  opera: 'opera',
  'com.opera.opera': 'opera',
  opera_opera: 'opera',
};

/** The order used to sort results and to pick a default within a family. */
export function browserRank(id: BrowserId): number {
  return BROWSER_IDS.indexOf(id);
}
