// explain(): why the engine uses the server it uses, structured for the UI and as text for the CLI.
import type { Score } from './scoring.ts';
import { marginFor, type SelectionPolicy, type ServerStatus } from './policy.ts';
import type { Rankable } from './rank.ts';

export type DecisionReason =
  | 'none'            // nothing known yet
  | 'no-working'      // no server works right now
  | 'first-choice'    // the first working server(s) found
  | 'settling'        // the first round found a clearly faster one
  | 'current-failed'  // the server in use failed: moved to the next best
  | 'better-by-margin'// another server was clearly faster for a sustained time
  | 'kept'            // nothing clearly better: staying avoids flapping
  | 'pinned'          // the user pinned it
  | 'pinned-failing'  // the pinned server fails: using another until it works again
  | 'picked'          // the user picked it (until it fails)
  | 'degraded';       // nothing passed the full test: a proxy that answers but cannot fetch the probe URLs

export type ServerView = Rankable;

export interface ServerSummary {
  id: string;
  label: string;
  port: number;
  status: ServerStatus;
  medianMs: number | null;
  successRatio: number | null;
  samples: number;
  /** Median plus the failure penalty; null when nothing succeeded. */
  effectiveMs: number | null;
  lastFailure: { kind: string; message: string } | null;
  /** Worked on this network before. */
  remembered: boolean;
}

export interface Explanation {
  mode: 'auto' | 'pinned' | 'picked';
  reason: DecisionReason;
  current: ServerSummary | null;
  /** When the current server was chosen (clock ms). */
  since: number | null;
  pinned: string | null;
  picked: string | null;
  /** A server clearly faster than the current one, being watched before switching. */
  challenger: { id: string; forMs: number; needMs: number } | null;
  network: { known: boolean; remembered: number };
  /** The next candidates in order (at most 5). */
  alternatives: ServerSummary[];
  /** One paragraph for people. */
  text: string;
}

export interface ExplainInput {
  now: number;
  views: Map<string, ServerView>;
  policy: SelectionPolicy;
  reason: DecisionReason;
  chosenAt: number | null;
  challengerSince: number | null;
  currentId: string | null;
  pinnedId: string | null;
  pickedId: string | null;
  network: string | null;
  order: string[];
  label: (id: string) => string;
  port: (id: string) => number;
}

function summary(v: ServerView, input: ExplainInput): ServerSummary {
  const s: Score = v.score;
  return {
    id: v.id,
    label: input.label(v.id),
    port: input.port(v.id),
    status: v.status,
    medianMs: s.medianMs === null ? null : Math.round(s.medianMs),
    successRatio: s.successRatio === null ? null : Math.round(s.successRatio * 100) / 100,
    samples: s.samples,
    effectiveMs: Number.isFinite(s.effectiveMs) ? Math.round(s.effectiveMs) : null,
    lastFailure: s.lastFailure ? { kind: s.lastFailure.kind ?? 'other', message: s.lastFailure.message ?? s.lastFailure.kind ?? 'failed' } : null,
    remembered: Number.isFinite(v.remembered),
  };
}

function describe(s: ServerSummary): string {
  const parts = [s.medianMs !== null ? `median ${s.medianMs} ms` : 'no latency yet'];
  if (s.successRatio !== null) parts.push(`${Math.round(s.successRatio * 100)}% success over ${s.samples} sample${s.samples === 1 ? '' : 's'}`);
  return `${s.label} (${parts.join(', ')})`;
}

const REASON_TEXT: Record<DecisionReason, (cur: string) => string> = {
  none: () => 'No server has been tested yet.',
  'no-working': () => 'No server works right now; new connections try the candidates in order.',
  'first-choice': (c) => `Using ${c}: among the first servers that worked, chosen at random between those about as fast as the best.`,
  settling: (c) => `Using ${c}: the first test round found it clearly faster than the first server that answered.`,
  'current-failed': (c) => `Using ${c}: the previous server failed, and this was the best working one.`,
  'better-by-margin': (c) => `Using ${c}: it was clearly faster than the previous server for a sustained time.`,
  kept: (c) => `Using ${c}.`,
  pinned: (c) => `Using ${c} because you pinned it.`,
  'pinned-failing': (c) => `Your pinned server does not work right now; using ${c} until it does.`,
  picked: (c) => `Using ${c} because you picked it (until it fails).`,
  degraded: (c) => `Using ${c}: no server passed the full test; this proxy answers but could not fetch the test addresses, so real traffic decides.`,
};

export function buildExplanation(input: ExplainInput): Explanation {
  const cur = input.currentId !== null ? input.views.get(input.currentId) : undefined;
  const current = cur ? summary(cur, input) : null;
  const mode = input.reason === 'pinned' ? 'pinned' : input.reason === 'picked' ? 'picked' : 'auto';
  const alternatives = input.order.filter((id) => id !== input.currentId).slice(0, 5)
    .map((id) => input.views.get(id)).filter((v): v is ServerView => v !== undefined).map((v) => summary(v, input));
  let challenger: Explanation['challenger'] = null;
  const best = alternatives.find((a) => a.status === 'ok');
  if (input.challengerSince !== null && best) {
    challenger = { id: best.id, forMs: input.now - input.challengerSince, needMs: Math.max(0, input.policy.sustainMs - (input.now - input.challengerSince)) };
  }
  const remembered = [...input.views.values()].filter((v) => Number.isFinite(v.remembered)).length;
  const lines = [REASON_TEXT[input.reason](current ? describe(current) : 'nothing')];
  if (current && mode === 'auto' && best && best.effectiveMs !== null && current.effectiveMs !== null) {
    const margin = Math.round(marginFor(current.effectiveMs, input.policy));
    lines.push(challenger
      ? `${best.label} has been clearly faster for ${Math.round(challenger.forMs / 1000)} s; switching after ${Math.round(input.policy.sustainMs / 1000)} s.`
      : `The best alternative, ${describe(best)}, is not faster by the ${margin} ms needed to switch.`);
  }
  if (cur?.score.promoted) lines.push('The test addresses cannot be fetched through it, but real traffic through it works, so it counts as working.');
  else if (cur?.status === 'degraded' && input.reason !== 'degraded') lines.push('The test addresses cannot be fetched through it right now; real traffic decides whether it stays.');
  if (current?.remembered) lines.push('It worked on this network before.');
  if (input.network === null) lines.push('This network could not be recognised, so nothing remembered applies.');
  return {
    mode,
    reason: input.reason,
    current,
    since: input.chosenAt,
    pinned: input.pinnedId,
    picked: input.pickedId,
    challenger,
    network: { known: input.network !== null, remembered },
    alternatives,
    text: lines.join(' '),
  };
}
