// The PAC URL that system settings point at (the bridge serves the script, with its local/private bypass,
// at /proxy.pac), and the same bypass list in Windows' ProxyOverride syntax for the manual-proxy fallback.
import type { ProxyTarget } from './types.ts';

export function pacUrlFor(port: number, host = '127.0.0.1'): string {
  return `http://${host}:${port}/proxy.pac`;
}

export function proxyTarget(port: number, host = '127.0.0.1'): ProxyTarget {
  return { host, port, pacUrl: pacUrlFor(port, host) };
}

const PORTHOLE_PAC = /^http:\/\/(?:127\.0\.0\.1|localhost|\[::1\]):\d{1,5}\/proxy\.pac$/;

/** A PAC URL of some Porthole bridge on this machine (any port). */
export function isPortholePacUrl(url: unknown): boolean {
  return typeof url === 'string' && PORTHOLE_PAC.test(url);
}

/** Windows ProxyOverride: `<local>` = names without a dot. */
export const WINDOWS_BYPASS = [
  '<local>',
  'localhost',
  '127.*',
  '10.*',
  ...Array.from({ length: 16 }, (_, i) => `172.${16 + i}.*`),
  '192.168.*',
  '169.254.*',
  '[::1]',
].join(';');
