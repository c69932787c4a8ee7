// "Open a browser on the bridge": detect, launch with Porthole's profile, then check the bridge.
import { PortholeError } from '../../../shared/errors.ts';
import type { BrowserId, DetectedBrowser } from './catalog.ts';
import { BROWSERS, isBrowserId } from './catalog.ts';
import type { BridgeCheck } from './bridge-check.ts';
import { checkThroughBridge, DEFAULT_CHECK_URL } from './bridge-check.ts';
import { describeSearch, detectBrowsers, pickBrowser } from './detect.ts';
import type { HostEnv } from './host-env.ts';
import type { Launched, LaunchOptions } from './launch.ts';
import { launchBrowser } from './launch.ts';
import { openTelegramProxy } from './telegram.ts';

export type OpenTarget = BrowserId | 'telegram';

export function isOpenTarget(s: string): s is OpenTarget {
  return s === 'telegram' || isBrowserId(s);
}

/** How people call the browser `target` names. */
function browserName(target: string): string {
  return target === 'chrome' ? 'Chrome (or another Chromium-based browser)' : isBrowserId(target) ? BROWSERS[target].name : target;
}

/** How long a just-started browser is watched for an early exit. */
export const START_WATCH_MS = 2000;

export interface OpenOptions extends Omit<LaunchOptions, 'url'> {
  url?: string;
  /** URL fetched through the bridge after the launch; false skips the check. */
  checkUrl?: string | false;
  checkTimeoutMs?: number;
  /** Telegram: the tg:// link to hand over (default: the bridge as tg://socks). */
  telegramLink?: string;
  /** How long to watch the started browser for an early exit (default START_WATCH_MS). */
  startWatchMs?: number;
}

export type OpenResult =
  | { kind: 'browser'; browser: DetectedBrowser; launched: Launched; check?: BridgeCheck }
  | { kind: 'telegram'; link: string; check?: BridgeCheck };

export async function openOnBridge(host: HostEnv, target: OpenTarget, options: OpenOptions): Promise<OpenResult> {
  let result: OpenResult;
  if (target === 'telegram') {
    const r = await openTelegramProxy(host.platform, host.runner, options.port, options.host, options.telegramLink);
    if (r.code !== 0) {
      const why = (r.stderr || r.stdout).trim().split('\n')[0] ?? '';
      throw new Error(`could not open ${r.link} (is Telegram Desktop installed?)${why ? `: ${why}` : ''}`);
    }
    result = { kind: 'telegram', link: r.link };
  } else {
    const browser = pickBrowser(await detectBrowsers(host), target);
    if (!browser) throw new PortholeError('browser-not-found', `${browserName(target)} is not installed: looked in ${describeSearch(host)}`);
    const launched = await launchBrowser(browser, options, host.runner);
    await watchStart(launched, browser.name, options.startWatchMs ?? START_WATCH_MS);
    result = { kind: 'browser', browser, launched };
  }
  if (options.checkUrl !== false) {
    result.check = await checkThroughBridge({
      port: options.port,
      url: options.checkUrl ?? DEFAULT_CHECK_URL,
      ...(options.host ? { host: options.host } : {}),
      ...(options.checkTimeoutMs ? { timeoutMs: options.checkTimeoutMs } : {}),
    });
  }
  return result;
}

/**
 * A browser that exits with an error right after it started did not open: say so instead of
 * reporting success. Exit code 0 is fine (the page was handed to a browser already running).
 */
async function watchStart(launched: Launched, name: string, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const early = await Promise.race([
    launched.process.exited,
    new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms))),
  ]);
  clearTimeout(timer);
  if (early === null || early.code === 0) return;
  const how = early.signal ? `it was stopped by ${early.signal}` : early.code === null ? 'it could not run' : `exit code ${early.code}`;
  throw new PortholeError('browser-failed', `${name} closed right after it started (${how})`);
}
