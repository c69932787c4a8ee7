// Maps the core engine's state onto the UI contract's shapes (shared/api-models.ts).
import type { Channel, FailureKind, Publisher, Server, State } from '../../../../shared/api-models.ts';
import { isFailureCode, serverFailure } from '../../../../shared/failures.ts';
import { publisherCheck } from '../../crypto/fingerprint.ts';
import type { ChannelReport } from '../../catalog/refresh.ts';
import type { TrustedPublisher } from '../../catalog/trust-store.ts';
import type { VerifiedList } from '../../lists/verify.ts';
import type { CatalogServer } from '../../catalog/catalog.ts';
import type { Engine as CoreEngine } from '../engine.ts';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** A publisher id (16 base32 characters, 80 bits) as the lower-case hex the UI contract uses. */
export function publisherFingerprint(publisher: string): string {
  let bits = 0;
  let acc = 0;
  let hex = '';
  for (const ch of publisher) {
    acc = (acc << 5) | BASE32.indexOf(ch);
    bits += 5;
    while (bits >= 8) {
      bits -= 8;
      hex += ((acc >> bits) & 0xff).toString(16).padStart(2, '0');
    }
    acc &= (1 << bits) - 1;
  }
  return hex;
}

export function publisherFromFingerprint(fingerprint: string, known: Iterable<string>): string | undefined {
  for (const p of known) if (publisherFingerprint(p) === fingerprint) return p;
  return undefined;
}

/** The Api's name for a failure kind (a blocked probe URL is 'wrong-content'; unknown kinds 'other'). */
export function failureKind(kind: string): FailureKind {
  return isFailureCode(kind) ? serverFailure(kind) : 'other';
}

export function serverView(core: CoreEngine, s: CatalogServer): Server {
  if (s.entry.protocol === 'mtproto' || s.entry.protocol === 'unsupported') return unbridgedView(core, s);
  const v = core.serverStats(s.id);
  const running = core.probing && !v?.lastTested;
  return {
    id: s.id,
    label: (s.entry.label ?? s.entry.host).slice(0, 100),
    protocol: s.entry.protocol,
    endpoint: `${s.entry.host.includes(':') ? `[${s.entry.host}]` : s.entry.host}:${s.entry.ports[0]}`,
    ...(s.entry.country ? { country: s.entry.country } : {}),
    samples: (v?.samples ?? []).map((x) => (x === null ? null : Math.min(600_000, Math.max(0, x)))),
    latencyMs: v?.latencyMs ?? null,
    successRate: v?.successRate ?? null,
    lastTested: v?.lastTested ? new Date(v.lastTested).toISOString() : null,
    status: v?.status === 'untested' || !v ? (running ? 'testing' : 'untested') : v.status,
    origin: s.origin,
    publisher: s.publisherName ?? s.publisher,
    failure: v?.failure ? { kind: failureKind(v.failure.kind), message: v.failure.message.slice(0, 500) } : null,
    pinned: v?.pinned ?? false,
    picked: v?.picked ?? false,
    active: v?.active ?? false,
    ...(s.entry.tls?.insecure ? { insecureTls: true } : {}),
    ...(s.expired ? { expired: { since: s.expired.since, usedUntil: s.expired.dropAt } } : {}),
  };
}

/** MTProto (probed for Telegram, never bridged) and not-yet-spoken servers (never tested). */
function unbridgedView(core: CoreEngine, s: CatalogServer): Server {
  const r = s.entry.protocol === 'mtproto' ? core.mtprotoResult(s.id) : undefined;
  const latency = r?.ok && r.latencyMs !== null ? Math.min(600_000, Math.max(0, r.latencyMs)) : null;
  return {
    id: s.id,
    label: (s.entry.label ?? s.entry.host).slice(0, 100),
    protocol: s.entry.protocol,
    endpoint: `${s.entry.host.includes(':') ? `[${s.entry.host}]` : s.entry.host}:${r?.port ?? s.entry.ports[0]}`,
    ...(s.entry.country ? { country: s.entry.country } : {}),
    samples: r ? [latency] : [],
    latencyMs: latency,
    successRate: r ? (r.ok ? 1 : 0) : null,
    lastTested: r ? new Date(r.at).toISOString() : null,
    status: r ? (r.ok ? 'ok' : 'failed') : 'untested',
    origin: s.origin,
    publisher: s.publisherName ?? s.publisher,
    failure: r?.error ? { kind: failureKind(r.error.kind), message: r.error.message.slice(0, 500) } : null,
    pinned: false,
    picked: false,
    active: false,
    ...(s.entry.protocol === 'unsupported' ? { needs: (s.entry.scheme ?? 'unknown').slice(0, 32) } : {}),
  };
}

