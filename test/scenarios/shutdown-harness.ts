// A simulated internet shutdown, built from Linux network namespaces and iptables (needs root).
//
//   censored namespace (the client)            outside namespace (the free internet)
//   10.200.0.2/24  ── veth ──────────────────  10.200.0.1/24   honest DNS (dnsmasq :53)
//   lo: poisoned DNS (dnsmasq 127.0.0.1:53)    10.200.0.10     news.outside.test web page (:80, :8080)
//   iptables OUTPUT: the censor                10.200.0.11–16  proxies (microsocks, ss-server, danted, tinyproxy)
//                                              10.200.0.21–23  list mirrors (HTTP, /list.signed)
//
// The veth pair is created directly inside the two namespaces, so nothing appears in the host's
// namespace, and neither namespace has any route except the on-link 10.200.0.0/24: no traffic can
// leave the machine. Alternative ports are mapped to each proxy's one listener with DNAT inside the
// outside namespace. The censor (iptables in the censored namespace, OUTPUT chain) resets or drops
// most proxy ports, lets exactly one alternative port of one server through (proxy B, port 8443),
// drops or resets most mirrors and lets one through, drops every other packet to the outside
// (including the news site, the honest DNS and the poisoned address), and the censored namespace's
// /etc/resolv.conf points at a dnsmasq that answers every name with BOGUS_ADDRESS.
//
// Everything is torn down by stop(), also when the start fails half way; an exit hook does the same
// synchronously if the test process ends without stop(), and the next start sweeps namespaces left
// by a test process that was killed.
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PROBE_URLS } from '../../electron/core/probe/probe-url.ts';
import { BINARIES, requireBinary } from '../peers/binaries.ts';
import { CLI, porthole } from '../helpers/cli.ts';

export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** What the censor does to packets for one destination port. */
export type Censor = 'open' | 'drop' | 'reset';

export const SUBNET = '10.200.0.0/24';
export const ADDRESSES = {
  /** The outside end of the veth; the honest DNS server listens here. */
  outside: '10.200.0.1',
  /** The censored end of the veth: the client's only address besides loopback. */
  censored: '10.200.0.2',
  /** The news site. */
  web: '10.200.0.10',
  /** What the poisoned DNS answers for every name; owned by nobody, and dropped by the censor. */
  bogus: '10.200.0.250',
} as const;

export const WEB_NAME = 'news.outside.test';
export const WEB_PORT = 8080;
export const HELLO_BODY = 'hello from the outside: the news site behind the shutdown\n';
export const MIRROR_NAME = 'mirror.outside.test';

export interface ScenarioProxy {
  /** One letter, A–F; also the list entry's label prefix. */
  readonly label: string;
  readonly kind: 'microsocks' | 'ss-server' | 'danted' | 'tinyproxy';
  readonly protocol: 'socks5' | 'shadowsocks' | 'http';
  readonly host: string;
  /** The port the process listens on; the other ports are DNAT'ed to it inside the outside namespace. */
  readonly listenPort: number;
  /** The ports the list names, in order (the first is the link's port), and what the censor does to each. */
  readonly ports: readonly number[];
  readonly censor: Readonly<Record<number, Censor>>;
  /** The proxy link written into list.json (before `ports` overrides the link's port). */
  readonly link: string;
  /** The list entry's label. */
  readonly entryLabel: string;
  /** Shadowsocks only. */
  readonly method?: string;
  readonly password?: string;
}

export interface ScenarioMirror {
  readonly url: string;
  /** The IP the URL names, or the name (for the mirror that is only blocked by DNS poisoning). */
  readonly host: string;
  /** The IP that serves it (the honest answer for the named mirror). */
  readonly address: string;
  readonly port: number;
  readonly censor: Censor | 'dns-poisoned';
}

