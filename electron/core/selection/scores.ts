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

export class ScoreBook {
  private readonly history: SampleHistory;
  private readonly scoring: ScoringPolicy;
  private readonly policy: SelectionPolicy;
  private readonly scored = new Map<string, Scored>();
  private readonly byStatus: Record<ServerStatus, Set<string>> = { untested: new Set(), ok: new Set(), recovering: new Set(), degraded: new Set(), failing: new Set() };
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
    for (const set of Object.values(this.byStatus)) set.clear();
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

  /** Whether any server has a sample in its window. */
  anyTested(): boolean {
    return this.byStatus.ok.size + this.byStatus.recovering.size + this.byStatus.degraded.size + this.byStatus.failing.size > 0;
  }
}
