// Runs a peer in its own mount namespace with private copies of a few /etc files (we run as root):
//   /etc/hosts        maps UPSTREAM_ONLY_HOST to 127.0.0.1, so only the peer can resolve it. A client that
//                     connects to UPSTREAM_ONLY_HOST through the peer proves it resolves names remotely;
//   /etc/resolv.conf  points at 127.0.0.1, so a name the peer cannot find never leaves the machine;
//   /etc/passwd, /etc/shadow (optional) add test users, e.g. for dante's username method.
// The test process itself keeps the real files and cannot resolve UPSTREAM_ONLY_HOST.
import fs from 'node:fs';
import path from 'node:path';
import { BINARIES, requireBinary } from './binaries.ts';

/** A host name that only peers started by this harness can resolve (to 127.0.0.1). */
export const UPSTREAM_ONLY_HOST = 'only-upstream.porthole.test';

export interface PrivateEtcOptions {
  /** Extra lines for the private /etc/passwd (appended to a copy of the real one). */
  passwdLines?: string[];
  /** Extra lines for the private /etc/shadow (appended to a copy of the real one). */
  shadowLines?: string[];
}

export function privateHostsText(): string {
  return `127.0.0.1 localhost\n127.0.0.1 ${UPSTREAM_ONLY_HOST}\n::1 localhost ip6-localhost\n`;
}

/**
 * Writes the private files into dir and returns the command + args that run `binary args` with them
 * bind-mounted over /etc inside a private mount namespace. `exec` keeps the peer's pid the spawned pid.
 */
export function wrapWithPrivateEtc(dir: string, binary: string, args: string[], options: PrivateEtcOptions = {}): { command: string; args: string[] } {
  requireBinary(BINARIES.unshare);
  requireBinary(BINARIES.sh);
  const mounts: [string, string][] = [];
  const put = (name: string, text: string, target: string, mode = 0o644): void => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text, { mode });
    mounts.push([file, target]);
  };
  put('etc-hosts', privateHostsText(), '/etc/hosts');
  put('etc-resolv.conf', 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n', '/etc/resolv.conf');
  if (options.passwdLines?.length) {
    put('etc-passwd', appendLines(fs.readFileSync('/etc/passwd', 'utf8'), options.passwdLines), '/etc/passwd');
  }
  if (options.shadowLines?.length) {
    put('etc-shadow', appendLines(fs.readFileSync('/etc/shadow', 'utf8'), options.shadowLines), '/etc/shadow', 0o640);
  }
  // sh -c script: bind each "src dst" pair given before "--", then exec the peer.
  const script = 'set -e; while [ "$1" != -- ]; do mount --bind "$1" "$2"; shift 2; done; shift; exec "$@"';
  return {
    command: BINARIES.unshare,
    args: ['--mount', '--propagation', 'private', '--', BINARIES.sh, '-c', script, 'porthole-peer', ...mounts.flat(), '--', binary, ...args],
  };
}

function appendLines(text: string, lines: string[]): string {
  return (text.endsWith('\n') || text === '' ? text : `${text}\n`) + lines.map((l) => `${l}\n`).join('');
}
