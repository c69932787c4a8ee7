// Starts a detected browser with Porthole's own profile, set to use the bridge.
import { mkdir } from 'node:fs/promises';
import type { DetectedBrowser } from './catalog.ts';
import { chromiumArgs } from './chromium-args.ts';
import type { Prefs } from './firefox-prefs.ts';
import { prepareFirefoxProfile, profileDirFor } from './firefox-profile.ts';
import type { DetachedProcess, Runner } from './runner.ts';

export interface LaunchOptions {
  dataDir: string;
  /** The bridge (default host 127.0.0.1). */
  host?: string;
  port: number;
  /** Page to open. */
  url?: string;
  /** Extra switches placed before the URL (tests: --headless, --screenshot …). */
  extraArgs?: string[];
  /** Firefox only: extra prefs for the profile (tests: network.proxy.allow_hijacking_localhost). */
  extraPrefs?: Prefs;
}

export interface LaunchPlan {
  command: string;
  args: string[];
  profileDir: string;
}

/** The exact command line, without side effects. */
export function planLaunch(browser: DetectedBrowser, options: LaunchOptions): LaunchPlan {
  const profileDir = profileDirFor(options.dataDir, browser.id);
  const own =
    browser.family === 'firefox'
      ? ['-profile', profileDir]
      : chromiumArgs({ userDataDir: profileDir, port: options.port, ...(options.host ? { host: options.host } : {}) });
  const args = [...browser.baseArgs, ...own, ...(options.extraArgs ?? []), ...(options.url ? [options.url] : [])];
  return { command: browser.command, args, profileDir };
}

export interface Launched extends LaunchPlan {
  process: DetachedProcess;
}

export async function launchBrowser(browser: DetectedBrowser, options: LaunchOptions, runner: Runner): Promise<Launched> {
  const plan = planLaunch(browser, options);
  if (browser.family === 'firefox') {
    await prepareFirefoxProfile(plan.profileDir, {
      port: options.port,
      ...(options.host ? { host: options.host } : {}),
      ...(options.extraPrefs ? { extraPrefs: options.extraPrefs } : {}),
    });
  } else {
    await mkdir(plan.profileDir, { recursive: true, mode: 0o700 });
  }
  const proc = await runner.spawnDetached(plan.command, plan.args);
  return { ...plan, process: proc };
}
