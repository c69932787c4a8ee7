// The PAC URL that system settings point at (the bridge serves the script, with its local/private bypass,
// at /proxy.pac).
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