const REASONS: Record<string, NonNullable<State['current']>['reason']> = {
  pinned: 'pinned', picked: 'picked', 'current-failed': 'failover', 'pinned-failing': 'failover', degraded: 'degraded',
};

export function stateView(core: CoreEngine | null, extra: { systemProxy: boolean; browsers: State['browsers']; lan: State['lan']; since: string }): State {
  const st = core?.state();
  const current = st?.current ?? null;
  const working = core ? core.workingCount() : 0;
  const phase = st?.phase ?? 'idle';
  return {
    phase,
    progress: { tested: st?.tested ?? 0, total: st?.total ?? 0, running: st?.probing ?? false },
    current: current
      ? {
          serverId: current.id,
          label: (current.entry.label ?? current.entry.host).slice(0, 100),
          ...(current.entry.country ? { country: current.entry.country } : {}),
          latencyMs: st?.currentLatencyMs === null || st?.currentLatencyMs === undefined ? null : Math.min(600_000, st.currentLatencyMs),
          reason: REASONS[st!.reason] ?? (core?.serverStats(current.id)?.degraded ? 'degraded' : working === 1 ? 'only-working' : 'fastest'),
        }
      : null,
    offlineReason: phase === 'offline' ? (core && core.servers().length > 0 ? 'all-failed' : 'no-servers') : null,
    bridge: st?.bridge ? { socks: st.bridge, http: st.bridge } : null,
    lan: extra.lan,
    systemProxy: extra.systemProxy,
    browsers: extra.browsers,
    since: st?.since ?? extra.since,
    retryAt: st?.retryAt ? new Date(st.retryAt).toISOString() : null,
    portConflict: st?.portConflict ?? null,
  };
}

const CHANNEL_STATUS: Record<string, Channel['status']> = {
  ok: 'ok', 'not-modified': 'not-modified', timeout: 'timeout', blocked: 'blocked', 'too-large': 'too-large',
  'http-error': 'error', error: 'error', pending: 'pending', 'invalid-signature': 'invalid-signature',
};

export function channelView(r: ChannelReport, names: Map<string, string>): Channel {
  const kind: Channel['kind'] = r.channel.startsWith('file:') ? 'file'
    : r.channel.startsWith('dns:') || r.channel.startsWith('doh:') ? 'dns'
    : /^page:https?:\/\/(t|telegram)\.me\//.test(r.channel) ? 'telegram'
    : r.channel.startsWith('page:') ? 'page' : 'https';
  const accepted = r.lists.find((l) => l.version !== undefined);
  const rejected = r.lists.find((l) => l.status === 'rejected');
  return {
    id: r.channel.slice(0, 128),
    kind,
    location: r.channel.replace(/^page:/, '').slice(0, 2048),
    status: CHANNEL_STATUS[r.status] ?? 'error',
    lastChecked: r.checkedAt,
    listVersion: accepted?.version ?? null,
    publishedAt: null,
    publisher: accepted?.publisher ? names.get(accepted.publisher) ?? accepted.publisher : null,
    message: (r.detail ?? rejected?.message ?? null)?.slice(0, 500) ?? null,
  };
}

export function publisherView(p: TrustedPublisher, list: VerifiedList | undefined, servers: number): Publisher {
  return {
    fingerprint: publisherFingerprint(p.publisher),
    words: publisherCheck(p.publisher),
    name: (list?.payload.name ?? p.label ?? p.root.name ?? p.publisher).slice(0, 100),
    trusted: true,
    listVersion: list?.payload.version ?? null,
    publishedAt: list?.payload.issuedAt ?? null,
    expires: list?.payload.expires ?? null,
    serverCount: servers,
  };
}
