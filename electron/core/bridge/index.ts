// The local bridge: one port on 127.0.0.1 (default 1080) that serves SOCKS5 and HTTP proxy clients
// and carries their traffic through the current candidate upstreams, with per-connection failover.
// Host names always travel to the upstream as names: the bridge never resolves proxied names.
import { EventEmitter } from 'node:events';
import { AuthPolicy, generateShareCredentials, isLoopback, type ShareCredentials } from './auth.ts';
import type { BridgeContext } from './context.ts';
import { Counters, type BridgeStats } from './counters.ts';
import { Dialer, type UpstreamFailure, type UpstreamSuccess } from './dial.ts';
import { HttpFrontend } from './http-proxy.ts';
import { resolveLimits, type BridgeLimits } from './limits.ts';
import { MixedListener } from './mixed-listener.ts';
import type { Upstream } from './upstreams/types.ts';

export type { BridgeStats } from './counters.ts';
export type { UpstreamFailure, UpstreamSuccess } from './dial.ts';
export type { BridgeLimits } from './limits.ts';
export type { ShareCredentials } from './auth.ts';

export const DEFAULT_BRIDGE_PORT = 1080;

export interface ShareOptions {
  /** Generated randomly when omitted. */
  username?: string;
  password?: string;
  /**
   * Loopback clients need no credentials (default true: browsers cannot do SOCKS5 auth);
   * false = everybody authenticates; a list = exactly these client addresses are exempt (tests).
   */
  exemptLoopback?: boolean | readonly string[];
}

export interface BridgeOptions {
  /** Address to bind; default 127.0.0.1, or 0.0.0.0 when sharing on the LAN. */
  host?: string;
  /** Default 1080; when taken, the next free port is used (see bridge.port). 0 = any free port. */
  port?: number;
  /** Fail instead of moving to the next port when `port` is taken. */
  strictPort?: boolean;
  /** The current candidate upstreams, best first; called for every new client connection. */
  candidates: () => readonly Upstream[];
  /** LAN sharing: `true` for random credentials, or given ones. Off by default. */
  share?: boolean | ShareOptions;
  limits?: Partial<BridgeLimits>;
  log?: (line: string) => void;
}

export interface BridgeEvents {
  'upstream-failure': [UpstreamFailure];
  /** A tunnel through the upstream carried bytes both ways (once per client connection). */
  'upstream-success': [UpstreamSuccess];
}

export interface Bridge {
  readonly host: string;
  readonly port: number;
  /** e.g. "socks5://127.0.0.1:1080" (the same port also speaks HTTP proxy). */
  readonly url: string;
  /** The PAC file URL, e.g. "http://127.0.0.1:1080/proxy.pac". */
  readonly pacUrl: string;
  /** The LAN sharing credentials, or null when sharing is off. */
  readonly share: ShareCredentials | null;
  readonly limits: Readonly<BridgeLimits>;
  stats(): BridgeStats;
  /** Replaces the candidate list function (selection can also just change what it returns). */
  setCandidates(candidates: () => readonly Upstream[]): void;
  on<K extends keyof BridgeEvents>(event: K, listener: (...args: BridgeEvents[K]) => void): this;
  off<K extends keyof BridgeEvents>(event: K, listener: (...args: BridgeEvents[K]) => void): this;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
}

function resolveShare(share: BridgeOptions['share']): { creds: ShareCredentials; exempt: boolean | readonly string[] } | null {
  if (!share) return null;
  const given = share === true ? {} : share;
  const random = generateShareCredentials();
  const creds = { username: given.username ?? random.username, password: given.password ?? random.password };
  if (!creds.username || !creds.password) throw new Error('LAN sharing needs a non-empty username and password');
  if (Buffer.byteLength(creds.username) > 255 || Buffer.byteLength(creds.password) > 255) throw new Error('share credentials are limited to 255 bytes each (RFC 1929)');
  return { creds, exempt: given.exemptLoopback ?? true };
}

class BridgeImpl extends EventEmitter implements Bridge {
  host: string;
  port = 0;
  readonly share: ShareCredentials | null;
  readonly limits: Readonly<BridgeLimits>;
  private readonly counters: Counters;
  private readonly dialer: Dialer;
  private readonly listener: MixedListener;
  private closing: Promise<void> | null = null;

  constructor(options: BridgeOptions, host: string) {
    super();
    const share = resolveShare(options.share);
    this.host = host;
    this.share = share?.creds ?? null;
    this.limits = resolveLimits(options.limits);
    this.counters = new Counters();
    const log = options.log ?? (() => {});
    this.dialer = new Dialer({
      candidates: options.candidates,
      counters: this.counters,
      limits: this.limits,
      onFailure: (f) => {
        log(`upstream ${f.describe} failed (${f.kind}): ${f.message}`);
        this.emit('upstream-failure', f);
      },
      onSuccess: (s) => this.emit('upstream-success', s),
    });
    const ctx: BridgeContext = {
      dialer: this.dialer,
      counters: this.counters,
      limits: this.limits,
      auth: new AuthPolicy(this.share, share?.exempt ?? true),
      log,
    };
    this.listener = new MixedListener(ctx, new HttpFrontend(ctx));
  }

  async listen(port: number, strict: boolean): Promise<void> {
    this.port = await this.listener.listen(this.host, port, strict);
  }

  get url(): string {
    return `socks5://${this.hostPort()}`;
  }

  get pacUrl(): string {
    return `http://${this.hostPort()}/proxy.pac`;
  }

  private hostPort(): string {
    const h = this.host === '0.0.0.0' ? '127.0.0.1' : this.host === '::' ? '::1' : this.host;
    return h.includes(':') ? `[${h}]:${this.port}` : `${h}:${this.port}`;
  }

  stats(): BridgeStats {
    return this.counters.snapshot();
  }

  setCandidates(candidates: () => readonly Upstream[]): void {
    this.dialer.setCandidates(candidates);
  }

  close(): Promise<void> {
    this.closing ??= this.listener.close();
    return this.closing;
  }
}

export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const sharing = Boolean(options.share);
  const host = options.host ?? (sharing ? '0.0.0.0' : '127.0.0.1');
  if (!sharing && !isLoopback(host) && host !== 'localhost') {
    throw new Error(`refusing to listen on ${host} without LAN sharing credentials: an open proxy on the network is a risk`);
  }
  const port = options.port ?? DEFAULT_BRIDGE_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`bad port ${port}`);
  const bridge = new BridgeImpl(options, host);
  await bridge.listen(port, options.strictPort ?? false);
  return bridge;
}
