// Drives the never-ending search for the engine: one cheap timer tick re-tests the servers whose
// backoff is over (what worked on this network first), re-fetches the channels in the same rhythm
// while nothing works, and starts a whole new search when the network changes (a new interface or
// address). Everything it does goes through the SearchHost, so tests can drive it with a fake clock.
import os from 'node:os';
import { BackoffTimer, RetrySchedule, type BackoffPolicy } from './search.ts';

export interface SearchHost {
  /** A server is in use. */
  connected(): boolean;
  /** A full probe round is running (it covers everything anyway). */
  busy(): boolean;
  /** Probes these servers again (in the order given); resolves when done. */
  probe(ids: readonly string[]): Promise<void>;
  /** The order to probe in (remembered on this network first); ids not in it go last. */
  order(): readonly string[];
  /** Fetches every channel again; resolves when the round's deadline passed. */
  refreshChannels(): Promise<void>;
  /** A whole new search: every channel and every server, now. */
  searchAgain(why: string): void;
}

export interface SearchDriverOptions {
  backoff?: Partial<BackoffPolicy>;
  /** How often the timer looks at what is due (default 1 s). */
  tickMs?: number;
  /** How often the network's addresses are read (default 5 s), and the least time between two searches they start (default 30 s). */
  networkCheckMs?: number;
  networkQuietMs?: number;
  now?: () => number;
  /** What identifies the current network's addresses; a change starts a new search. */
  networkSignature?: () => string;
}

/** The machine's non-loopback addresses, as one string: changes when an interface or address comes or goes. */
export function addressSignature(): string {
  const out: string[] = [];
  for (const [name, addrs] of Object.entries(os.networkInterfaces())) {
    for (const a of addrs ?? []) if (!a.internal) out.push(`${name}/${a.address}`);
  }
  return out.sort().join(',');
}

export class SearchDriver {
  readonly schedule: RetrySchedule;
  private readonly channels: BackoffTimer;
  private readonly host: SearchHost;
  private readonly now: () => number;
  private readonly tickMs: number;
  private readonly signature: () => string;
  private lastSignature: string | null = null;
  private readonly networkCheckMs: number;
  private readonly networkQuietMs: number;
  private checkedAt = -Infinity;
  private changedAt = -Infinity;
  private timer: NodeJS.Timeout | null = null;
  private probing = false;
  private fetching = false;

  constructor(host: SearchHost, options: SearchDriverOptions = {}) {
    this.host = host;
    this.now = options.now ?? Date.now;
    this.tickMs = options.tickMs ?? 1000;
    this.signature = options.networkSignature ?? addressSignature;
    this.networkCheckMs = options.networkCheckMs ?? 5000;
    this.networkQuietMs = options.networkQuietMs ?? 30_000;
    this.schedule = new RetrySchedule(options.backoff);
    this.channels = new BackoffTimer(options.backoff);
  }

  start(): void {
    if (this.timer) return;
    this.lastSignature = this.safeSignature();
    this.timer = setInterval(() => this.tick(), this.tickMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** A probe of `id` ended: passed, failed, or worked but is not trusted yet ('confirm'). */
  note(id: string, outcome: boolean | 'confirm'): void {
    this.schedule.note(id, outcome, this.now());
  }

  /** Start over: every waiting server and the channels are due at once. */
  restart(): void {
    this.schedule.restart(this.now());
    this.channels.reset();
  }

  /** When the next attempt of anything happens while nothing works (null when connected or idle). */
  nextAttemptAt(): number | null {
    if (this.host.connected()) return null;
    const a = this.schedule.nextAt();
    const b = this.channels.nextAt();
    if (a === null) return b;
    return b === null ? a : Math.min(a, b);
  }

  /** One look at what is due (the timer calls this; tests may too). */
  tick(): void {
    const now = this.now();
    if (now - this.checkedAt >= this.networkCheckMs) {
      this.checkedAt = now;
      const sig = this.safeSignature();
      const changed = this.lastSignature !== null && sig !== this.lastSignature;
      this.lastSignature = sig;
      // Some machines add and drop virtual interfaces all the time: at most one new search per quiet time.
      if (changed && now - this.changedAt >= this.networkQuietMs) {
        this.changedAt = now;
        this.host.searchAgain('the network changed');
        return;
      }
    }
    if (!this.probing && !this.host.busy()) {
      const due = new Set(this.schedule.due(now));
      if (due.size > 0) {
        const ids = this.host.order().filter((id) => due.has(id));
        for (const id of due) if (!ids.includes(id)) ids.push(id);
        this.probing = true;
        void this.host.probe(ids).finally(() => (this.probing = false));
      }
    }
    if (this.host.connected()) {
      this.channels.reset();
    } else if (!this.fetching && this.channels.due(now)) {
      this.fetching = true;
      this.channels.ran(now);
      void this.host.refreshChannels().finally(() => (this.fetching = false));
    }
  }

  private safeSignature(): string {
    try {
      return this.signature();
    } catch {
      return this.lastSignature ?? '';
    }
  }
}
