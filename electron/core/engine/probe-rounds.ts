// The engine's probing: one full round at a time over every server (in the selection's order, what
// worked on this network before first and with a head start), re-tests of a few servers between
// rounds (after a full round when one is running), the count of the last round and the latest
// result per server; MTProto proxies are probed apart (unbridged.ts).
// What a result means is the engine's business.
import { isBridged, type Entry } from '../../../shared/entry.ts';
import { startProbe, type ProbeRun } from '../probe/index.ts';
import type { ProbeOptions, ProbeResult } from '../probe/types.ts';
import { UnbridgedServers } from './unbridged.ts';

export interface ProbeRoundsHost {
  options(): ProbeOptions;
  /** The order of a full round (what worked on this network first). */
  order(): Entry[];
  /** How many of order()'s first entries worked on this network before: they get a head start. */
  remembered(): number;
  entry(id: string): Entry | undefined;
  /** The engine stopped: nothing new starts. */
  stopped(): boolean;
  /** The bridge runs (re-tests before it do not matter: start() probes everything anyway). */
  serving(): boolean;
  /** A result arrived (it is already the latest result of its server). */
  result(result: ProbeResult, tested: number, total: number): void;
  /** A full round started, or ended (also when cancelled by the next one), or had nothing to probe. */
  roundStarted(): void;
  roundEnded(): void;
  nothingToProbe(): void;
  /** A round over the MTProto proxies ended (their results changed). */
  mtprotoAnswered(): void;
}

export class ProbeRounds {
  private readonly host: ProbeRoundsHost;
  private run: ProbeRun | null = null;
  /** The last finished round's count, so "tested 120 of 120" stays visible after it. */
  private lastRound = { tested: 0, total: 0 };
  private readonly results = new Map<string, ProbeResult>();
  private readonly pending = new Set<string>();
  /** MTProto and not-yet-spoken servers: listed and (MTProto) probed, never bridged. */
  private readonly unbridged: UnbridgedServers;

  constructor(host: ProbeRoundsHost) {
    this.host = host;
    this.unbridged = new UnbridgedServers(() => host.mtprotoAnswered());
  }

  /** A full round is running. */
  get busy(): boolean {
    return this.run !== null;
  }

  /** Progress of the running round, else the last one's count. */
  progress(): { tested: number; total: number; probing: boolean } {
    return { tested: this.run?.tested ?? this.lastRound.tested, total: this.run?.total ?? this.lastRound.total, probing: this.run !== null };
  }

  lastResult(id: string): ProbeResult | undefined {
    return this.results.get(id);
  }

  /** The latest probe of an MTProto proxy. */
  mtprotoResult(id: string): ProbeResult | undefined {
    return this.unbridged.result(id);
  }

  /** The working MTProto proxy with the lowest latency, if any. */
  bestMtproto(): ProbeResult | null {
    return this.unbridged.bestMtproto();
  }

  /** Starts a full round (cancelling a running one; MTProto proxies of `all` apart); null when there is nothing to probe. */
  testAll(all: readonly Entry[]): ProbeRun | null {
    void this.unbridged.probe(all, this.host.options());
    this.run?.cancel();
    const entries = this.host.order();
    if (entries.length === 0) {
      this.run = null;
      this.host.nothingToProbe();
      return null;
    }
    const options = this.host.options();
    const run = startProbe(entries, options.headStart ? options : { ...options, headStart: { count: this.host.remembered() } });
    this.run = run;
    run.on('result', (p) => this.onResult(p.result, p.tested, p.total));
    this.host.roundStarted();
    void run.done.then(() => {
      if (this.run !== run) return;
      this.lastRound = { tested: run.tested, total: run.total };
      this.run = null;
      this.host.roundEnded();
    });
    return run;
  }

  /** The server set changed: results of servers gone are dropped, the servers `added` are probed at once. */
  serversChanged(ids: ReadonlySet<string>, added: readonly { id: string; entry: Entry }[]): void {
    this.unbridged.forget(ids);
    if (!this.host.stopped() && this.host.serving()) void this.unbridged.probe(added.map((s) => s.entry), this.host.options());
    const bridged = added.filter((s) => isBridged(s.entry.protocol)).map((s) => s.id);
    if (bridged.length > 0) this.retest(bridged);
  }

  /** Probes these servers again soon: now, or after the running full round. */
  retest(ids: string[]): void {
    if (this.host.stopped() || !this.host.serving()) return;
    for (const id of ids) this.pending.add(id);
    if (this.pending.size === 0) return;
    const entries = [...this.pending].map((id) => this.host.entry(id)).filter((e): e is Entry => Boolean(e));
    this.pending.clear();
    if (this.run) {
      // A full round is running: it will cover these too unless they are new.
      void this.run.done.then(() => void this.probe(entries));
      return;
    }
    void this.probe(entries);
  }

  /** Probes these entries now (beside any round); resolves when all answered. */
  probe(entries: Entry[]): Promise<void> {
    if (entries.length === 0 || this.host.stopped()) return Promise.resolve();
    const run = startProbe(entries, this.host.options());
    run.on('result', (p) => this.onResult(p.result, p.tested, p.total));
    return run.done.then(() => undefined);
  }

  cancel(): void {
    this.run?.cancel();
  }

  private onResult(result: ProbeResult, tested: number, total: number): void {
    this.results.set(result.id, result);
    this.host.result(result, tested, total);
  }
}
