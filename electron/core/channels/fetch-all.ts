// Fetches every channel at once under one deadline; one result per channel, in order.
import { DEFAULT_MAX_BYTES } from './settings.ts';
import type { Channel, ChannelFetchResult, ProxyAgentOption } from './types.ts';

export interface FetchAllOptions {
  /** Deadline for the whole round. */
  timeoutMs: number;
  maxBytes?: number;
  signal?: AbortSignal;
  proxy?: ProxyAgentOption;
  /** Previous ETags by channel spec. */
  etags?: ReadonlyMap<string, string> | Record<string, string>;
  /** Called as each channel finishes (for progress in the UI and CLI). */
  onResult?: (result: ChannelFetchResult) => void;
}

function etagFor(etags: FetchAllOptions['etags'], spec: string): string | undefined {
  if (!etags) return undefined;
  return etags instanceof Map ? etags.get(spec) : (etags as Record<string, string>)[spec];
}

export async function fetchAll(channels: readonly Channel[], opts: FetchAllOptions): Promise<ChannelFetchResult[]> {
  const deadline = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, deadline]) : deadline;
  return Promise.all(
    channels.map(async (ch) => {
      const etag = etagFor(opts.etags, ch.spec);
      const r = await ch.fetch({
        signal,
        maxBytes: opts.maxBytes ?? DEFAULT_MAX_BYTES,
        ...(etag !== undefined ? { etag } : {}),
        ...(opts.proxy ? { proxy: opts.proxy } : {}),
      });
      opts.onResult?.(r);
      return r;
    }),
  );
}
