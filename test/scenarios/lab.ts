// A small network lab for the "never give up" scenarios (resilience.test-*.ts): a censored and an
// outside namespace joined by veth (10.200.0.0/24, no other route), real microsocks proxies that a
// test starts and stops at will, a news site and the probe URLs' hosts served by outside-http.ts,
// an honest DNS outside that may or may not know the probe hosts, and a censor (iptables in the
// censored namespace) that opens, drops or resets each proxy port. The client's data dir is
// prepared in-process (trusted publisher, signed list) so `porthole up` starts with its servers.
// Process and namespace plumbing comes from shutdown-harness.ts (exit hook, sweep, teardown).
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openClient } from '../../electron/core/catalog/open.ts';
import { importInput } from '../../electron/core/catalog/import.ts';
import { createSimplePublisher } from '../../electron/core/lists/keyfiles.ts';
import { buildPayload, signList } from '../../electron/core/lists/sign.ts';
import { DEFAULT_PROBE_URLS } from '../../electron/core/probe/probe-url.ts';
import { BINARIES, requireBinary } from '../peers/binaries.ts';
import { CLI } from '../helpers/cli.ts';
import {
  cleanupSync, installExitHook, isRoot, live, pidAlive, runIn, startIn, TOOLS, waitForListeners,
  type Censor, type ExecResult, type Live, type OutsideRequest, type ScenarioProcess, type Tracked,
} from './shutdown-harness.ts';

export { isRoot };
export const LAB = { outside: '10.200.0.1', censored: '10.200.0.2', web: '10.200.0.10', probe: '10.200.0.30' } as const;
export const NEWS = { name: 'news.outside.test', port: 8080, url: 'http://news.outside.test:8080/hello' } as const;
export const NEWS_BODY = 'hello from the outside: the news site behind the shutdown\n';

export interface LabProxySpec {
  label: string;
  host: string;
  /** The ports the list names (the first is where microsocks listens; others are DNAT'ed to it). */
  ports: { port: number; censor: Censor }[];
  /** Started with the lab (default true). */
  up?: boolean;
  /** The outside refuses this proxy's connections to the probe hosts ("only some destinations"). */
  noProbeHosts?: boolean;
}

export interface LabOptions {
  proxies: LabProxySpec[];
  /** Whether the outside DNS knows the default probe URLs' hosts (default true). */
  probeHostsResolve?: boolean;
}

export interface Lab {
  readonly censoredNs: string;
  readonly outsideNs: string;
  readonly workDir: string;
  readonly dataDir: string;
  startProxy(label: string): Promise<void>;
  stopProxy(label: string): Promise<void>;
  /** Which proxy label an address belongs to. */
  labelOf(address: string): string | undefined;
  /** `porthole up --json` in the censored namespace on 127.0.0.1:port. */
  up(port: number): ScenarioProcess;
  /** The news page through the bridge (SOCKS5 with remote names). */
  fetchNews(bridgePort: number, maxTimeS?: number): Promise<ExecResult>;
  /** Polls fetchNews until the page arrives; resolves with the ms it took, or throws after timeoutMs. */
  waitForPage(bridgePort: number, timeoutMs: number, everyMs?: number): Promise<number>;
  requests(): OutsideRequest[];
  stop(): Promise<void>;
}

const HERE = path.dirname(fileURLToPath(import.meta.url));
const NODE_FLAGS = ['--disable-warning=ExperimentalWarning'];
const NS_PATTERN = /^ph-lab[co]-((\d+)-[0-9a-f]{6})$/;

function sweep(): void {
  let names: string[];
  try {
    names = execFileSync(TOOLS.ip, ['netns', 'list'], { encoding: 'utf8' }).split('\n').map((l) => l.split(' ')[0] ?? '');
  } catch {
    return;
  }
  for (const name of names) {
    const m = NS_PATTERN.exec(name);
    if (!m || pidAlive(Number(m[2]))) continue;
    cleanupSync({ namespaces: [name], children: [], netnsDirs: [path.join('/etc/netns', name)], workDir: path.join(os.tmpdir(), `porthole-lab-${m[1]}`) });
  }
}

