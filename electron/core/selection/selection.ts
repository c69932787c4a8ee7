// Which server new connections use, and in which order to fall back: scored from several samples,
// sticky (switch only when the current one fails or another is clearly better for a sustained time),
// spread among near-equal servers, aware of what worked on this network, with pick/pin overrides.
import { EventEmitter } from 'node:events';
import { isBridged, type Entry } from '../../../shared/entry.ts';
import { isFailureCode, isServerFault } from '../../../shared/failures.ts';
import { parseUpstreamId } from '../../../shared/server-id.ts';
import type { NetworkMemory } from './network-memory.ts';
import { DEFAULT_SCORING, SampleHistory, type Sample, type ScoringPolicy } from './scoring.ts';
import { ScoreBook } from './scores.ts';
import { buildExplanation, type DecisionReason, type Explanation, type ServerView } from './explain.ts';
import {
  chooseOne, clearlyBetter, DEFAULT_SELECTION, nearBest, type SelectionPolicy, type ServerStatus,
} from './policy.ts';
import { compareCandidates, type ProbeOutcome } from './rank.ts';

export interface Candidate {
  id: string;
  entry: Entry;
  port: number;
}

/** What the UI shows of one server's samples and state (see ServerSchema in shared/api-models.ts). */
export interface ServerStats {
  samples: (number | null)[];
  latencyMs: number | null;
  successRate: number | null;
  lastTested: number | null;
  status: 'untested' | 'ok' | 'failed';
  degraded: boolean;
  failure: { kind: string; message: string } | null;
  pinned: boolean;
  picked: boolean;
  active: boolean;
}

export interface SelectionOptions {
  /** Clock in ms (default Date.now); samples and windows use it. */
  clock?: () => number;
  /** Uniform in [0, 1) (default Math.random); decides among near-equal servers. */
  rng?: () => number;
  policy?: Partial<SelectionPolicy>;
  scoring?: Partial<ScoringPolicy>;
  /** Where working servers are remembered per network. */
  memory?: NetworkMemory;
  /** Fingerprint of the current network (see network-fingerprint.ts), null when unknown. */
  network?: string | null;
}

export interface SelectionEvents {
  change: [{ previous: string | null; current: string | null; reason: DecisionReason }];
  /** The engine should probe these servers again (e.g. the bridge reported a failure). */
  retest: [{ ids: string[]; reason: string }];
}

/** Failure kinds that say nothing about the server (aborted, local: the table's serverFault is false). */
function notTheServersFault(kind: string): boolean {
  return isFailureCode(kind) && !isServerFault(kind);
}

export class Selection extends EventEmitter<SelectionEvents> {
  private readonly clock: () => number;
  private readonly rng: () => number;
  private readonly policy: SelectionPolicy;
  private readonly scoring: ScoringPolicy;
  private memory: NetworkMemory | undefined;
  private network: string | null;
  private readonly history: SampleHistory;
  private entries = new Map<string, { entry: Entry; index: number }>();
  private readonly ports = new Map<string, number>();
  private currentId: string | null = null;
  private pinnedId: string | null = null;
  private pickedId: string | null = null;
  private reason: DecisionReason = 'none';
  private chosenAt: number | null = null;
  private challengerSince: number | null = null;
  /** End of the settling time after the very first choice (see auto()). */
  private settleUntil: number | null = null;
  private cache: { at: number; list: Candidate[] } | null = null;
  private readonly book: ScoreBook;

  constructor(options: SelectionOptions = {}) {
    super();
    this.clock = options.clock ?? Date.now;
    this.rng = options.rng ?? Math.random;
    this.policy = { ...DEFAULT_SELECTION, ...options.policy };
    this.scoring = { ...DEFAULT_SCORING, ...options.scoring };
    this.memory = options.memory;
    this.network = options.network ?? null;
    this.history = new SampleHistory(this.scoring.maxSamples);
    this.book = new ScoreBook(this.history, this.scoring, this.policy);
  }

  /**
   * The servers to choose from (the catalog's whole set, published to the selection on each
   * change); keeps history of known ids. MTProto (Telegram's own) and not-yet-spoken entries are
   * listed but never bridged, so never chosen: they are left out here.
   */
  setEntries(entries: readonly Entry[]): void {
    this.entries = new Map(entries.filter((entry) => isBridged(entry.protocol)).map((entry, index) => [entry.id, { entry, index }]));
    for (const id of this.history.ids()) if (!this.entries.has(id)) this.history.forget(id);
    this.book.setIds([...this.entries.keys()]);
    if (this.pinnedId !== null && !this.entries.has(this.pinnedId)) this.pinnedId = null;
    if (this.pickedId !== null && !this.entries.has(this.pickedId)) this.pickedId = null;
    this.evaluate();
  }

