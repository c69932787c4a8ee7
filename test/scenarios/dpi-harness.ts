// A DPI censor in network namespaces (needs root), modelled on shutdown-harness.ts but smaller:
//
//   censored namespace (the client)          outside namespace (the free internet)
//   10.210.0.2/24 ── veth ─────────────────  10.210.0.1    honest DNS (dnsmasq :53)
//   iptables OUTPUT: the censor              10.210.0.10   news.outside.test (:8080, /hello, /generate_204)
//                                            10.210.0.11   A: microsocks (SOCKS5) on :443
//                                            10.210.0.12   B: tinyproxy (HTTP CONNECT) on :80
//                                            10.210.0.13   C: v2ray Trojan over TLS on :443, SNI = the real name
//                                            10.210.0.14   D: v2ray VLESS over WebSocket+TLS on :443, SNI = the real name
//                                            10.210.0.15   E: v2ray VMess over TCP on :8388
//                                            10.210.0.20   F: nginx "CDN" on :443 (certificate of the allowlisted
//                                                          front name) → VLESS over WebSocket at v2ray on its loopback
//
// The censor (iptables in the censored namespace, string match): only TCP ports 80 and 443 leave; a
// packet holding the allowlisted front name passes; packets that start a SOCKS5 greeting, an HTTP
// CONNECT or a TLS ClientHello are dropped (so every other ClientHello, whose SNI is not the front
// name, dies). The only way out is WebSocket+TLS to the front with the allowlisted SNI and the real
// Host inside. The client gets the six servers as share links (a plain subscription file).
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BINARIES, requireBinary } from '../peers/binaries.ts';
import { certificateFor, writeCertificate } from '../peers/certs.ts';
import { nginxConfig } from '../peers/nginx.ts';

export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

export const FRONT_NAME = 'allowed-front.porthole.test';
export const REAL_NAME = 'real.porthole.test';
export const WEB_NAME = 'news.outside.test';
export const WEB = { host: '10.210.0.10', port: 8080 };
export const HELLO_BODY = 'hello from behind the DPI censor\n';
const OUTSIDE = '10.210.0.1';
const CENSORED = '10.210.0.2';
const UUID = '3b5e9d1c-7a2f-4e8b-9c6d-0f1e2d3c4b5a';
const PASSWORD = 'dpi-trojan-pass';

const TOOLS = {
  ip: '/usr/sbin/ip',
  ss: '/usr/bin/ss',
  iptables: '/usr/sbin/iptables',
  dnsmasq: '/usr/sbin/dnsmasq',
  curl: '/usr/bin/curl',
};

export interface NsResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface NsProcess {
  readonly name: string;
  output(): string;
  exited(): boolean;
  /** Resolves with the first stdout line that matches. */
  waitForLine(match: (line: string) => boolean, timeoutMs: number): Promise<string>;
  stop(): Promise<void>;
}

export interface DpiServer {
  readonly label: string;
  readonly link: string;
  readonly host: string;
  readonly port: number;
}

export interface DpiScenario {
  readonly censoredNs: string;
  readonly outsideNs: string;
  readonly servers: readonly DpiServer[];
  /** The one that gets through: F. */
  readonly expected: DpiServer;
  /** The subscription file (one share link per line). */
  readonly subscriptionFile: string;
  readonly workDir: string;
  readonly webUrl: string;
  exec(ns: 'censored' | 'outside', cmd: string, args: readonly string[], timeoutMs?: number): Promise<NsResult>;
  porthole(args: readonly string[], timeoutMs?: number): Promise<NsResult>;
  spawnPorthole(args: readonly string[]): NsProcess;
  /** Requests the news site saw (JSON lines of outside-http.ts). */
  requests(): { from: string; url: string; host?: string }[];
  stop(): Promise<void>;
}

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CLI = fileURLToPath(new URL('../../electron/cli/porthole.ts', import.meta.url));
const NODE_FLAGS = ['--disable-warning=ExperimentalWarning'];

function env(): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/_proxy$/i.test(k) && k !== 'NODE_OPTIONS') out[k] = v;
  out.PORTHOLE_DATA_DIR = '';
  return out;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // gone
  }
}

function run(ns: string, cmd: string, args: readonly string[], timeoutMs = 15_000, input = ''): Promise<NsResult> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn(TOOLS.ip, ['netns', 'exec', ns, cmd, ...args], { detached: true, env: env(), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), timeoutMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      killGroup(child, 'SIGKILL');
      resolve({ code, stdout, stderr, ms: Date.now() - t0 });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}