export async function startLab(options: LabOptions): Promise<Lab> {
  if (!isRoot) throw new Error('the lab needs root (network namespaces and iptables)');
  for (const tool of [TOOLS.ip, TOOLS.ss, TOOLS.iptables, TOOLS.dnsmasq, TOOLS.curl]) requireBinary(tool);
  requireBinary(BINARIES.microsocks);
  installExitHook();
  sweep();
  const tag = `${process.pid}-${randomBytes(3).toString('hex')}`;
  const censoredNs = `ph-labc-${tag}`;
  const outsideNs = `ph-labo-${tag}`;
  const workDir = path.join(os.tmpdir(), `porthole-lab-${tag}`);
  fs.mkdirSync(workDir, { mode: 0o755 });
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
  const ipBatch = (ns: string, lines: string[]): void => {
    execFileSync(TOOLS.ip, ['-n', ns, '-batch', '-'], { input: `${lines.join('\n')}\n`, stdio: ['pipe', 'ignore', 'pipe'] });
  };

  try {
    for (const ns of [censoredNs, outsideNs]) {
      execFileSync(TOOLS.ip, ['netns', 'add', ns]);
      state.namespaces.push(ns);
    }
    const hosts = [LAB.web, LAB.probe, ...new Set(options.proxies.map((p) => p.host))];
    ipBatch(outsideNs, [
      'link set lo up',
      `link add ph-out type veth peer name ph-cen netns ${censoredNs}`,
      `addr add ${LAB.outside}/24 dev ph-out`,
      ...hosts.map((a) => `addr add ${a}/32 dev ph-out`),
      'link set ph-out up',
    ]);
    ipBatch(censoredNs, ['link set lo up', `addr add ${LAB.censored}/24 dev ph-cen`, 'link set ph-cen up']);
    await Promise.all([censoredNs, outsideNs].map((ns) =>
      runIn(ns, TOOLS.sysctl, ['-qw', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1'], { timeoutMs: 5000 })));
    for (const [ns, server] of [[outsideNs, LAB.outside], [censoredNs, '127.0.0.1']] as const) {
      const dir = path.join('/etc/netns', ns);
      state.netnsDirs.push(dir);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'resolv.conf'), `nameserver ${server}\noptions timeout:1 attempts:1\n`);
    }

    // The censor, and the outside's alternative ports and "only some destinations" rules.
    let iptables = TOOLS.iptables;
    if ((await runIn(censoredNs, iptables, ['-S', 'OUTPUT'])).code !== 0) iptables = requireBinary(TOOLS.iptablesLegacy);
    const target = (c: Censor): string => (c === 'open' ? 'ACCEPT' : c === 'reset' ? 'REJECT --reject-with tcp-reset' : 'DROP');
    const censor = ['-A OUTPUT -o lo -j ACCEPT'];
    const nat: string[] = [];
    const outFilter: string[] = [];
    for (const p of options.proxies) {
      const listen = p.ports[0]!.port;
      for (const { port, censor: c } of p.ports) {
        censor.push(`-A OUTPUT -d ${p.host}/32 -p tcp --dport ${port} -j ${target(c)}`);
        if (port !== listen) for (const chain of ['PREROUTING', 'OUTPUT']) nat.push(`-A ${chain} -d ${p.host}/32 -p tcp --dport ${port} -j DNAT --to-destination ${p.host}:${listen}`);
      }
      if (p.noProbeHosts) outFilter.push(`-A OUTPUT -s ${p.host}/32 -d ${LAB.probe}/32 -p tcp -j REJECT --reject-with tcp-reset`);
    }
    censor.push('-A OUTPUT -d 10.200.0.0/24 -j DROP');
    const restore = (table: string, chains: string[], rules: string[]): string => [`*${table}`, ...chains.map((c) => `:${c} ACCEPT [0:0]`), ...rules, 'COMMIT', ''].join('\n');
    for (const [ns, text] of [
      [censoredNs, restore('filter', ['INPUT', 'FORWARD', 'OUTPUT'], censor)],
      [outsideNs, restore('nat', ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'], nat)],
      [outsideNs, restore('filter', ['INPUT', 'FORWARD', 'OUTPUT'], outFilter)],
    ] as const) {
      const r = await runIn(ns, `${iptables}-restore`, ['--noflush'], { input: text, timeoutMs: 10_000 });
      if (r.code !== 0) throw new Error(`lab: iptables-restore in ${ns} failed: ${r.stderr}\n${text}`);
    }

    // Outside: DNS, the news site and probe hosts, the proxies.
    const probeHosts = [...new Set(DEFAULT_PROBE_URLS.map((u) => new URL(u)).filter((u) => u.protocol === 'http:').map((u) => u.hostname))];
    const records = [`--host-record=${NEWS.name},${LAB.web}`, ...(options.probeHostsResolve === false ? [] : probeHosts.map((h) => `--host-record=${h},${LAB.probe}`))];
    const out = (name: string, cmd: string, args: string[]): ScenarioProcess => track(startIn(outsideNs, name, cmd, args, { cwd: workDir }));
    const listeners: Parameters<typeof waitForListeners>[0] = [];
    const dns = out('dnsmasq', TOOLS.dnsmasq, [
      '--keep-in-foreground', '--conf-file=/dev/null', '--no-resolv', '--no-hosts', '--no-poll', '--bind-interfaces',
      `--listen-address=${LAB.outside}`, '--port=53', `--pid-file=${path.join(workDir, 'dnsmasq.pid')}`, '--log-facility=-', '--user=root',
      '--local=/#/', ...records,
    ]);
    listeners.push({ ns: outsideNs, proto: 'udp', addr: `${LAB.outside}:53`, proc: dns });
    const httpConfig = { web: [{ host: LAB.web, port: NEWS.port }, { host: LAB.probe, port: 80 }], mirrors: [], listFile: '/dev/null', helloBody: NEWS_BODY };
    const web = out('outside-http', process.execPath, [...NODE_FLAGS, path.join(HERE, 'outside-http.ts'), JSON.stringify(httpConfig)]);
    for (const l of httpConfig.web) listeners.push({ ns: outsideNs, proto: 'tcp', addr: `${l.host}:${l.port}`, proc: web });

    const running = new Map<string, ScenarioProcess>();
    const byLabel = new Map(options.proxies.map((p) => [p.label, p]));
    const startProxy = async (label: string): Promise<void> => {
      const p = byLabel.get(label);
      if (!p) throw new Error(`lab: no proxy ${label}`);
      if (running.has(label)) return;
      const port = p.ports[0]!.port;
      const proc = out(`microsocks(${label})`, BINARIES.microsocks, ['-i', p.host, '-p', String(port), '-b', p.host]);
      running.set(label, proc);
      await waitForListeners([{ ns: outsideNs, proto: 'tcp', addr: `${p.host}:${port}`, proc }], 10_000);
    };
    const stopProxy = async (label: string): Promise<void> => {
      const proc = running.get(label);
      running.delete(label);
      await proc?.stop();
    };

    // The client's data dir: the publisher trusted and its signed list stored.
    const dataDir = path.join(workDir, 'client');
    const { key, chain } = await createSimplePublisher(path.join(workDir, 'publisher'), 'Lab volunteers');
    const now = new Date();
    const list = signList(buildPayload(JSON.stringify({
      name: 'Lab volunteers',
      entries: options.proxies.map((p) => ({ url: `socks5://${p.host}:${p.ports[0]!.port}`, ports: p.ports.map((x) => x.port), label: p.label })),
    }), { publisher: chain.publisher, version: 1, issuedAt: now, expires: new Date(now.getTime() + 86400_000) }), key, chain);
    const stores = await openClient(dataDir);
    await stores.trust.add(chain, 'manual');
    const imported = await importInput(stores, list);
    if (imported[0]?.status !== 'added') throw new Error(`lab: the signed list was not imported: ${JSON.stringify(imported)}`);

    await waitForListeners(listeners, 10_000);
    await Promise.all(options.proxies.filter((p) => p.up !== false).map((p) => startProxy(p.label)));

    const fetchNews = (bridgePort: number, maxTimeS = 5): Promise<ExecResult> =>
      runIn(censoredNs, TOOLS.curl, ['-q', '-sS', '--max-time', String(maxTimeS), '--socks5-hostname', `127.0.0.1:${bridgePort}`, NEWS.url], { timeoutMs: maxTimeS * 1000 + 5000 });
    return {
      censoredNs,
      outsideNs,
      workDir,
      dataDir,
      startProxy,
      stopProxy,
      labelOf: (address) => options.proxies.find((p) => p.host === address)?.label,
      up: (port) => track(startIn(censoredNs, 'porthole up', process.execPath, [...NODE_FLAGS, CLI, 'up', '--json', '--data-dir', dataDir, '--listen', `127.0.0.1:${port}`])),
      fetchNews,
      waitForPage: async (bridgePort, timeoutMs, everyMs = 500) => {
        const t0 = Date.now();
        for (;;) {
          const r = await fetchNews(bridgePort, 5);
          if (r.code === 0 && r.stdout === NEWS_BODY) return Date.now() - t0;
          if (Date.now() - t0 > timeoutMs) throw new Error(`no page through the bridge within ${timeoutMs} ms (last: curl ${r.code}: ${r.stderr.trim()})`);
          await new Promise((res) => setTimeout(res, everyMs));
        }
      },
      requests: () => web.stdout().split('\n').flatMap((line) => (line.startsWith('{"req"') ? [(JSON.parse(line) as { req: OutsideRequest }).req] : [])),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