  /** The network changed (or became known): remembered servers of that network go first. */
  setNetwork(fingerprint: string | null): void {
    this.network = fingerprint;
    this.invalidate();
  }

  /** Where working servers are remembered per network (once loaded from the data dir). */
  setMemory(memory: NetworkMemory | undefined): void {
    this.memory = memory;
    this.invalidate();
  }

  recordProbe(result: ProbeOutcome): void {
    if (result.error && notTheServersFault(result.error.kind)) return;
    if (!result.ok && result.degraded) {
      const message = result.error?.message ?? 'no probe URL could be fetched through it';
      this.add(result.id, { at: this.clock(), ok: true, latencyMs: null, source: 'probe', degraded: true, kind: result.error?.kind ?? 'blocked', message }, result.port);
      return;
    }
    this.add(result.id, {
      at: this.clock(), ok: result.ok, latencyMs: result.ok ? result.latencyMs : null, source: 'probe',
      ...(result.error ? { kind: result.error.kind, message: result.error.message } : {}),
    }, result.ok ? result.port : undefined);
  }

  /**
   * A connection through the server worked (latency when known: it then counts in the median).
   * Without a latency, one such report per server per 10 s counts: busy servers must not flood
   * the history.
   */
  reportSuccess(serverId: string, latencyMs: number | null = null): void {
    const id = this.resolveId(serverId);
    if (id === null || (latencyMs === null && this.recentBridgeSample(id, true, 10_000))) return;
    const port = this.portFromUpstreamId(serverId);
    this.add(id, { at: this.clock(), ok: true, latencyMs, source: 'bridge' }, port);
  }

  /** The port of an upstream id ("<entry id>:<port>") when it is one of the entry's ports. */
  private portFromUpstreamId(serverId: string): number | undefined {
    const up = parseUpstreamId(serverId);
    if (!up || this.entries.has(serverId)) return undefined;
    return this.entries.get(up.serverId)?.entry.ports.includes(up.port) ? up.port : undefined;
  }

  /**
   * The bridge could not use the server: new connections move to the next best at once, and the
   * server is queued for a re-test ('retest' event). `serverId` may be an entry id or an upstream id
   * ("<entry id>:<port>").
   */
  reportFailure(serverId: string, kind: string, message?: string): void {
    if (notTheServersFault(kind)) return;
    const id = this.resolveId(serverId);
    if (id === null) return;
    // A burst of failed connections (a browser opens many at once) is one failure, not twenty.
    if (this.recentBridgeSample(id, false, 1000)) return;
    this.add(id, { at: this.clock(), ok: false, latencyMs: null, kind, source: 'bridge', ...(message ? { message } : {}) });
    this.emit('retest', { ids: [id], reason: `${kind} reported by the bridge` });
  }

  private recentBridgeSample(id: string, ok: boolean, withinMs: number): boolean {
    const last = this.history.get(id).at(-1);
    return last !== undefined && last.source === 'bridge' && last.ok === ok && this.clock() - last.at < withinMs;
  }

  /** One-time choice: use this server now, until it fails or the choice is released. */
  pick(id: string): void {
    if (!this.entries.has(id)) throw new Error(`unknown server ${id}`);
    this.pickedId = id;
    this.evaluate();
  }

  /** Always prefer this server while it works, until unpinned. */
  pin(id: string): void {
    if (!this.entries.has(id)) throw new Error(`unknown server ${id}`);
    this.pinnedId = id;
    this.evaluate();
  }

  unpin(): void {
    this.pinnedId = null;
    this.evaluate();
  }

  get pinned(): string | null {
    return this.pinnedId;
  }

  get picked(): string | null {
    return this.pickedId;
  }

  current(): Candidate | null {
    return this.currentId === null ? null : this.candidate(this.currentId);
  }

  /** Servers for new connections, best first (the current one first). Cached: cheap per connection. */
  candidates(): readonly Candidate[] {
    const now = this.clock();
    // Samples age out of windows as time passes: recompute at most once a second for that alone.
    if (this.cache && now - this.cache.at < 1000) return this.cache.list;
    const views = this.views(now);
    const rest = [...views.values()].filter((v) => v.id !== this.currentId).sort(compareCandidates);
    const ids = this.currentId !== null && this.entries.has(this.currentId) ? [this.currentId, ...rest.map((v) => v.id)] : rest.map((v) => v.id);
    const list = ids.map((id) => this.candidate(id)!);
    this.cache = { at: now, list };
    return list;
  }

