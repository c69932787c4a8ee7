// Starts a peer daemon as a child process in its own process group, waits until it accepts TCP on its
// port, and stops it again (SIGTERM to the group, SIGKILL after a grace period, temp dir removed).
// Peers still running when the test process exits are killed by an exit hook.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { requireBinary } from './binaries.ts';
import { LOOPBACK } from './free-port.ts';
import { wrapWithPrivateEtc } from './private-etc.ts';
import type { PrivateEtcOptions } from './private-etc.ts';
import { delay, waitForAccept } from './wait.ts';

export interface Peer {
  /** e.g. "microsocks". */
  readonly name: string;
  /** Always 127.0.0.1. */
  readonly host: string;
  readonly port: number;
  readonly pid: number;
  /** The peer's temp dir (config, logs, private /etc files); removed by stop(). */
  readonly dir: string;
  /** The last 64 KiB of the peer's stdout and stderr, for failure messages. */
  output(): string;
  /** True once the process has exited. */
  exited(): boolean;
  /** Kills the peer (and any children it forked) and removes its temp dir. Idempotent. */
  stop(): Promise<void>;
}

export interface StartPeerOptions {
  name: string;
  binary: string;
  args: string[];
  /** The TCP port the peer listens on (127.0.0.1); start resolves once it accepts. */
  port: number;
  /** A dir from makePeerDir(); it becomes the peer's dir. */
  dir: string;
  /** Run inside a private mount namespace with harness /etc files (default true), or not (false). */
  privateEtc?: PrivateEtcOptions | boolean;
  readyTimeoutMs?: number;
}

const OUTPUT_LIMIT = 64 * 1024;
/** Running peers, and temp dirs of peers not stopped yet. */
const live = new Set<ChildProcess>();
const dirs = new Set<string>();
let exitHookInstalled = false;

function killAllLive(): void {
  for (const child of live) killGroup(child, 'SIGKILL');
  live.clear();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  dirs.clear();
}

/**
 * Peers run in their own process groups, so a Ctrl-C or a SIGTERM to the test process does not reach
 * them: kill them on exit, and on SIGINT/SIGTERM/SIGHUP (then re-raise the signal, so the process still
 * dies of it as it would have).
 */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', killAllLive);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      killAllLive();
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.once(signal, onSignal);
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** A fresh temp dir for one peer (mode 0755 so daemons that drop privileges can still read it). */
export function makePeerDir(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `porthole-peer-${name}-`));
  fs.chmodSync(dir, 0o755);
  return dir;
}

export async function startPeer(options: StartPeerOptions): Promise<Peer> {
  requireBinary(options.binary);
  installExitHook();
  const wrap = options.privateEtc === false
    ? { command: options.binary, args: options.args }
    : wrapWithPrivateEtc(options.dir, options.binary, options.args, options.privateEtc === true || options.privateEtc === undefined ? {} : options.privateEtc);
  const child = spawn(wrap.command, wrap.args, { cwd: options.dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  dirs.add(options.dir);
  let output = '';
  const collect = (chunk: Buffer): void => {
    output += chunk.toString('utf8');
    if (output.length > OUTPUT_LIMIT) output = output.slice(-OUTPUT_LIMIT);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let exitInfo: string | null = null;
  const exitedPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo = `exit code ${code ?? 'none'}, signal ${signal ?? 'none'}`;
      live.delete(child);
      resolve();
    });
  });
  let spawnError: Error | null = null;
  child.once('error', (err) => {
    spawnError = err;
  });

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    if (exitInfo === null) {
      killGroup(child, 'SIGTERM');
      const graceful = await Promise.race([exitedPromise.then(() => true), delay(2000).then(() => false)]);
      if (!graceful) {
        killGroup(child, 'SIGKILL');
        await exitedPromise;
      }
    }
    // Children of the peer (dante forks) share its process group: make sure none are left.
    killGroup(child, 'SIGKILL');
    fs.rmSync(options.dir, { recursive: true, force: true });
    dirs.delete(options.dir);
  };

  const peer: Peer = {
    name: options.name,
    host: LOOPBACK,
    port: options.port,
    pid: child.pid ?? -1,
    dir: options.dir,
    output: () => output,
    exited: () => exitInfo !== null,
    stop,
  };
  try {
    await waitForAccept(LOOPBACK, options.port, options.readyTimeoutMs ?? 10_000, () => {
      if (spawnError) return `${options.name}: could not start: ${spawnError.message}`;
      if (exitInfo !== null) return `${options.name} exited before accepting on ${options.port} (${exitInfo}):\n${output}`;
      return null;
    });
  } catch (err) {
    await stop();
    throw new Error(`${options.name} did not start: ${(err as Error).message}\n--- output ---\n${output}`, { cause: err });
  }
  return peer;
}