export interface ExecResult {
  /** Exit code, or null when killed (e.g. by the timeout). */
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface ExecOptions {
  timeoutMs?: number;
  input?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface ScenarioProcess {
  readonly name: string;
  readonly ns: string;
  readonly pid: number;
  /** Everything the process wrote to stdout so far (the last 1 MiB). */
  stdout(): string;
  /** The last 64 KiB of stdout and stderr together, for failure messages. */
  output(): string;
  exited(): boolean;
  /** Resolves with the first stdout line (whole, without the newline) for which `match` is true. */
  waitForLine(match: (line: string) => boolean, timeoutMs: number, what: string): Promise<string>;
  /** SIGTERM to the process group, SIGKILL after a grace period. Idempotent. */
  stop(): Promise<void>;
}

export interface OutsideRequest {
  role: 'web' | 'mirror';
  /** "addr:port" of the listener that got the request. */
  on: string;
  /** The address the request came from: the proxy's address when it came through a proxy. */
  from: string;
  method: string;
  url: string;
  host: string | undefined;
}

export interface PortOutcome {
  /** open: connected; reset: refused; timeout: the connect timed out (dropped); other: see stderr. */
  outcome: 'open' | 'reset' | 'timeout' | 'other';
  /** curl's exit code. */
  code: number | null;
  ms: number;
  stderr: string;
}

export interface Scenario {
  readonly censoredNs: string;
  readonly outsideNs: string;
  readonly addresses: typeof ADDRESSES;
  readonly dns: {
    readonly honest: { host: string; port: number };
    readonly poisoned: { host: string; port: number };
    readonly bogusAddress: string;
  };
  readonly web: { readonly name: string; readonly host: string; readonly ports: readonly number[]; readonly url: string; readonly body: string };
  readonly proxies: readonly ScenarioProxy[];
  /** The one way through the censor: proxy B on its third (alternative) port. */
  readonly expected: { readonly proxy: ScenarioProxy; readonly port: number };
  readonly mirrors: readonly ScenarioMirror[];
  readonly openMirror: ScenarioMirror;
  /** Every mirror URL (also the list's `channels`). */
  readonly channels: readonly string[];
  readonly list: {
    /** The signed list the mirrors serve. */
    readonly file: string;
    /** publisher.pub: what `porthole trust add` takes. */
    readonly publisherFile: string;
    readonly keyFile: string;
    readonly publisher: string;
    /** The list.json that was signed. */
    readonly input: { name: string; entries: Record<string, unknown>[]; channels: string[] };
  };
  /** A temp dir for the test's own files (data dirs etc.); removed by stop(). */
  readonly workDir: string;
  /** Runs a command to completion inside one of the two namespaces ('censored', 'outside' or its name). */
  exec(ns: string, cmd: string, args: readonly string[], options?: ExecOptions): Promise<ExecResult>;
  /** Starts a long-running command inside a namespace; stop() ends it. */
  spawn(ns: string, name: string, cmd: string, args: readonly string[], options?: { env?: NodeJS.ProcessEnv; cwd?: string }): ScenarioProcess;
  /** Runs the porthole CLI (this checkout) inside a namespace. */
  porthole(ns: string, args: readonly string[], options?: ExecOptions): Promise<ExecResult>;
  /** Starts the porthole CLI (this checkout) as a long-running process inside a namespace. */
  spawnPorthole(ns: string, name: string, args: readonly string[]): ScenarioProcess;
  /** curl inside a namespace (-q: no config file; the proxy variables are removed from its environment), e.g. curl('censored', ['-sS', url]). */
  curl(ns: string, args: readonly string[], timeoutMs?: number): Promise<ExecResult>;
  /** What a TCP connect to host:port does from inside a namespace: open, reset (refused) or timeout. */
  tcpCheck(ns: string, host: string, port: number, timeoutMs?: number): Promise<PortOutcome>;
  /** Waits until `proc` listens on proto addr ("127.0.0.1:1090") inside a namespace; throws if it exits first. */
  waitForListen(ns: string, proto: 'tcp' | 'udp', addr: string, proc: ScenarioProcess, timeoutMs?: number): Promise<void>;
  /** The requests the outside web site and mirrors have seen so far. */
  requests(): OutsideRequest[];
  stop(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Tools

const HERE = path.dirname(fileURLToPath(import.meta.url));
const OUTSIDE_HTTP = path.join(HERE, 'outside-http.ts');
const NODE_FLAGS = ['--disable-warning=ExperimentalWarning'];

export const TOOLS = {
  ip: firstExisting(['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip']),
  ss: firstExisting(['/usr/bin/ss', '/usr/sbin/ss', '/bin/ss', '/sbin/ss']),
  iptables: firstExisting(['/usr/sbin/iptables', '/sbin/iptables']),
  iptablesLegacy: firstExisting(['/usr/sbin/iptables-legacy', '/sbin/iptables-legacy']),
  dnsmasq: firstExisting(['/usr/sbin/dnsmasq', '/sbin/dnsmasq']),
  curl: firstExisting(['/usr/bin/curl', '/bin/curl']),
  getent: firstExisting(['/usr/bin/getent', '/bin/getent']),
  sysctl: firstExisting(['/usr/sbin/sysctl', '/sbin/sysctl']),
};

function firstExisting(paths: string[]): string {
  return paths.find((p) => fs.existsSync(p)) ?? paths[0]!;
}

/** The environment for everything started in a namespace: no proxy variables, no data dir. */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/_proxy$/i.test(k) || k === 'NODE_OPTIONS' || k === 'CURL_HOME') continue;
    env[k] = v;
  }
  env.PORTHOLE_DATA_DIR = '';
  return { ...env, ...extra };
}

// ---------------------------------------------------------------------------------------------
// Processes

const OUTPUT_LIMIT = 64 * 1024;
const STDOUT_LIMIT = 1024 * 1024;

export interface Tracked {
  child: ChildProcess;
  handle: ScenarioProcess;
}

export function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function runIn(ns: string, cmd: string, args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? 15_000;
  return new Promise((resolve, reject) => {
    const child = spawn(TOOLS.ip, ['netns', 'exec', ns, cmd, ...args], {
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: cleanEnv(options.env),
      cwd: options.cwd,
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid, 'SIGKILL');
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${cmd} in ${ns}: ${err.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      killGroup(child.pid, 'SIGKILL'); // anything it left behind in its group
      resolve({ code, signal, timedOut, stdout, stderr, ms: Date.now() - started });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}

function describeRun(cmd: string, args: readonly string[], r: ExecResult): string {
  const how = r.timedOut ? `timed out after ${r.ms} ms` : r.code !== null ? `exit code ${r.code}` : `signal ${r.signal}`;
  return `${[cmd, ...args].join(' ')}: ${how}\n--- stdout ---\n${r.stdout.slice(-4000)}\n--- stderr ---\n${r.stderr.slice(-4000)}`;
}

export function startIn(ns: string, name: string, cmd: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Tracked {
  const child = spawn(TOOLS.ip, ['netns', 'exec', ns, cmd, ...args], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: cleanEnv(options.env),
    cwd: options.cwd,
  });
  let output = '';
  let stdout = '';
  let partial = '';
  let exitInfo: string | null = null;
  const lineWaiters = new Set<(line: string) => void>();
  const exitWaiters = new Set<() => void>();
  const onLine = (line: string): void => {
    for (const w of [...lineWaiters]) w(line);
  };
  const collect = (chunk: Buffer): void => {
    output += chunk.toString('utf8');
    if (output.length > OUTPUT_LIMIT) output = output.slice(-OUTPUT_LIMIT);
  };
  child.stdout?.on('data', (chunk: Buffer) => {
    collect(chunk);
    const text = chunk.toString('utf8');
    stdout += text;
    if (stdout.length > STDOUT_LIMIT) stdout = stdout.slice(-STDOUT_LIMIT);
    partial += text;
    let nl: number;
    while ((nl = partial.indexOf('\n')) >= 0) {
      const line = partial.slice(0, nl);
      partial = partial.slice(nl + 1);
      onLine(line);
    }
  });
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo = `exit code ${code ?? 'none'}, signal ${signal ?? 'none'}`;
      for (const w of [...exitWaiters]) w();
      resolve();
    });
  });
  child.once('error', (err) => {
    exitInfo = `could not start: ${err.message}`;
    for (const w of [...exitWaiters]) w();
  });

  let stopping: Promise<void> | null = null;
  const handle: ScenarioProcess = {
    name,
    ns,
    pid: child.pid ?? -1,
    stdout: () => stdout,
    output: () => output,
    exited: () => exitInfo !== null,
    waitForLine: (match, timeoutMs, what) => {
      const seen = stdout.split('\n').slice(0, -1).find(match);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const done = (): void => {
          clearTimeout(timer);
          lineWaiters.delete(onMatch);
          exitWaiters.delete(onExit);
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`${name}: no ${what} within ${timeoutMs} ms\n--- output ---\n${output}`));
        }, timeoutMs);
        const onMatch = (line: string): void => {
          if (!match(line)) return;
          done();
          resolve(line);
        };
        const onExit = (): void => {
          done();
          reject(new Error(`${name} ended (${exitInfo}) before ${what}\n--- output ---\n${output}`));
        };
        lineWaiters.add(onMatch);
        exitWaiters.add(onExit);
        if (exitInfo !== null) onExit();
      });
    },
    stop: () => {
      stopping ??= (async () => {
        if (exitInfo === null) {
          killGroup(child.pid, 'SIGTERM');
          const graceful = await Promise.race([exited.then(() => true), delay(1500).then(() => false)]);
          if (!graceful) {
            killGroup(child.pid, 'SIGKILL');
            await Promise.race([exited, delay(2000)]);
          }
        }
        killGroup(child.pid, 'SIGKILL'); // forked children (danted) share the group
      })();
      return stopping;
    },
  };
  return { child, handle };
}

