// One refresh: every channel starts at once (bounded concurrency); each candidate is verified
// as soon as it arrives, so the first verified list is usable immediately and newer versions
// that arrive later replace it. The round reports at its deadline; slow channels keep going in
// the background until their own longer limit and are still accepted when they arrive.
import { createHash } from 'node:crypto';
import { LIMITS } from '../../../shared/list-format.ts';
import type { Channel, ChannelFetchResult, ProxyAgentOption } from '../channels/index.ts';
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
  signal?: AbortSignal;
  proxy?: ProxyAgentOption;
  etags?: Map<string, string>;
  /** A list was added or updated: the engine rebuilds its servers. */
  onAccepted?: (outcome: ListOutcome, channel: string) => void;
  onReport?: (report: ChannelReport) => void;
}

export interface RefreshRound {
  /** Resolves at the deadline (or earlier, when every channel is done). */
  atDeadline: Promise<ChannelReport[]>;
  /** Resolves when every channel, slow ones too, is done. */
  finished: Promise<ChannelReport[]>;
  cancel(): void;
}

export function refreshChannels(stores: ClientStores, channels: readonly Channel[], options: RefreshOptions = {}): RefreshRound {
  const controller = new AbortController();
  const signals = [controller.signal, AbortSignal.timeout(options.backgroundLimitMs ?? 60_000)];
  if (options.signal) signals.push(options.signal);
  const signal = AbortSignal.any(signals);
  const reports = new Map<string, ChannelReport>(channels.map((c) => [c.spec, { channel: c.spec, status: 'pending', checkedAt: null, elapsedMs: null, lists: [] }]));
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
      const result = await ch.fetch({ signal, maxBytes: LIMITS.maxListBytes, ...(etag ? { etag } : {}), ...(options.proxy ? { proxy: options.proxy } : {}) });
      if (result.etag && options.etags) options.etags.set(ch.spec, result.etag);
      const report: ChannelReport = { channel: ch.spec, status: result.status, checkedAt: result.fetchedAt, elapsedMs: result.elapsedMs, lists: [], ...(result.detail ? { detail: result.detail } : {}) };
      for (const blob of result.blobs) {
        const outcome = await verify(blob);
        const info = outcome.kind === 'list' && (outcome.status === 'added' || outcome.status === 'updated') ? { publisher: outcome.publisher, version: outcome.version } : {};
        report.lists.push({ status: outcome.status, message: outcome.message, ...info });
        if (outcome.status === 'added' || outcome.status === 'updated') options.onAccepted?.(outcome, ch.spec);
      }
      if (result.status === 'ok' && report.lists.length > 0 && report.lists.every((l) => l.status === 'rejected')) {
        report.status = 'invalid-signature';
        report.detail = report.lists[0]!.message;
      }
      reports.set(ch.spec, report);
      options.onReport?.(report);
    }
  };
  const finished = Promise.all(Array.from({ length: Math.min(limit, channels.length) }, work)).then(() => [...reports.values()]);
  const deadline = new Promise<ChannelReport[]>((resolve) => {
    const timer = setTimeout(() => resolve([...reports.values()].map((r) => (r.status === 'pending' ? { ...r, status: 'timeout' as const, detail: 'still running in the background' } : r))), options.deadlineMs ?? 15_000);
    timer.unref();
    void finished.then((r) => {
      clearTimeout(timer);
      resolve(r);
    });
  });
  return { atDeadline: deadline, finished, cancel: () => controller.abort() };
}
