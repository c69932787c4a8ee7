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
  const page = options.url === undefined ? [] : [...(browser.family === 'firefox' ? [] : ['--']), pageUrl(options.url)];
  const args = [...browser.baseArgs, ...own, ...(options.extraArgs ?? []), ...page];
  return { command: browser.command, args, profileDir };
}

/**
 * The page to open, as a normalized http(s) URL: it starts with its scheme, so it can never be
 * read as a switch. Chromium also gets `--` before it (end of switches); Firefox has no such
 * marker, and a URL that cannot start with '-' needs none.
 */
export function pageUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`"${text.slice(0, 80)}" is not a web address (expected http:// or https://)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`only http:// and https:// pages are opened, not ${url.protocol}`);
  return url.href;
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
