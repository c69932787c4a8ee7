// A tiny private "LAN" for tests that need an address that is not loopback: a network namespace
// joined to this machine by a veth pair. The host end has a non-loopback address of this machine
// (a client bound to it is a real LAN peer to anything listening on 0.0.0.0); the namespace end
// is a far host whose chosen ports silently drop SYNs (iptables DROP inside the namespace only).
// Names and addresses are unique per process, so parallel test runs on one machine do not clash.
// Needs root: without it `startLan` throws (the caller's test fails loudly; nothing is skipped).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

export interface Lan {
  /** A non-loopback address of this machine (the host end of the veth). */
  readonly hostAddress: string;
  /** The far end, inside the namespace: nothing listens there, so its ports refuse. */
  readonly farAddress: string;
  readonly ns: string;
  /** Makes the far end drop every SYN to this port (no answer at all, as a censor does). */
  dropSyn(port: number): Promise<void>;
  close(): Promise<void>;
}

async function sh(cmd: string, args: string[]): Promise<string> {
  try {
    return (await run(cmd, args, { timeout: 20_000 })).stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')}: ${e.stderr?.trim() || e.message}`, { cause: err });
  }
}

async function freeSubnet(): Promise<number> {
  const used = await sh('ip', ['-4', '-o', 'addr', 'show']);
  for (let i = 0; i < 64; i++) {
    const n = 1 + (randomBytes(1)[0]! % 250);
    if (!used.includes(`10.251.${n}.`)) return n;
  }
  throw new Error('no free 10.251.x.0/30 subnet for the test LAN');
}

export async function startLan(): Promise<Lan> {
  if (!isRoot) {
    throw new Error('this test needs root (it makes a network namespace and a veth pair); run it as root, e.g. sudo scripts/dev npx vitest run …');
  }
  const tag = `${process.pid.toString(36)}${randomBytes(2).toString('hex')}`.slice(-8);
  const ns = `phlan-${tag}`;
  const hostIf = `phh${tag}`;
  const farIf = `phf${tag}`;
  const n = await freeSubnet();
  const hostAddress = `10.251.${n}.1`;
  const farAddress = `10.251.${n}.2`;
  const steps: [string, string[]][] = [
    ['ip', ['netns', 'add', ns]],
    ['ip', ['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', farIf]],
    ['ip', ['link', 'set', farIf, 'netns', ns]],
    ['ip', ['addr', 'add', `${hostAddress}/30`, 'dev', hostIf]],
    ['ip', ['link', 'set', hostIf, 'up']],
    ['ip', ['-n', ns, 'addr', 'add', `${farAddress}/30`, 'dev', farIf]],
    ['ip', ['-n', ns, 'link', 'set', farIf, 'up']],
    ['ip', ['-n', ns, 'link', 'set', 'lo', 'up']],
  ];
  const close = async (): Promise<void> => {
    await run('ip', ['link', 'del', hostIf]).catch(() => undefined);
    await run('ip', ['netns', 'del', ns]).catch(() => undefined);
  };
  try {
    for (const [cmd, args] of steps) await sh(cmd, args);
  } catch (err) {
    await close();
    throw err;
  }
  return {
    hostAddress,
    farAddress,
    ns,
    dropSyn: async (port) => {
      await sh('ip', ['netns', 'exec', ns, 'iptables', '-A', 'INPUT', '-p', 'tcp', '--syn', '--dport', String(port), '-j', 'DROP']);
    },
    close,
  };
}
