// The Firefox preferences Porthole sets, and how they are written as user.js lines.

export type PrefValue = string | number | boolean;
export type Prefs = Record<string, PrefValue>;

/** Send everything through the bridge's SOCKS5 port, names resolved by the proxy, no leaks past it. */
export function proxyPrefs(host: string, port: number): Prefs {
  return {
    'network.proxy.type': 1,
    'network.proxy.socks': host,
    'network.proxy.socks_port': port,
    'network.proxy.socks_version': 5,
    'network.proxy.socks_remote_dns': true,
    'network.proxy.share_proxy_settings': false,
    'network.proxy.failover_direct': false,
    // DNS over HTTPS would resolve names outside the proxy: mode 5 = off by choice.
    'network.trr.mode': 5,
    'network.dns.disablePrefetch': true,
    'network.predictor.enabled': false,
    'network.prefetch-next': false,
    'network.http.speculative-parallel-limit': 0,
    'browser.urlbar.speculativeConnect.enabled': false,
    // WebRTC: only through the proxy, never reveal local or public addresses.
    'media.peerconnection.ice.proxy_only': true,
    'media.peerconnection.ice.proxy_only_if_behind_proxy': true,
    'media.peerconnection.ice.default_address_only': true,
    'media.peerconnection.ice.no_host': true,
  };
}

/** No first-run pages, default-browser nags or reporting in Porthole's own profile. */
export const QUIET_PREFS: Prefs = {
  'browser.shell.checkDefaultBrowser': false,
  'browser.startup.homepage_override.mstone': 'ignore',
  'browser.startup.firstrunSkipsHomepage': true,
  'startup.homepage_welcome_url': '',
  'startup.homepage_welcome_url.additional': '',
  'startup.homepage_override_url': '',
  'browser.aboutwelcome.enabled': false,
  'trailhead.firstrun.didSeeAboutWelcome': true,
  'browser.aboutConfig.showWarning': false,
  'browser.disableResetPrompt': true,
  'browser.tabs.warnOnClose': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'datareporting.policy.firstRunURL': '',
  'datareporting.healthreport.uploadEnabled': false,
  'toolkit.telemetry.reportingpolicy.firstRun': false,
  'toolkit.telemetry.enabled': false,
  'toolkit.telemetry.unified': false,
  'app.normandy.enabled': false,
  'app.shield.optoutstudies.enabled': false,
  'browser.discovery.enabled': false,
  'extensions.pocket.enabled': false,
  'browser.newtabpage.activity-stream.feeds.section.topstories': false,
  'browser.newtabpage.activity-stream.showSponsored': false,
  'browser.newtabpage.activity-stream.showSponsoredTopSites': false,
  // Connectivity probes would only add noise through the proxy.
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'browser.region.update.enabled': false,
  'browser.region.network.url': '',
};

export function formatPrefValue(v: PrefValue): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new Error(`Firefox integer prefs only: ${v}`);
    return String(v);
  }
  return v ? 'true' : 'false';
}

export function formatUserPref(name: string, value: PrefValue): string {
  return `user_pref(${JSON.stringify(name)}, ${formatPrefValue(value)});`;
}

/** Renders prefs as user.js lines (each ending in \n), in insertion order. */
export function renderUserJs(prefs: Prefs): string {
  return Object.entries(prefs)
    .map(([k, v]) => `${formatUserPref(k, v)}\n`)
    .join('');
}

/** The name of the pref a user.js / prefs.js line sets, if it is a `user_pref("…", …);` line. */
export function prefNameOfLine(line: string): string | undefined {
  const m = /^\s*user_pref\(\s*"((?:[^"\\]|\\.)*)"\s*,/.exec(line);
  return m ? (JSON.parse(`"${m[1]}"`) as string) : undefined;
}