// ---------------------------------------------------------------------------------------------
// Leftovers and the exit hook

export interface Live {
  namespaces: string[];
  children: ChildProcess[];
  netnsDirs: string[];
  workDir: string;
}

export const live = new Set<Live>();
let exitHookInstalled = false;

export function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const l of live) cleanupSync(l);
  });
}

function pidsIn(ns: string): number[] {
  try {
    return execFileSync(TOOLS.ip, ['netns', 'pids', ns], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .split(/\s+/).filter((s) => /^\d+$/.test(s)).map(Number);
  } catch {
    return [];
  }
}

/** Synchronous teardown, for the exit hook and for leftovers of killed test processes. */
export function cleanupSync(l: Live): void {
  for (const child of l.children) killGroup(child.pid, 'SIGKILL');
  for (const ns of l.namespaces) {
    // Only processes inside our own namespace: the ones this harness started (and their children).
    for (const pid of pidsIn(ns)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    try {
      execFileSync(TOOLS.ip, ['netns', 'del', ns], { stdio: 'ignore' });
    } catch {
      // not there
    }
  }
  for (const dir of l.netnsDirs) fs.rmSync(dir, { recursive: true, force: true });
  removeNetnsRootIfEmpty();
  if (l.workDir) fs.rmSync(l.workDir, { recursive: true, force: true });
}

function removeNetnsRootIfEmpty(): void {
  try {
    if (fs.readdirSync('/etc/netns').length === 0) fs.rmdirSync('/etc/netns');
  } catch {
    // missing or in use by someone else
  }
}

const NS_PATTERN = /^ph-(cen|out)-((\d+)-[0-9a-f]{6})$/;

function workDirFor(tag: string): string {
  return path.join(os.tmpdir(), `porthole-shutdown-${tag}`);
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Namespaces of this harness whose test process is gone (killed before it could clean up). */
function sweepLeftovers(): void {
  let names: string[];
  try {
    names = execFileSync(TOOLS.ip, ['netns', 'list'], { encoding: 'utf8' }).split('\n').map((l) => l.split(' ')[0] ?? '');
  } catch {
    return;
  }
  for (const name of names) {
    const m = NS_PATTERN.exec(name);
    if (!m || pidAlive(Number(m[3]))) continue;
    console.warn(`shutdown scenario: removing namespace ${name} left by test process ${m[3]}, which is gone`);
    cleanupSync({ namespaces: [name], children: [], netnsDirs: [path.join('/etc/netns', name)], workDir: workDirFor(m[2]!) });
  }
}

// ---------------------------------------------------------------------------------------------
// The scenario

interface ProxyPlan {
  label: string;
  kind: ScenarioProxy['kind'];
  protocol: ScenarioProxy['protocol'];
  host: string;
  ports: [number, Censor][];
  method?: string;
}

const PROXY_PLANS: ProxyPlan[] = [
  // A: every port silently dropped.
  { label: 'A', kind: 'microsocks', protocol: 'socks5', host: '10.200.0.11', ports: [[1080, 'drop'], [2080, 'drop'], [3080, 'drop']] },
  // B: the known port reset, the first alternative dropped, the second alternative open: the way through.
  { label: 'B', kind: 'microsocks', protocol: 'socks5', host: '10.200.0.12', ports: [[1080, 'reset'], [1443, 'drop'], [8443, 'open']] },
  // C: Shadowsocks, dropped on its usual port, reset on the alternatives.
  { label: 'C', kind: 'ss-server', protocol: 'shadowsocks', host: '10.200.0.13', ports: [[8388, 'drop'], [8389, 'reset'], [443, 'reset']], method: 'chacha20-ietf-poly1305' },
  // D: Shadowsocks on one port, reset.
  { label: 'D', kind: 'ss-server', protocol: 'shadowsocks', host: '10.200.0.14', ports: [[8388, 'reset']], method: 'aes-256-gcm' },
  // E: Dante, dropped.
  { label: 'E', kind: 'danted', protocol: 'socks5', host: '10.200.0.15', ports: [[1080, 'drop'], [1081, 'drop']] },
  // F: tinyproxy (HTTP CONNECT), dropped and reset.
  { label: 'F', kind: 'tinyproxy', protocol: 'http', host: '10.200.0.16', ports: [[8888, 'drop'], [3128, 'reset']] },
];

const MIRROR_PLANS: { host: string; address: string; censor: ScenarioMirror['censor'] }[] = [
  { host: '10.200.0.21', address: '10.200.0.21', censor: 'drop' },
  { host: '10.200.0.22', address: '10.200.0.22', censor: 'reset' },
  { host: '10.200.0.23', address: '10.200.0.23', censor: 'open' },
  // Served by the open mirror, but its name resolves to the bogus address through the poisoned DNS.
  { host: MIRROR_NAME, address: '10.200.0.23', censor: 'dns-poisoned' },
];

function nsRef(censoredNs: string, outsideNs: string, ns: string): string {
  if (ns === 'censored' || ns === censoredNs) return censoredNs;
  if (ns === 'outside' || ns === outsideNs) return outsideNs;
  throw new Error(`shutdown scenario: "${ns}" is not one of this scenario's namespaces (${censoredNs}, ${outsideNs}); nothing runs elsewhere`);
}

export async function startShutdownScenario(): Promise<Scenario> {
  if (!isRoot) throw new Error('the shutdown scenario needs root (network namespaces and iptables): run the tests as root');
  for (const tool of [TOOLS.ip, TOOLS.ss, TOOLS.iptables, TOOLS.dnsmasq, TOOLS.curl, TOOLS.getent]) requireBinary(tool);
  for (const bin of [BINARIES.microsocks, BINARIES.ssServer, BINARIES.danted, BINARIES.tinyproxy]) requireBinary(bin);
  installExitHook();
  const t0 = Date.now();
  const trace = (what: string): void => {
    if (process.env.PORTHOLE_SCENARIO_TRACE) console.warn(`shutdown scenario: ${what} at ${Date.now() - t0} ms`);
  };
  sweepLeftovers();

  const tag = `${process.pid}-${randomBytes(3).toString('hex')}`;
  const censoredNs = `ph-cen-${tag}`;
  const outsideNs = `ph-out-${tag}`;
  const workDir = workDirFor(tag);
  fs.mkdirSync(workDir, { mode: 0o755 });
  fs.chmodSync(workDir, 0o755); // daemons that drop privileges (tinyproxy) read their config here
  const state: Live = { namespaces: [], children: [], netnsDirs: [], workDir };
  live.add(state);
  const tracked: Tracked[] = [];
  const track = (t: Tracked): ScenarioProcess => {
    tracked.push(t);
    state.children.push(t.child);
    return t.handle;
  };

  let stopped: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      await Promise.all(tracked.map((t) => t.handle.stop()));
      cleanupSync(state);
      live.delete(state);
    })();
    return stopped;
  };

  const must = async (ns: string, cmd: string, args: readonly string[], timeoutMs = 10_000): Promise<ExecResult> => {
    const r = await runIn(ns, cmd, args, { timeoutMs });
    if (r.code !== 0) throw new Error(`shutdown scenario setup failed in ${ns}: ${describeRun(cmd, args, r)}`);
    return r;
  };
  const ipHost = (args: string[]): void => {
    execFileSync(TOOLS.ip, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  };
  const ipBatch = (ns: string, lines: string[]): void => {
    execFileSync(TOOLS.ip, ['-n', ns, '-batch', '-'], { input: `${lines.join('\n')}\n`, stdio: ['pipe', 'ignore', 'pipe'] });
  };

  // --- the proxies, as the list names them
  const proxies: ScenarioProxy[] = PROXY_PLANS.map((p) => {
    const listenPort = p.ports[0]![0];
    const ports = p.ports.map(([port]) => port);
    const censor = Object.fromEntries(p.ports) as Record<number, Censor>;
    const entryLabel = `${p.label}-${p.kind}`;
    if (p.protocol === 'shadowsocks') {
      const password = `ph-${p.label}-${randomBytes(8).toString('hex')}`;
      const method = p.method!;
      const info = Buffer.from(`${method}:${password}`).toString('base64url');
      return { label: p.label, kind: p.kind, protocol: p.protocol, host: p.host, listenPort, ports, censor, entryLabel, method, password, link: `ss://${info}@${p.host}:${listenPort}#${entryLabel}` };
    }
    return { label: p.label, kind: p.kind, protocol: p.protocol, host: p.host, listenPort, ports, censor, entryLabel, link: `${p.protocol}://${p.host}:${listenPort}` };
  });
  const expectedProxy = proxies.find((p) => Object.values(p.censor).includes('open'))!;
  const expectedPort = expectedProxy.ports.find((port) => expectedProxy.censor[port] === 'open')!;

  const mirrors: ScenarioMirror[] = MIRROR_PLANS.map((m) => ({ url: `http://${m.host}/list.signed`, host: m.host, address: m.address, port: 80, censor: m.censor }));
  const openMirror = mirrors.find((m) => m.censor === 'open')!;
  const channels = mirrors.map((m) => m.url);

  // Names the outside DNS answers honestly: the news site, the named mirror, and the hosts of the
  // engine's default probe URLs (the "internet" the probes expect), all served in the outside namespace.
  const probeTargets = DEFAULT_PROBE_URLS.map((u) => new URL(u)).filter((u) => u.protocol === 'http:');
  const webPorts = [...new Set([WEB_PORT, ...probeTargets.map((u) => Number(u.port || 80))])];
  const hostRecords = [
    [WEB_NAME, ADDRESSES.web],
    [MIRROR_NAME, openMirror.address],
    ...[...new Set(probeTargets.map((u) => u.hostname))].map((h) => [h, ADDRESSES.web]),
  ];

  // --- the signed list (publisher side, on the host: no network involved)
  const keyDir = path.join(workDir, 'publisher');
  const listFile = path.join(workDir, 'list.signed');
  const listInput = {
    name: 'Shutdown scenario volunteers',
    entries: proxies.map((p) => ({ url: p.link, ports: [...p.ports], label: p.entryLabel })),
    channels,
  };
  fs.writeFileSync(path.join(workDir, 'list.json'), JSON.stringify(listInput, null, 2));
  // Started first: two CLI runs, the slowest part of the start; it runs while the namespaces come up.
  const signing = (async () => {
    const kg = await porthole(['keygen', '--out', keyDir, '--name', 'Shutdown scenario volunteers'], { timeoutMs: 30_000 });
    if (kg.code !== 0) throw new Error(`porthole keygen failed (${kg.code}): ${kg.stderr}`);
    const publisher = /^publisher\s+(\S+)/m.exec(kg.stdout)?.[1];
    if (!publisher) throw new Error(`porthole keygen printed no publisher id:\n${kg.stdout}`);
    const sg = await porthole(['sign', '--key', path.join(keyDir, 'publisher.key'), '--in', path.join(workDir, 'list.json'), '--out', listFile, '--expires', '2d'], { timeoutMs: 30_000 });
    if (sg.code !== 0) throw new Error(`porthole sign failed (${sg.code}): ${sg.stderr}`);
    return publisher;
  })();
  signing.catch(() => {}); // awaited below; this only keeps an early setup failure from leaving it unhandled

  try {
    // --- namespaces and the wire between them
    for (const ns of [censoredNs, outsideNs]) {
      ipHost(['netns', 'add', ns]);
      state.namespaces.push(ns);
    }
    const extra = [ADDRESSES.web, ...PROXY_PLANS.map((p) => p.host), ...new Set(MIRROR_PLANS.map((m) => m.address))];
    // The veth pair is born inside the namespaces: it never exists in the host's namespace.
    ipBatch(outsideNs, [
      'link set lo up',
      `link add ph-out type veth peer name ph-cen netns ${censoredNs}`,
      `addr add ${ADDRESSES.outside}/24 dev ph-out`,
      ...extra.map((a) => `addr add ${a}/32 dev ph-out`),
      'link set ph-out up',
    ]);
    ipBatch(censoredNs, ['link set lo up', `addr add ${ADDRESSES.censored}/24 dev ph-cen`, 'link set ph-cen up']);
    // IPv4 only: no link-local IPv6 chatter (when IPv6 is not built in, there is nothing to switch off).
    await Promise.all([censoredNs, outsideNs].map((ns) =>
      runIn(ns, TOOLS.sysctl, ['-qw', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1'], { timeoutMs: 5000 })));

    trace('namespaces and veth up');
    // --- resolv.conf per namespace (ip netns exec bind-mounts /etc/netns/NAME/* over /etc/*)
    for (const [ns, server] of [[outsideNs, ADDRESSES.outside], [censoredNs, '127.0.0.1']] as const) {
      const dir = path.join('/etc/netns', ns);
      state.netnsDirs.push(dir);
      // A second try in case a parallel run removed an empty /etc/netns between mkdir and write.
      for (let attempt = 0; ; attempt++) {
        try {
          fs.mkdirSync(dir, { recursive: true });
          fs.writeFileSync(path.join(dir, 'resolv.conf'), `nameserver ${server}\noptions timeout:1 attempts:2\n`);
          break;
        } catch (err) {
          if (attempt > 0 || (err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        }
      }
    }

    trace('resolv.conf written');
    // --- iptables: the nft backend, or legacy when nft does not work here
    let iptables = TOOLS.iptables;
    if ((await runIn(censoredNs, iptables, ['-S', 'OUTPUT'])).code !== 0) {
      iptables = requireBinary(TOOLS.iptablesLegacy);
      await must(censoredNs, iptables, ['-S', 'OUTPUT']);
    }

    trace('iptables backend picked');
    // --- outside: alternative ports → each proxy's listener (DNAT for traffic from the wire and from
    //     inside the outside namespace itself)
    const nat: string[] = [];
    for (const p of proxies) {
      for (const port of p.ports) {
        if (port === p.listenPort) continue;
        for (const chain of ['PREROUTING', 'OUTPUT']) {
          nat.push(`-A ${chain} -d ${p.host}/32 -p tcp --dport ${port} -j DNAT --to-destination ${p.host}:${p.listenPort}`);
        }
      }
    }

    // --- censored: the censor
    const portRule = (host: string, port: number, what: Censor): string => {
      const target = what === 'open' ? 'ACCEPT' : what === 'reset' ? 'REJECT --reject-with tcp-reset' : 'DROP';
      return `-A OUTPUT -d ${host}/32 -p tcp --dport ${port} -j ${target}`;
    };
    const filter = ['-A OUTPUT -o lo -j ACCEPT'];
    for (const p of proxies) for (const port of p.ports) filter.push(portRule(p.host, port, p.censor[port]!));
    for (const m of mirrors) if (m.censor !== 'dns-poisoned') filter.push(portRule(m.host, m.port, m.censor));
    // Everything else to the outside, including the news site, the honest DNS and the bogus address.
    filter.push(`-A OUTPUT -d ${SUBNET} -j DROP`);

    // One iptables-restore per namespace (one rule at a time costs a process each).
    const restore = (table: string, chains: string[], rules: string[]): string =>
      [`*${table}`, ...chains.map((c) => `:${c} ACCEPT [0:0]`), ...rules, 'COMMIT', ''].join('\n');
    const restoreIn = async (ns: string, text: string): Promise<void> => {
      const r = await runIn(ns, `${iptables}-restore`, [], { input: text, timeoutMs: 10_000 });
      if (r.code !== 0) throw new Error(`shutdown scenario setup failed in ${ns}: ${describeRun(`${iptables}-restore`, [], r)}\n--- rules ---\n${text}`);
    };
    await Promise.all([
      restoreIn(outsideNs, restore('nat', ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'], nat)),
      restoreIn(censoredNs, restore('filter', ['INPUT', 'FORWARD', 'OUTPUT'], filter)),
    ]);

    trace('censor and DNAT rules loaded');
    // --- outside peers
    const out = (name: string, cmd: string, args: string[]): ScenarioProcess => track(startIn(outsideNs, name, cmd, args, { cwd: workDir }));
    const dnsmasqArgs = (name: string, listen: string, records: string[]): string[] => [
      '--keep-in-foreground', '--conf-file=/dev/null', '--no-resolv', '--no-hosts', '--no-poll', '--bind-interfaces',
      `--listen-address=${listen}`, '--port=53', `--pid-file=${path.join(workDir, `${name}.pid`)}`, '--log-facility=-', '--user=root',
      ...records,
    ];
    const listeners: { ns: string; proto: 'tcp' | 'udp'; addr: string; proc: ScenarioProcess }[] = [];
    const honestDns = out('dnsmasq(honest)', TOOLS.dnsmasq, dnsmasqArgs('dnsmasq-honest', ADDRESSES.outside, [
      '--local=/outside.test/', ...hostRecords.map(([n, a]) => `--host-record=${n},${a}`),
    ]));
    listeners.push({ ns: outsideNs, proto: 'udp', addr: `${ADDRESSES.outside}:53`, proc: honestDns });

    for (const p of proxies) {
      let proc: ScenarioProcess;
      if (p.kind === 'microsocks') {
        proc = out(`microsocks(${p.label})`, BINARIES.microsocks, ['-i', p.host, '-p', String(p.listenPort), '-b', p.host]);
      } else if (p.kind === 'ss-server') {
        proc = out(`ss-server(${p.label})`, BINARIES.ssServer, [
          '-s', p.host, '-p', String(p.listenPort), '-k', p.password!, '-m', p.method!, '-b', p.host, '-d', ADDRESSES.outside, '-t', '30', '--no-delay',
        ]);
      } else if (p.kind === 'danted') {
        const conf = path.join(workDir, `danted-${p.label}.conf`);
        fs.writeFileSync(conf, [
          'logoutput: stderr',
          `internal: ${p.host} port = ${p.listenPort}`,
          `external: ${p.host}`,
          'clientmethod: none',
          'socksmethod: none',
          'user.privileged: root',
          'user.unprivileged: nobody',
          'timeout.negotiate: 10',
          `client pass { from: ${SUBNET} to: 0.0.0.0/0 }`,
          `socks pass { from: ${SUBNET} to: ${SUBNET} command: connect }`,
          '',
        ].join('\n'), { mode: 0o644 });
        proc = out(`danted(${p.label})`, BINARIES.danted, ['-f', conf, '-N', '1', '-p', path.join(workDir, `danted-${p.label}.pid`)]);
      } else {
        const conf = path.join(workDir, `tinyproxy-${p.label}.conf`);
        fs.writeFileSync(conf, [
          'User nobody', 'Group nogroup', `Port ${p.listenPort}`, `Listen ${p.host}`, `Bind ${p.host}`,
          'Timeout 30', 'MaxClients 50', `Allow ${SUBNET}`, 'DisableViaHeader Yes', 'LogLevel Warning', '',
        ].join('\n'), { mode: 0o644 });
        proc = out(`tinyproxy(${p.label})`, BINARIES.tinyproxy, ['-d', '-c', conf]);
      }
      listeners.push({ ns: outsideNs, proto: 'tcp', addr: `${p.host}:${p.listenPort}`, proc });
    }

    const httpConfig = {
      web: webPorts.map((port) => ({ host: ADDRESSES.web, port })),
      mirrors: [...new Set(mirrors.map((m) => m.address))].map((host) => ({ host, port: 80 })),
      listFile,
      helloBody: HELLO_BODY,
    };
    const outsideHttp = out('outside-http', process.execPath, [...NODE_FLAGS, OUTSIDE_HTTP, JSON.stringify(httpConfig)]);
    for (const l of [...httpConfig.web, ...httpConfig.mirrors]) listeners.push({ ns: outsideNs, proto: 'tcp', addr: `${l.host}:${l.port}`, proc: outsideHttp });

    // --- censored: the poisoned resolver
    const poisonedDns = track(startIn(censoredNs, 'dnsmasq(poisoned)', TOOLS.dnsmasq, dnsmasqArgs('dnsmasq-poisoned', '127.0.0.1', [
      `--address=/#/${ADDRESSES.bogus}`,
    ]), { cwd: workDir }));
    listeners.push({ ns: censoredNs, proto: 'udp', addr: '127.0.0.1:53', proc: poisonedDns });

    const publisher = await signing;
    trace('list signed');
    await waitForListeners(listeners, 10_000);
    trace('every peer listening');

    const scenario: Scenario = {
      censoredNs,
      outsideNs,
      addresses: ADDRESSES,
      dns: { honest: { host: ADDRESSES.outside, port: 53 }, poisoned: { host: '127.0.0.1', port: 53 }, bogusAddress: ADDRESSES.bogus },
      web: { name: WEB_NAME, host: ADDRESSES.web, ports: webPorts, url: `http://${WEB_NAME}:${WEB_PORT}/hello`, body: HELLO_BODY },
      proxies,
      expected: { proxy: expectedProxy, port: expectedPort },
      mirrors,
      openMirror,
      channels,
      list: { file: listFile, publisherFile: path.join(keyDir, 'publisher.pub'), keyFile: path.join(keyDir, 'publisher.key'), publisher, input: listInput },
      workDir,
      exec: (ns, cmd, args, options) => runIn(nsRef(censoredNs, outsideNs, ns), cmd, args, options),
      spawn: (ns, name, cmd, args, options) => track(startIn(nsRef(censoredNs, outsideNs, ns), name, cmd, args, options)),
      porthole: (ns, args, options) => runIn(nsRef(censoredNs, outsideNs, ns), process.execPath, [...NODE_FLAGS, CLI, ...args], options),
      spawnPorthole: (ns, name, args) => track(startIn(nsRef(censoredNs, outsideNs, ns), name, process.execPath, [...NODE_FLAGS, CLI, ...args])),
      curl: (ns, args, timeoutMs = 15_000) => runIn(nsRef(censoredNs, outsideNs, ns), TOOLS.curl, ['-q', ...args], { timeoutMs }),
      tcpCheck: async (ns, host, port, timeoutMs = 1500) => {
        // curl as a plain TCP dialer: exit 7 = refused (a reset); a non-zero connect time = connected;
        // otherwise exit 28 = the connect timed out (dropped).
        const seconds = String(timeoutMs / 1000);
        const r = await runIn(nsRef(censoredNs, outsideNs, ns), TOOLS.curl, [
          '-q', '--noproxy', '*', '-sS', '-o', '/dev/null', '-w', '%{time_connect}', '--connect-timeout', seconds, '--max-time', String(timeoutMs / 1000 + 1), `http://${host}:${port}/`,
        ], { timeoutMs: timeoutMs + 5000 });
        const connected = Number(r.stdout.trim()) > 0;
        const outcome: PortOutcome['outcome'] = connected ? 'open' : r.code === 7 ? 'reset' : r.code === 28 ? 'timeout' : 'other';
        return { outcome, code: r.code, ms: r.ms, stderr: r.stderr.trim() };
      },
      waitForListen: (ns, proto, addr, proc, timeoutMs = 10_000) =>
        waitForListeners([{ ns: nsRef(censoredNs, outsideNs, ns), proto, addr, proc }], timeoutMs),
      requests: () => outsideHttp.stdout().split('\n').flatMap((line) => {
        if (!line.startsWith('{"req"')) return [];
        return [(JSON.parse(line) as { req: OutsideRequest }).req];
      }),
      stop,
    };
    return scenario;
  } catch (err) {
    const outputs = tracked.filter((t) => t.handle.exited()).map((t) => `--- ${t.handle.name} (exited) ---\n${t.handle.output()}`).join('\n');
    await stop();
    throw outputs ? new Error(`${(err as Error).message}\n${outputs}`, { cause: err }) : err;
  }
}

/** Polls `ss` in each namespace until every listener is there; fails at once when its process exits. */
export async function waitForListeners(listeners: { ns: string; proto: 'tcp' | 'udp'; addr: string; proc: ScenarioProcess }[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let missing = listeners;
  for (let wait = 20; ; wait = Math.min(wait * 2, 200)) {
    const dead = missing.find((l) => l.proc.exited());
    if (dead) throw new Error(`${dead.proc.name} exited before listening on ${dead.proto} ${dead.addr}:\n${dead.proc.output()}`);
    const seen = new Set<string>();
    for (const ns of new Set(missing.map((l) => l.ns))) {
      const r = await runIn(ns, TOOLS.ss, ['-Hlntu'], { timeoutMs: 5000 });
      for (const line of r.stdout.split('\n')) {
        const f = line.trim().split(/\s+/);
        if (f.length >= 5) seen.add(`${ns} ${f[0]} ${f[4]}`);
      }
    }
    missing = missing.filter((l) => !seen.has(`${l.ns} ${l.proto} ${l.addr}`));
    if (missing.length === 0) return;
    if (Date.now() > deadline) {
      throw new Error(`not listening after ${timeoutMs} ms: ${missing.map((l) => `${l.proc.name} on ${l.proto} ${l.addr}`).join(', ')}\n${missing.map((l) => `--- ${l.proc.name} ---\n${l.proc.output()}`).join('\n')}`);
    }
    await delay(wait);
  }
}