function start(ns: string, name: string, cmd: string, args: readonly string[], children: ChildProcess[]): NsProcess {
  const child = spawn(TOOLS.ip, ['netns', 'exec', ns, cmd, ...args], { detached: true, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  let stdout = '';
  let exitInfo: string | null = null;
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    output = (output + d.toString()).slice(-64 * 1024);
  });
  child.stderr.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-64 * 1024)));
  const exited = new Promise<void>((resolve) => child.once('exit', (code, signal) => {
    exitInfo = `exit ${code ?? signal}`;
    resolve();
  }));
  return {
    name,
    output: () => output,
    exited: () => exitInfo !== null,
    waitForLine: async (match, timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const line = stdout.split('\n').find(match);
        if (line !== undefined) return line;
        if (exitInfo !== null) throw new Error(`${name} ended (${exitInfo}):\n${output}`);
        if (Date.now() > deadline) throw new Error(`${name}: no matching line within ${timeoutMs} ms:\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    stop: async () => {
      if (exitInfo === null) {
        killGroup(child, 'SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 1500))]);
      }
      killGroup(child, 'SIGKILL');
    },
  };
}

/** Polls `ss` until every "addr:port" listens (TCP) in ns; fails when one of `procs` exited. */
async function waitListening(ns: string, addrs: string[], procs: NsProcess[], timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const dead = procs.find((p) => p.exited());
    if (dead) throw new Error(`${dead.name} exited:\n${dead.output()}`);
    const r = await run(ns, TOOLS.ss, ['-Hlnt'], 5000);
    const seen = new Set(r.stdout.split('\n').map((l) => l.trim().split(/\s+/)[3]));
    const missing = addrs.filter((a) => !seen.has(a));
    if (missing.length === 0) return;
    if (Date.now() > deadline) throw new Error(`not listening: ${missing.join(', ')}\n${procs.map((p) => `--- ${p.name}\n${p.output()}`).join('\n')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function link(kind: string, body: string, q: Record<string, string>, label: string): string {
  return `${kind}://${body}?${new URLSearchParams(q).toString()}#${label}`;
}

export async function startDpiScenario(): Promise<DpiScenario> {
  if (!isRoot) throw new Error('the DPI scenario needs root (network namespaces and iptables)');
  for (const tool of [...Object.values(TOOLS), BINARIES.v2ray, BINARIES.nginx, BINARIES.microsocks, BINARIES.tinyproxy]) requireBinary(tool);
  const tag = `${process.pid}-${randomBytes(3).toString('hex')}`;
  const censoredNs = `ph-dpic-${tag}`;
  const outsideNs = `ph-dpio-${tag}`;
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-dpi-'));
  fs.chmodSync(workDir, 0o755);
  const children: ChildProcess[] = [];
  const procs: NsProcess[] = [];
  const netnsDirs: string[] = [];
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await Promise.all(procs.map((p) => p.stop()));
    for (const c of children) killGroup(c, 'SIGKILL');
    for (const ns of [censoredNs, outsideNs]) {
      try {
        execFileSync(TOOLS.ip, ['netns', 'del', ns], { stdio: 'ignore' });
      } catch {
        // not there
      }
    }
    for (const d of netnsDirs) fs.rmSync(d, { recursive: true, force: true });
    fs.rmSync(workDir, { recursive: true, force: true });
  };
  const onExit = (): void => {
    for (const c of children) killGroup(c, 'SIGKILL');
    for (const ns of [censoredNs, outsideNs]) {
      try {
        execFileSync(TOOLS.ip, ['netns', 'del', ns], { stdio: 'ignore' });
      } catch {
        // not there
      }
    }
  };
  process.once('exit', onExit);

  try {
    const ipBatch = (ns: string, lines: string[]): void => {
      execFileSync(TOOLS.ip, ['-n', ns, '-batch', '-'], { input: `${lines.join('\n')}\n`, stdio: ['pipe', 'ignore', 'pipe'] });
    };
    for (const ns of [censoredNs, outsideNs]) execFileSync(TOOLS.ip, ['netns', 'add', ns]);
    const serverIps = ['10.210.0.10', '10.210.0.11', '10.210.0.12', '10.210.0.13', '10.210.0.14', '10.210.0.15', '10.210.0.20'];
    ipBatch(outsideNs, [
      'link set lo up',
      `link add ph-dpo type veth peer name ph-dpc netns ${censoredNs}`,
      `addr add ${OUTSIDE}/24 dev ph-dpo`,
      ...serverIps.map((a) => `addr add ${a}/32 dev ph-dpo`),
      'link set ph-dpo up',
    ]);
    ipBatch(censoredNs, ['link set lo up', `addr add ${CENSORED}/24 dev ph-dpc`, 'link set ph-dpc up']);
    for (const [ns, server] of [[outsideNs, OUTSIDE], [censoredNs, '127.0.0.1']] as const) {
      const dir = path.join('/etc/netns', ns);
      fs.mkdirSync(dir, { recursive: true });
      netnsDirs.push(dir);
      fs.writeFileSync(path.join(dir, 'resolv.conf'), `nameserver ${server}\noptions timeout:1 attempts:1\n`);
    }

    // --- the censor
    const drop = (what: string[]): string => `-A OUTPUT -p tcp -m string --algo bm ${what.join(' ')} --from 40 --to 64 -j DROP`;
    const rules = [
      '*filter', ':INPUT ACCEPT [0:0]', ':FORWARD ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]',
      '-A OUTPUT -o lo -j ACCEPT',
      '-A OUTPUT -p tcp -m multiport ! --dports 80,443 -j DROP',
      '-A OUTPUT -p udp -j DROP',
      // The allowlisted SNI passes (before the ClientHello rule below).
      `-A OUTPUT -p tcp --dport 443 -m string --algo bm --string ${FRONT_NAME} -j ACCEPT`,
      drop(['--hex-string', '|160301|']), drop(['--hex-string', '|160303|']), // TLS handshake records: ClientHello
      drop(['--hex-string', '|050100|']), drop(['--hex-string', '|050102|']), drop(['--hex-string', '|05020002|']), // SOCKS5 greetings
      drop(['--string', 'CONNECT ']), // HTTP CONNECT
      'COMMIT', '',
    ].join('\n');
    const restored = await run(censoredNs, `${TOOLS.iptables}-restore`, [], 10_000, rules);
    if (restored.code !== 0) throw new Error(`iptables-restore failed: ${restored.stderr}\n${rules}`);

    // --- outside peers
    const out = (name: string, cmd: string, args: string[]): NsProcess => {
      const p = start(outsideNs, name, cmd, args, children);
      procs.push(p);
      return p;
    };
    const real = certificateFor([REAL_NAME]);
    const front = certificateFor([FRONT_NAME]);
    const realFiles = writeCertificate(workDir, real, 'real-');
    const dns = out('dnsmasq', TOOLS.dnsmasq, [
      '--keep-in-foreground', '--conf-file=/dev/null', '--no-resolv', '--no-hosts', '--no-poll', '--bind-interfaces', `--listen-address=${OUTSIDE}`,
      '--port=53', `--pid-file=${path.join(workDir, 'dnsmasq.pid')}`, '--log-facility=-', '--user=root', '--local=/outside.test/', `--host-record=${WEB_NAME},${WEB.host}`,
    ]);
    const web = out('outside-http', process.execPath, [...NODE_FLAGS, path.join(HERE, 'outside-http.ts'), JSON.stringify({ web: [WEB], mirrors: [], listFile: '/dev/null', helloBody: HELLO_BODY })]);
    const socks = out('microsocks', BINARIES.microsocks, ['-i', '10.210.0.11', '-p', '443', '-b', '10.210.0.11']);
    const tinyConf = path.join(workDir, 'tinyproxy.conf');
    fs.writeFileSync(tinyConf, ['User nobody', 'Group nogroup', 'Port 80', 'Listen 10.210.0.12', 'Bind 10.210.0.12', 'Timeout 30', 'Allow 10.210.0.0/24', 'LogLevel Warning', ''].join('\n'), { mode: 0o644 });
    const tiny = out('tinyproxy', BINARIES.tinyproxy, ['-d', '-c', tinyConf]);
    const tls = { certificates: [{ certificateFile: realFiles.certFile, keyFile: realFiles.keyFile }], alpn: ['http/1.1'] };
    const v2 = {
      log: { loglevel: 'warning', access: 'none' },
      outbounds: [{ protocol: 'freedom', settings: {} }],
      inbounds: [
        { listen: '10.210.0.13', port: 443, protocol: 'trojan', settings: { clients: [{ password: PASSWORD }] }, streamSettings: { network: 'tcp', security: 'tls', tlsSettings: tls } },
        { listen: '10.210.0.14', port: 443, protocol: 'vless', settings: { clients: [{ id: UUID }], decryption: 'none' }, streamSettings: { network: 'ws', wsSettings: { path: '/vl' }, security: 'tls', tlsSettings: tls } },
        { listen: '10.210.0.15', port: 8388, protocol: 'vmess', settings: { clients: [{ id: UUID, alterId: 0 }] } },
        { listen: '127.0.0.1', port: 10000, protocol: 'vless', settings: { clients: [{ id: UUID }], decryption: 'none' }, streamSettings: { network: 'ws', wsSettings: { path: '/cdn' } } },
      ],
    };
    const v2File = path.join(workDir, 'v2ray.json');
    fs.writeFileSync(v2File, JSON.stringify(v2), { mode: 0o644 });
    const v2ray = out('v2ray', BINARIES.v2ray, ['-config', v2File]);
    const nginxDir = path.join(workDir, 'nginx');
    fs.mkdirSync(nginxDir, { mode: 0o755 });
    fs.writeFileSync(path.join(nginxDir, 'nginx.conf'), nginxConfig(nginxDir, { certificate: front, realHost: REAL_NAME, routes: { '/cdn': 10000 }, listen: '10.210.0.20' }, 443));
    const nginx = out('nginx', BINARIES.nginx, ['-p', nginxDir, '-c', path.join(nginxDir, 'nginx.conf'), '-e', path.join(nginxDir, 'error.log')]);
    await waitListening(outsideNs, ['10.210.0.10:8080', '10.210.0.11:443', '10.210.0.12:80', '10.210.0.13:443', '10.210.0.14:443', '10.210.0.15:8388', '127.0.0.1:10000', '10.210.0.20:443'],
      [dns, web, socks, tiny, v2ray, nginx]);

    const vmessJson = { v: '2', ps: 'E-vmess', add: '10.210.0.15', port: '8388', id: UUID, aid: '0', scy: 'auto', net: 'tcp', type: 'none', host: '', path: '', tls: '' };
    const servers: DpiServer[] = [
      { label: 'A-socks5', host: '10.210.0.11', port: 443, link: 'socks5://10.210.0.11:443#A-socks5' },
      { label: 'B-http', host: '10.210.0.12', port: 80, link: 'http://10.210.0.12:80#B-http' },
      { label: 'C-trojan', host: '10.210.0.13', port: 443, link: link('trojan', `${PASSWORD}@10.210.0.13:443`, { security: 'tls', sni: REAL_NAME, pinSha256: real.pin }, 'C-trojan') },
      { label: 'D-vless-direct', host: '10.210.0.14', port: 443, link: link('vless', `${UUID}@10.210.0.14:443`, { encryption: 'none', security: 'tls', sni: REAL_NAME, pinSha256: real.pin, type: 'ws', path: '/vl', host: REAL_NAME }, 'D-vless-direct') },
      { label: 'E-vmess', host: '10.210.0.15', port: 8388, link: `vmess://${Buffer.from(JSON.stringify(vmessJson)).toString('base64')}` },
      { label: 'F-front', host: '10.210.0.20', port: 443, link: link('vless', `${UUID}@10.210.0.20:443`, { encryption: 'none', security: 'tls', sni: FRONT_NAME, pinSha256: front.pin, type: 'ws', path: '/cdn', host: REAL_NAME }, 'F-front') },
    ];
    const subscriptionFile = path.join(workDir, 'subscription.txt');
    fs.writeFileSync(subscriptionFile, `${servers.map((s) => s.link).join('\n')}\n`);

    return {
      censoredNs,
      outsideNs,
      servers,
      expected: servers.find((s) => s.label === 'F-front') as DpiServer,
      subscriptionFile,
      workDir,
      webUrl: `http://${WEB_NAME}:${WEB.port}/hello`,
      exec: (ns, cmd, args, timeoutMs) => run(ns === 'censored' ? censoredNs : outsideNs, cmd, args, timeoutMs),
      porthole: (args, timeoutMs) => run(censoredNs, process.execPath, [...NODE_FLAGS, CLI, ...args], timeoutMs),
      spawnPorthole: (args) => {
        const p = start(censoredNs, 'porthole', process.execPath, [...NODE_FLAGS, CLI, ...args], children);
        procs.push(p);
        return p;
      },
      requests: () => web.output().split('\n').flatMap((line) => (line.startsWith('{"req"') ? [(JSON.parse(line) as { req: { from: string; url: string; host?: string } }).req] : [])),
      stop,
    };
  } catch (err) {
    const outputs = procs.filter((p) => p.exited()).map((p) => `--- ${p.name}\n${p.output()}`).join('\n');
    await stop();
    throw new Error(`${(err as Error).message}\n${outputs}`, { cause: err });
  }
}
