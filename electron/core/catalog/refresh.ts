// One refresh: every channel starts at once (bounded concurrency); each candidate is verified
// as soon as it arrives, so the first verified list is usable immediately and newer versions
// that arrive later replace it. The round reports at its deadline; slow channels keep going in
// the background until their own longer limit and are still accepted when they arrive.
import { isPortholeError, type PortholeError } from '../../../shared/errors.ts';
import { createHash } from 'node:crypto';
import { LIMITS } from '../../../shared/list-format.ts';
import { parseChannelSpec, type Channel, type ChannelFetchResult, type ChannelSettings, type ProxyAgentOption } from '../channels/index.ts';
import type { ClientStores } from './open.ts';
import { acceptList, type ListOutcome } from './accept.ts';

export interface ChannelReport {
  channel: string;
  status: ChannelFetchResult['status'] | 'pending' | 'invalid-signature';
  detail?: string;
  checkedAt: string | null;
  elapsedMs: number | null;
  /** What the verified candidates were (version and publisher of the newest one accepted). */
  lists: { status: ListOutcome['status']; message: string; publisher?: string; version?: number }[];
}

export interface RefreshOptions {
  /** The round reports at this deadline (default 15 s). */
  deadlineMs?: number;
  /** Slow channels are cut off here, in the background (default 60 s). */
  backgroundLimitMs?: number;
  concurrency?: number;
  /** Cap on one channel's answer (default: the list format's cap). */
  maxBytes?: number;
  signal?: AbortSignal;
  proxy?: ProxyAgentOption;
  etags?: Map<string, string>;
  /** A list was added or updated: the engine rebuilds its servers. */
  onAccepted?: (outcome: ListOutcome, channel: string) => void;
  onReport?: (report: ChannelReport) => void;
}

/** One channel in a round: what it answered (without the bytes) and what each candidate became. */
export interface ChannelRound {
  fetched: Omit<ChannelFetchResult, 'blobs'>;
  candidates: number;
  outcomes: ListOutcome[];
}

export interface RefreshRound {
  /** Resolves at the deadline (or earlier, when every channel is done). */
  atDeadline: Promise<ChannelReport[]>;
  /** Resolves when every channel, slow ones too, is done. */
  finished: Promise<ChannelReport[]>;
  cancel(): void;
}

export function refreshChannels(stores: ClientStores, channels: readonly Channel[], options: RefreshOptions = {}): RefreshRound {
  const { atDeadline, finished, cancel } = startRound(stores, channels, options);
  return { atDeadline, finished: finished.then((done) => done.map((d) => d.report)), cancel };
}

/**
 * One round to its end, for `porthole fetch`: every channel at once, cut off at `timeoutMs`; each
 * channel's answer and outcomes, in the order given.
 */
export async function refreshOnce(stores: ClientStores, channels: readonly Channel[], options: Omit<RefreshOptions, 'deadlineMs' | 'backgroundLimitMs' | 'concurrency'> & { timeoutMs: number }): Promise<ChannelRound[]> {
  const { timeoutMs, ...rest } = options;
  const round = startRound(stores, channels, { ...rest, backgroundLimitMs: timeoutMs, deadlineMs: timeoutMs, concurrency: channels.length });
  return (await round.finished).map((d) => d.round);
}

