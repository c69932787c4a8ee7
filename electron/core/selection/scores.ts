// Scores and states of every server, kept up to date incrementally: a new sample rescores one
// server; the slow drift with time (recency weights, windows) is caught by a full pass at most once a
// second. Selection then looks only at the servers that can be chosen, not at all of them per sample.
import { scoreSamples, type SampleHistory, type Score, type ScoringPolicy } from './scoring.ts';
import { statusOf, type SelectionPolicy, type ServerStatus } from './policy.ts';

export interface Scored {
  score: Score;
  status: ServerStatus;
}

const FULL_PASS_MS = 1000;

/** What a server's last sample was, for withStatusAndLast. */
export type LastSample = 'ok' | 'degraded';

export class ScoreBook {
  private readonly history: SampleHistory;
  private readonly scoring: ScoringPolicy;
  private readonly policy: SelectionPolicy;
  private readonly scored = new Map<string, Scored>();
  private readonly byStatus: Record<ServerStatus, Set<string>> = { untested: new Set(), ok: new Set(), recovering: new Set(), degraded: new Set(), failing: new Set() };
  /** By the last sample: it worked (and was not degraded), or it was degraded (see lastWas). */
  private readonly byLast: Record<LastSample, Set<string>> = { ok: new Set(), degraded: new Set() };
  private ids: readonly string[] = [];
  private lastFull = -Infinity;

  constructor(history: SampleHistory, scoring: ScoringPolicy, policy: SelectionPolicy) {
    this.history = history;
    this.scoring = scoring;
    this.policy = policy;
  }

  /** The servers there are (a full pass follows). */
  setIds(ids: readonly string[]): void {
    this.ids = ids;
    this.scored.clear();
    for (const set of [...Object.values(this.byStatus), ...Object.values(this.byLast)]) set.clear();
    this.lastFull = -Infinity;
  }

  /** Rescores everything when the last full pass is older than a second (or the clock went back). */
  refresh(now: number): void {
    if (now - this.lastFull < FULL_PASS_MS && now >= this.lastFull) return;
    this.lastFull = now;
    for (const id of this.ids) this.rescore(id, now);
  }

  /** A sample of `id` arrived. */
  rescore(id: string, now: number): void {
    const score = scoreSamples(this.history.get(id), now, this.scoring);
    const status = statusOf(score, this.policy);
    const before = this.scored.get(id);
    if (before && before.status !== status) this.byStatus[before.status].delete(id);
    this.byStatus[status].add(id);
    const last = score.last;
    if (last?.ok === true && !last.degraded) this.byLast.ok.add(id);
    else this.byLast.ok.delete(id);
    if (last?.degraded === true) this.byLast.degraded.add(id);
    else this.byLast.degraded.delete(id);
    this.scored.set(id, { score, status });
  }

  get(id: string, now: number): Scored {
    this.refresh(now);
    let s = this.scored.get(id);
    if (!s) {
      this.rescore(id, now);
      s = this.scored.get(id)!;
    }
    return s;
  }

  /** Ids in a state (as of the last refresh or rescore). */
  withStatus(status: ServerStatus): ReadonlySet<string> {
    return this.byStatus[status];
  }

  /**
   * Ids in a state whose last sample worked ('ok': not degraded) or was degraded: the few failing
   * servers that work again, without looking at every failing one (a first round of 1,000 servers
   * where most fail would look at all of them per result).
   */
  withStatusAndLast(status: ServerStatus, last: LastSample): string[] {
    const [a, b] = this.byStatus[status].size <= this.byLast[last].size ? [this.byStatus[status], this.byLast[last]] : [this.byLast[last], this.byStatus[status]];
    const out: string[] = [];
    for (const id of a) if (b.has(id)) out.push(id);
    return out;
  }

  /** How many servers work now: ok, recovering or degraded (what the UI shows as working). */
  workingCount(now: number): number {
    this.refresh(now);
    return this.byStatus.ok.size + this.byStatus.recovering.size + this.byStatus.degraded.size;
  }

  /** Whether any server has a sample in its window. */
  anyTested(): boolean {
    return this.byStatus.ok.size + this.byStatus.recovering.size + this.byStatus.degraded.size + this.byStatus.failing.size > 0;
  }
}
