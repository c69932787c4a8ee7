// Default channel settings; callers override any subset.
import type { ChannelSettings } from './types.ts';

const DEFAULT_SETTINGS: Readonly<ChannelSettings> = Object.freeze({
  timeoutMs: 15_000,
  retries: 2,
  retryBaseMs: 400,
  userAgent: 'Mozilla/5.0 (compatible)',
  dnsServers: [],
  dohStaggerMs: 400,
  maxFiles: 64,
});

/** One MiB: the default byte cap of a fetch. */
export const DEFAULT_MAX_BYTES = 1 << 20;

export function resolveSettings(partial?: Partial<ChannelSettings>): ChannelSettings {
  const s: ChannelSettings = { ...DEFAULT_SETTINGS, dnsServers: [...DEFAULT_SETTINGS.dnsServers] };
  if (!partial) return s;
  for (const [k, v] of Object.entries(partial)) if (v !== undefined) (s as unknown as Record<string, unknown>)[k] = v;
  return s;
}