function startRound(stores: ClientStores, channels: readonly Channel[], options: RefreshOptions): Omit<RefreshRound, 'finished'> & { finished: Promise<{ round: ChannelRound; report: ChannelReport }[]> } {
  const controller = new AbortController();
  const signals = [controller.signal, AbortSignal.timeout(options.backgroundLimitMs ?? 60_000)];
  if (options.signal) signals.push(options.signal);
  const signal = AbortSignal.any(signals);
  const reports = new Map<string, ChannelReport>(channels.map((c) => [c.spec, { channel: c.spec, status: 'pending', checkedAt: null, elapsedMs: null, lists: [] }]));
  const rounds = new Map<string, ChannelRound>();
  const seen = new Map<string, Promise<ListOutcome>>();
  // Verification and storing run one at a time, so versions are compared against the latest state.
  let verifyChain: Promise<unknown> = Promise.resolve();
  const verify = (blob: Uint8Array): Promise<ListOutcome> => {
    const hash = createHash('sha256').update(blob).digest('hex');
    let p = seen.get(hash);
    if (!p) {
      p = verifyChain.then(() => acceptList(stores, blob, {}));
      verifyChain = p.catch(() => undefined);
      seen.set(hash, p);
    }
    return p;
  };

  const queue = [...channels];
  const limit = Math.max(1, options.concurrency ?? 16);
  const work = async (): Promise<void> => {
    for (let ch = queue.shift(); ch; ch = queue.shift()) {
      const etag = options.etags?.get(ch.spec);
      const { blobs, ...fetched } = await ch.fetch({ signal, maxBytes: options.maxBytes ?? LIMITS.maxListBytes, ...(etag ? { etag } : {}), ...(options.proxy ? { proxy: options.proxy } : {}) });
      if (fetched.etag && options.etags) options.etags.set(ch.spec, fetched.etag);
      const round: ChannelRound = { fetched, candidates: blobs.length, outcomes: [] };
      for (const blob of blobs) {
        const outcome = await verify(blob);
        round.outcomes.push(outcome);
        if (outcome.status === 'added' || outcome.status === 'updated') options.onAccepted?.(outcome, ch.spec);
      }
      const report = reportOf(ch.spec, round);
      rounds.set(ch.spec, round);
      reports.set(ch.spec, report);
      options.onReport?.(report);
    }
  };
  const finished = Promise.all(Array.from({ length: Math.min(limit, channels.length) }, work))
    .then(() => [...reports.keys()].map((spec) => ({ round: rounds.get(spec)!, report: reports.get(spec)! })));
  const deadline = new Promise<ChannelReport[]>((resolve) => {
    const timer = setTimeout(() => resolve([...reports.values()].map((r) => (r.status === 'pending' ? { ...r, status: 'timeout' as const, detail: 'still running in the background' } : r))), options.deadlineMs ?? 15_000);
    timer.unref();
    void finished.then(() => {
      clearTimeout(timer);
      resolve([...reports.values()]);
    });
  });
  return { atDeadline: deadline, finished, cancel: () => controller.abort() };
}

/** What the UI and the engine are told about one channel: an answer whose every candidate failed is an invalid signature. */
function reportOf(channel: string, round: ChannelRound): ChannelReport {
  const { fetched } = round;
  const report: ChannelReport = { channel, status: fetched.status, checkedAt: fetched.fetchedAt, elapsedMs: fetched.elapsedMs, lists: [], ...(fetched.detail ? { detail: fetched.detail } : {}) };
  for (const outcome of round.outcomes) {
    const info = outcome.kind === 'list' && (outcome.status === 'added' || outcome.status === 'updated') ? { publisher: outcome.publisher, version: outcome.version } : {};
    report.lists.push({ status: outcome.status, message: outcome.message, ...info });
  }
  if (fetched.status === 'ok' && report.lists.length > 0 && report.lists.every((l) => l.status === 'rejected')) {
    report.status = 'invalid-signature';
    report.detail = report.lists[0]!.message;
  }
  return report;
}

/** The channels of these specs, once each, in order; a spec that does not parse goes to `onBad` (which may throw). */
export function channelsOf(specs: readonly string[], settings: Partial<ChannelSettings> | undefined, onBad: (spec: string, err: PortholeError) => void): Channel[] {
  const out = new Map<string, Channel>();
  for (const spec of specs) {
    try {
      const ch = parseChannelSpec(spec, settings);
      if (!out.has(ch.spec)) out.set(ch.spec, ch);
    } catch (err) {
      if (!isPortholeError(err, 'bad-channel')) throw err;
      onBad(spec, err);
    }
  }
  return [...out.values()];
}
