// Porthole's own Firefox profile inside the data dir: the user's profiles are never touched by a launch.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from './atomic-file.ts';
import type { BrowserId } from './catalog.ts';
import type { Prefs } from './firefox-prefs.ts';
import { proxyPrefs, QUIET_PREFS, renderUserJs } from './firefox-prefs.ts';

export interface ProfileOptions {
  /** The bridge's address (default 127.0.0.1). */
  host?: string;
  port: number;
  /** More prefs, e.g. for tests; they win over Porthole's. */
  extraPrefs?: Prefs;
}

/** Where Porthole keeps a browser's dedicated profile (or Chromium user-data-dir). */
export function profileDirFor(dataDir: string, id: BrowserId): string {
  return path.join(dataDir, 'browsers', `${id}-profile`);
}

export function dedicatedUserJs(options: ProfileOptions): string {
  const prefs: Prefs = { ...proxyPrefs(options.host ?? '127.0.0.1', options.port), ...QUIET_PREFS, ...options.extraPrefs };
  return `// Written by Porthole on every launch of its Firefox profile: edits here are replaced.\n${renderUserJs(prefs)}`;
}

/** Creates the profile if needed and (re)writes its user.js for the current bridge port. */
export async function prepareFirefoxProfile(profileDir: string, options: ProfileOptions): Promise<void> {
  await mkdir(profileDir, { recursive: true, mode: 0o700 });
  await writeFileAtomic(path.join(profileDir, 'user.js'), dedicatedUserJs(options), 0o644);
}
