// Finds the installed browsers: a pure function of the injected HostEnv, so each OS is tested with fixtures.
import type { BrowserId, DetectedBrowser } from './catalog.ts';
import { BROWSERS, browserRank } from './catalog.ts';
import { detectLinux, xdgApplicationDirs } from './detect-linux.ts';
import { detectMacos, macApplicationDirs } from './detect-macos.ts';
import type { Candidate } from './detect-types.ts';
import { detectWindows } from './detect-windows.ts';
import type { HostEnv } from './host-env.ts';
import { pathsFor } from './host-env.ts';

/** Every browser found, one per kind (the first place it was found wins), in catalog order. */
export async function detectBrowsers(host: HostEnv): Promise<DetectedBrowser[]> {
  const candidates =
    host.platform === 'win32' ? await detectWindows(host) : host.platform === 'darwin' ? await detectMacos(host) : await detectLinux(host);
  const byId = new Map<BrowserId, DetectedBrowser>();
  const seen = new Set<string>();
  for (const c of candidates) {
    const id = c.id === 'firefox' && (await isEsrBuild(host, c)) ? 'firefox-esr' : c.id;
    const real = await host.fs.realpath(c.command);
    const key = `${host.platform === 'win32' ? real.toLowerCase() : real}\0${c.baseArgs.join('\0')}`;
    if (seen.has(key) || byId.has(id)) {
      seen.add(key);
      continue;
    }
    seen.add(key);
    byId.set(id, { ...BROWSERS[id], command: c.command, baseArgs: c.baseArgs, source: c.source });
  }
  return [...byId.values()].sort((a, b) => browserRank(a.id) - browserRank(b.id));
}

/** Firefox ESR installs as plain "firefox" on Windows and macOS; its update channel tells them apart. */
async function isEsrBuild(host: HostEnv, c: Candidate): Promise<boolean> {
  if (c.baseArgs.length > 0) return false;
  const p = pathsFor(host.platform);
  const dir = p.dirname(c.command);
  const files =
    host.platform === 'darwin'
      ? [p.join(dir, '..', 'Resources', 'defaults', 'pref', 'channel-prefs.js')]
      : [p.join(dir, 'defaults', 'pref', 'channel-prefs.js')];
  for (const f of files) {
    const text = await host.fs.readText(f);
    if (text && /["']app\.update\.channel["']\s*,\s*["']esr["']/.test(text)) return true;
  }
  return false;
}

/** What `porthole open NAME` means: an exact browser id, or `firefox`/`chrome` as "any of that family, preferred first". */
export function pickBrowser(found: DetectedBrowser[], wanted: string): DetectedBrowser | undefined {
  const exact = found.find((b) => b.id === wanted);
  if (exact) return exact;
  if (wanted === 'firefox') return found.find((b) => b.family === 'firefox');
  if (wanted === 'chrome' || wanted === 'chromium-family') return found.find((b) => b.family === 'chromium');
  return undefined;
}

/** Where detection looked, for "X is not installed: looked in …" messages. */
export function describeSearch(host: Pick<HostEnv, 'platform' | 'env'>): string {
  if (host.platform === 'win32') {
    return 'the registry (StartMenuInternet, App Paths), %ProgramFiles%, %ProgramFiles(x86)% and %LOCALAPPDATA%';
  }
  if (host.platform === 'darwin') return `${macApplicationDirs(host).join(' and ')}`;
  return `PATH, /usr/lib, /opt, /snap/bin and the .desktop files in ${xdgApplicationDirs(host.env).join(', ')}`;
}
