// The Debian binaries that the peers run. A missing one is a broken test machine: throw, never skip.
import fs from 'node:fs';

export const BINARIES = {
  danted: '/usr/sbin/danted',
  microsocks: '/usr/bin/microsocks',
  ssServer: '/usr/bin/ss-server',
  ssLocal: '/usr/bin/ss-local',
  tinyproxy: '/usr/bin/tinyproxy',
  unshare: '/usr/bin/unshare',
  sh: '/bin/sh',
  openssl: '/usr/bin/openssl',
  v2ray: '/usr/bin/v2ray',
  trojan: '/usr/bin/trojan',
  nginx: '/usr/sbin/nginx',
} as const;

/** Returns the path when it is an executable file; throws a loud, actionable error otherwise. */
export function requireBinary(path: string): string {
  try {
    fs.accessSync(path, fs.constants.X_OK);
  } catch {
    throw new Error(`test peer binary ${path} is missing or not executable: run scripts/install-peers (as root) to install the Debian test peers`);
  }
  return path;
}
