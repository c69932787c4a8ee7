// The soak's server fleet: real microsocks, dante and ss-server processes on loopback, each able to
// go down (killed) and come back on the same port, and a chaos schedule that does that at random.
import fs from 'node:fs';
import path from 'node:path';
import { BINARIES, freePort, LOOPBACK, makePeerDir, startPeer, type Peer } from '../test/peers/index.ts';

export type ServerKind = 'microsocks' | 'dante' | 'ss-server';

export interface FleetServer {
  readonly index: number;
  readonly kind: ServerKind;
  readonly port: number;
  /** The proxy link for the signed list. */
  readonly link: string;
  /** The list entry's label, unique: how engine events name it. */
  readonly label: string;
  up: boolean;
  peer: Peer | null;
  /** Times it was taken down. */
  kills: number;
}

const SS_METHODS = ['chacha20-ietf-poly1305', 'aes-256-gcm'] as const;

function argsFor(s: FleetServer, dir: string): string[] {
  if (s.kind === 'microsocks') return ['-i', LOOPBACK, '-p', String(s.port), '-b', LOOPBACK];
  if (s.kind === 'ss-server') {
    const method = SS_METHODS[s.index % SS_METHODS.length] as string;
    return ['-s', LOOPBACK, '-p', String(s.port), '-k', `soak-${s.index}`, '-m', method, '-b', LOOPBACK, '-d', LOOPBACK, '-t', '30', '--no-delay'];
  }
  const config = [
    'logoutput: stderr', `internal: ${LOOPBACK} port = ${s.port}`, `external: ${LOOPBACK}`, 'clientmethod: none', 'socksmethod: none',
    'user.privileged: root', 'user.unprivileged: nobody', 'timeout.negotiate: 10',
    'client pass { from: 127.0.0.0/8 to: 0.0.0.0/0 }', 'socks pass { from: 127.0.0.0/8 to: 127.0.0.0/8 command: connect }', '',
  ].join('\n');
  const file = path.join(dir, 'danted.conf');
  fs.writeFileSync(file, config, { mode: 0o644 });
  return ['-f', file, '-N', '1', '-p', path.join(dir, 'danted.pid')];
}

const BINARY: Record<ServerKind, string> = { microsocks: BINARIES.microsocks, dante: BINARIES.danted, 'ss-server': BINARIES.ssServer };

export async function bringUp(s: FleetServer): Promise<void> {
  const dir = makePeerDir(`soak-${s.kind}`);
  s.peer = await startPeer({ name: `${s.kind}#${s.index}`, binary: BINARY[s.kind], args: argsFor(s, dir), port: s.port, dir, privateEtc: s.kind === 'dante' });
  s.up = true;
}

export async function takeDown(s: FleetServer): Promise<void> {
  s.up = false;
  s.kills++;
  const peer = s.peer;
  s.peer = null;
  await peer?.stop();
}

/** `n` servers: mostly microsocks and ss-server, every fifth a dante (it forks, so fewer of them). */
export async function startFleet(n: number): Promise<FleetServer[]> {
  const servers: FleetServer[] = [];
  for (let i = 0; i < n; i++) {
    const kind: ServerKind = i % 5 === 4 ? 'dante' : i % 2 === 0 ? 'microsocks' : 'ss-server';
    let port = await freePort();
    while (servers.some((s) => s.port === port)) port = await freePort();
    const label = `soak-${kind}-${i}`;
    let link: string;
    if (kind === 'ss-server') {
      const method = SS_METHODS[i % SS_METHODS.length] as string;
      link = `ss://${Buffer.from(`${method}:soak-${i}`).toString('base64url')}@127.0.0.1:${port}`;
    } else link = `socks5://127.0.0.1:${port}`;
    servers.push({ index: i, kind, port, link, label, up: false, peer: null, kills: 0 });
  }
  // A few at a time: dante and ss-server take a moment to start on a busy machine.
  for (let i = 0; i < servers.length; i += 10) await Promise.all(servers.slice(i, i + 10).map(bringUp));
  return servers;
}

export async function stopFleet(servers: FleetServer[]): Promise<void> {
  await Promise.all(servers.map((s) => s.peer?.stop()));
}

export interface ChaosEvent {
  /** For 'down': when the server was signalled to stop (its connections die from then on). */
  at: number;
  /** For 'down': when its process had exited (on a busy machine, well after `at`). */
  until?: number;
  server: string;
  what: 'down' | 'up' | 'up-failed';
  detail?: string;
}

export interface ChaosOptions {
  /** Mean time between two take-downs, ms. */
  meanGapMs: number;
  /** Downtime range, ms. */
  downMs: [number, number];
  /** Never more than this share of the fleet down at once. */
  maxDownShare: number;
  /** Probability that a take-down hits the server the engine uses now. */
  hitCurrent: number;
  /** The label of the server the engine uses now (null if none). */
  current: () => string | null;
  random: () => number;
}

/** Runs until stop(): takes servers down and brings them back on a random schedule. */
export function startChaos(servers: FleetServer[], o: ChaosOptions, onEvent: (e: ChaosEvent) => void): { stop: () => Promise<void> } {
  let stopped = false;
  const pending = new Set<Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => Promise<void>): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      if (stopped) return;
      const p = fn().finally(() => pending.delete(p));
      pending.add(p);
    }, ms);
    timers.add(t);
  };
  const tick = async (): Promise<void> => {
    const up = servers.filter((s) => s.up);
    const downCount = servers.length - up.length;
    if (up.length > 0 && downCount + 1 <= Math.floor(servers.length * o.maxDownShare)) {
      const currentLabel = o.current();
      const current = up.find((s) => s.label === currentLabel);
      const victim = current && o.random() < o.hitCurrent ? current : (up[Math.floor(o.random() * up.length)] as FleetServer);
      const at = Date.now();
      await takeDown(victim);
      onEvent({ at, until: Date.now(), server: victim.label, what: 'down' });
      const downFor = o.downMs[0] + o.random() * (o.downMs[1] - o.downMs[0]);
      later(downFor, async () => {
        try {
          await bringUp(victim);
          onEvent({ at: Date.now(), server: victim.label, what: 'up' });
        } catch (err) {
          onEvent({ at: Date.now(), server: victim.label, what: 'up-failed', detail: (err as Error).message.split('\n')[0] ?? '' });
        }
      });
    }
    later(o.meanGapMs * (0.5 + o.random()), tick);
  };
  later(o.meanGapMs * o.random(), tick);
  return {
    stop: async () => {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      await Promise.all(pending);
    },
  };
}