  /** The order to probe in: servers that worked on this network first, then by what is known. */
  probeOrder(): Entry[] {
    const views = [...this.views(this.clock()).values()];
    views.sort((a, b) => (a.remembered - b.remembered) || compareCandidates(a, b));
    return views.map((v) => this.entries.get(v.id)!.entry);
  }

  /** Why the engine chose what it chose: structured and one paragraph of text. */
  explain(): Explanation {
    const now = this.clock();
    const views = this.views(now);
    return buildExplanation({
      now, views, policy: this.policy, reason: this.reason, chosenAt: this.chosenAt, challengerSince: this.challengerSince,
      currentId: this.currentId, pinnedId: this.pinnedId, pickedId: this.pickedId, network: this.network,
      order: this.candidates().map((c) => c.id), label: (id) => this.entries.get(id)?.entry.label ?? id, port: (id) => this.portOf(id),
    });
  }

  /** The server's state for selection (ok, recovering, degraded…), or null for an unknown id. */
  statusOf(id: string): ServerStatus | null {
    return this.entries.has(id) ? this.book.get(id, this.clock()).status : null;
  }

  /** Servers that work (server()'s 'ok'), and those probeOrder() puts first as they worked on this network before. */
  counts(): { working: number; remembered: number } {
    return { working: this.book.workingCount(this.clock()), remembered: (this.memory?.preferred(this.network) ?? []).filter((s) => this.entries.has(s.id)).length };
  }

  /** What the UI shows for one server (see ServerSchema in shared/api-models.ts). */
  server(id: string): ServerStats | null {
    if (!this.entries.has(id)) return null;
    const all = this.history.get(id);
    const view = this.book.get(id, this.clock());
    const lastProbe = all.findLast((s) => s.source === 'probe');
    const last = all[all.length - 1];
    return {
      // Latencies and failures, oldest first (untimed successes reported by the bridge are left out).
      samples: all.filter((s) => !s.ok || s.latencyMs !== null).slice(-32).map((s) => (s.ok ? s.latencyMs : null)),
      latencyMs: view.score.medianMs,
      successRate: view.score.successRatio,
      lastTested: lastProbe?.at ?? null,
      status: view.status === 'untested' ? 'untested' : view.status === 'failing' ? 'failed' : 'ok',
      degraded: view.status === 'degraded',
      failure: last && (!last.ok || (last.degraded && view.status === 'degraded')) ? { kind: last.kind ?? 'other', message: last.message ?? last.kind ?? 'failed' } : null,
      pinned: this.pinnedId === id,
      picked: this.pickedId === id,
      active: this.currentId === id,
    };
  }

  private add(id: string, sample: Sample, port?: number): void {
    if (!this.entries.has(id)) return;
    this.history.add(id, sample);
    this.book.rescore(id, this.clock());
    if (port !== undefined) this.ports.set(id, port);
    // A picked server is a one-time choice: its first failure ends it.
    if (!sample.ok && id === this.pickedId) this.pickedId = null;
    this.evaluate();
    if (sample.ok && id === this.currentId) this.rememberCurrent();
  }

  private resolveId(serverId: string): string | null {
    if (this.entries.has(serverId)) return serverId;
    const base = parseUpstreamId(serverId)?.serverId ?? null;
    return base !== null && this.entries.has(base) ? base : null;
  }

  private portOf(id: string): number {
    const known = this.ports.get(id);
    if (known !== undefined) return known;
    const remembered = this.memory?.preferred(this.network).find((s) => s.id === id);
    const entry = this.entries.get(id)?.entry;
    if (remembered && entry?.ports.includes(remembered.port)) return remembered.port;
    return entry?.ports[0] ?? 0;
  }

  private candidate(id: string): Candidate | null {
    const e = this.entries.get(id);
    return e ? { id, entry: e.entry, port: this.portOf(id) } : null;
  }

  private views(now: number): Map<string, ServerView> {
    const remembered = this.rememberedIndex();
    const out = new Map<string, ServerView>();
    for (const id of this.entries.keys()) out.set(id, this.view(id, now, remembered));
    return out;
  }

  private view(id: string, now: number, remembered: Map<string, number>): ServerView {
    const { score, status } = this.book.get(id, now);
    return { id, index: this.entries.get(id)?.index ?? Infinity, score, status, remembered: remembered.get(id) ?? Infinity };
  }

  private viewsOf(ids: Iterable<string>, now: number, remembered: Map<string, number>): ServerView[] {
    const out: ServerView[] = [];
    for (const id of ids) if (this.entries.has(id)) out.push(this.view(id, now, remembered));
    return out;
  }

  private rememberedIndex(): Map<string, number> {
    return new Map((this.memory?.preferred(this.network) ?? []).map((s, i) => [s.id, i]));
  }

  private invalidate(): void {
    this.cache = null;
  }

  private rememberCurrent(): void {
    if (this.memory && this.network !== null && this.currentId !== null) {
      this.memory.remember(this.network, this.currentId, this.portOf(this.currentId), this.clock());
    }
  }

  /** Applies the rules; emits 'change' when the current server changes. Looks only at choosable servers. */
  private evaluate(): void {
    this.invalidate();
    const now = this.clock();
    this.book.refresh(now);
    const remembered = this.rememberedIndex();
    const get = (id: string | null): ServerView | undefined => (id !== null && this.entries.has(id) ? this.view(id, now, remembered) : undefined);
    const previous = this.currentId;
    let next: string | null;
    let reason: DecisionReason;
    const pinned = get(this.pinnedId);
    const picked = get(this.pickedId);
    if (pinned && pinned.status !== 'failing') {
      next = pinned.id;
      reason = 'pinned';
    } else if (picked) {
      next = picked.id;
      reason = 'picked';
    } else {
      [next, reason] = this.auto(get(previous), now, remembered);
      if (pinned) reason = next === null ? 'no-working' : 'pinned-failing';
    }
    if (reason !== 'better-by-margin' && reason !== 'kept') this.challengerSince = null;
    this.currentId = next;
    if (next !== previous) {
      this.reason = reason;
      this.chosenAt = next === null ? null : now;
      this.emit('change', { previous, current: next, reason });
      this.rememberCurrent();
    } else if (reason !== 'kept') {
      this.reason = reason;
    }
  }

  private auto(cur: ServerView | undefined, now: number, remembered: Map<string, number>): [string | null, DecisionReason] {
    const usable = this.viewsOf(this.book.withStatus('ok'), now, remembered).filter((v) => v.id !== this.pinnedId);
    // A current server whose samples merely aged out of the window is kept while its last one was fine.
    const curFine = cur !== undefined && (cur.status === 'ok' || (cur.status === 'untested' && cur.score.last?.ok === true));
    if (!cur || !curFine) {
      let choice = chooseOne(nearBest(usable, this.policy), this.rng);
      if (!choice && cur?.status === 'recovering') return [cur.id, 'kept'];
      // Nothing fully trusted: a server that works again beats none (its streak is still too short).
      choice ??= this.viewsOf(this.book.withStatus('recovering'), now, remembered).filter((v) => v.id !== this.pinnedId).sort(compareCandidates)[0];
      // Works again after a run of failures (the search retries often, so failures pile up in the
      // window and keep its ratio low): better than none.
      choice ??= this.viewsOf(this.book.withStatusAndLast('failing', 'ok'), now, remembered).filter((v) => v.id !== this.pinnedId && v.score.last?.ok === true && !v.score.last.degraded).sort(compareCandidates)[0];
      if (!choice && cur?.status === 'degraded') return [cur.id, 'kept'];
      // Still nothing: a proxy that answers but failed the probe URLs may carry real traffic.
      const degraded = choice ? undefined : this.viewsOf([...this.book.withStatus('degraded'), ...this.book.withStatusAndLast('failing', 'degraded')], now, remembered)
        .filter((v) => v.id !== this.pinnedId && (v.status === 'degraded' || v.score.last?.degraded === true)).sort(compareCandidates)[0];
      if (degraded) return [degraded.id, 'degraded'];
      if (!choice) return [null, this.book.anyTested() ? 'no-working' : 'none'];
      const failed = cur !== undefined && (cur.status === 'failing' || cur.status === 'recovering');
      if (!failed && this.settleUntil === null) this.settleUntil = now + this.policy.settleMs;
      return [choice.id, failed ? 'current-failed' : 'first-choice'];
    }
    // Right after the first choice (results of the first round still coming in), one sample each is
    // all there is: a clearly better server takes over at once, without the sustained window.
    const settling = this.settleUntil !== null && now <= this.settleUntil;
    const challengers = usable.filter((v) => v.id !== cur.id && clearlyBetter(v.score, cur.score, settling ? { ...this.policy, minSamples: 1 } : this.policy));
    if (challengers.length === 0) {
      this.challengerSince = null;
      return [cur.id, 'kept'];
    }
    if (settling) return [chooseOne(nearBest(challengers, this.policy), this.rng)!.id, 'settling'];
    this.challengerSince ??= now;
    if (now - this.challengerSince < this.policy.sustainMs) return [cur.id, 'kept'];
    this.challengerSince = null;
    return [chooseOne(nearBest(challengers, this.policy), this.rng)!.id, 'better-by-margin'];
  }
}
