// The data the UI shows: connection state, servers, sources, settings, log lines.
// Zod schemas are the source of truth; the TS types are inferred from them.
import { z } from 'zod';
import { PROTOCOLS } from './entry.ts';
import { SERVER_FAILURES } from './failures.ts';
import { ServerIdSchema } from './server-id.ts';

const IsoDate = z.iso.datetime({ offset: true });
const Count = z.number().int().min(0);
const Ms = z.number().min(0).max(600_000);
const Fingerprint = z.string().regex(/^[0-9a-f]{16,128}$/, 'lower-case hex fingerprint');
/** Fingerprint words: a few short words people can compare over the phone. */
const FingerprintWords = z.array(z.string().min(1).max(32)).min(1).max(24);

export const LANGUAGES = ['kk', 'ru', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const LanguageSettingSchema = z.enum(['auto', ...LANGUAGES]);
export type LanguageSetting = z.infer<typeof LanguageSettingSchema>;

export const BROWSERS = ['firefox', 'chrome', 'telegram'] as const;
export const BrowserSchema = z.enum(BROWSERS);
export type Browser = z.infer<typeof BrowserSchema>;


// ---------------------------------------------------------------- state

export const PHASES = ['idle', 'searching', 'connected', 'offline'] as const;
export const PhaseSchema = z.enum(PHASES);

/** Why the current server was chosen. */
export const CHOICE_REASONS = ['fastest', 'pinned', 'picked', 'failover', 'only-working', 'degraded'] as const;
export const ChoiceReasonSchema = z.enum(CHOICE_REASONS);

/** Why nothing works, when the phase is `offline`. */
export const OFFLINE_REASONS = ['no-servers', 'all-failed', 'no-sources', 'bridge-failed'] as const;
export const OfflineReasonSchema = z.enum(OFFLINE_REASONS);

export const AddressSchema = z.strictObject({ host: z.string().min(1).max(253), port: z.number().int().min(1).max(65535) });
export type Address = z.infer<typeof AddressSchema>;

export const ProgressSchema = z.strictObject({ tested: Count, total: Count, running: z.boolean() });
export type Progress = z.infer<typeof ProgressSchema>;

export const StateSchema = z.strictObject({
  phase: PhaseSchema,
  /** Probing progress; `running` is false once a round has finished. */
  progress: ProgressSchema,
  current: z.strictObject({
    serverId: ServerIdSchema,
    label: z.string().max(100),
    country: z.string().regex(/^[A-Z]{2}$/).optional(),
    latencyMs: Ms.nullable(),
    reason: ChoiceReasonSchema,
  }).nullable(),
  offlineReason: OfflineReasonSchema.nullable(),
  /** Local bridge addresses while it runs. */
  bridge: z.strictObject({ socks: AddressSchema, http: AddressSchema }).nullable(),
  /** Bridge addresses other devices on the network can use, when LAN sharing is on. */
  lan: z.strictObject({ socks: AddressSchema, http: AddressSchema }).nullable(),
  systemProxy: z.boolean(),
  /** Which browsers/apps were found on this computer. */
  browsers: z.strictObject({ firefox: z.boolean(), chrome: z.boolean(), telegram: z.boolean() }),
  since: IsoDate,
  /** While nothing works the search goes on by itself: when it tries again. */
  retryAt: IsoDate.nullable().optional(),
  /** Another program holds the port Porthole always uses; the bridge listens on `using` for now. */
  portConflict: z.strictObject({ wanted: AddressSchema.shape.port, using: AddressSchema.shape.port }).nullable().optional(),
});
export type State = z.infer<typeof StateSchema>;

// ---------------------------------------------------------------- servers

/** Why a server last failed: the codes of the one failure table the Api sends (shared/failures.ts). */
export const FAILURE_KINDS = SERVER_FAILURES;
export const FailureKindSchema = z.enum(FAILURE_KINDS);
export type FailureKind = z.infer<typeof FailureKindSchema>;

export const SERVER_ORIGINS = ['publisher', 'user', 'code'] as const;

export const ServerSchema = z.strictObject({
  id: ServerIdSchema,
  label: z.string().max(100),
  protocol: z.enum(PROTOCOLS),
  /** host:port for power users; never contains credentials. */
  endpoint: z.string().max(300),
  country: z.string().regex(/^[A-Z]{2}$/).optional(),
  /** Recent probe latencies, oldest first; null marks a failed attempt. */
  samples: z.array(Ms.nullable()).max(32),
  /** Median of the recent successful samples. */
  latencyMs: Ms.nullable(),
  /** Share of recent probes that succeeded, 0..1; null before any probe. */
  successRate: z.number().min(0).max(1).nullable(),
  lastTested: IsoDate.nullable(),
  status: z.enum(['untested', 'testing', 'ok', 'failed']),
  origin: z.enum(SERVER_ORIGINS),
  /** Name of the publisher whose list carried it (origin `publisher`). */
  publisher: z.string().max(100).nullable(),
  failure: z.strictObject({ kind: FailureKindSchema, message: z.string().max(500) }).nullable(),
  pinned: z.boolean(),
  picked: z.boolean(),
  /** The bridge is currently using it. */
  active: z.boolean(),
  /** Its list or code has expired: still tried (after fresh servers) until `usedUntil`, then dropped. */
  expired: z.strictObject({ since: IsoDate, usedUntil: IsoDate }).optional(),
  /** Kept but not usable yet: the protocol it needs ("hysteria2", "vless+reality"). Never tested. */
  needs: z.string().max(32).optional(),
  /** Its TLS certificate is not checked (the link asked for that): the UI warns. */
  insecureTls: z.boolean().optional(),
});
export type Server = z.infer<typeof ServerSchema>;

// ---------------------------------------------------------------- sources

export const CHANNEL_KINDS = ['https', 'dns', 'page', 'telegram', 'file', 'code'] as const;
export const CHANNEL_STATUSES = [
  'pending', 'ok', 'not-modified', 'timeout', 'blocked', 'invalid-signature', 'too-large', 'expired', 'error',
] as const;
export const ChannelStatusSchema = z.enum(CHANNEL_STATUSES);

export const ChannelSchema = z.strictObject({
  id: z.string().min(1).max(128),
  kind: z.enum(CHANNEL_KINDS),
  /** URL, DNS name or file name, shown as is. */
  location: z.string().max(2048),
  status: ChannelStatusSchema,
  lastChecked: IsoDate.nullable(),
  /** Version of the list it served last. */
  listVersion: Count.nullable(),
  /** When that list was published (its age is shown). */
  publishedAt: IsoDate.nullable(),
  publisher: z.string().max(100).nullable(),
  message: z.string().max(500).nullable(),
});
export type Channel = z.infer<typeof ChannelSchema>;

export const PublisherSchema = z.strictObject({
  fingerprint: Fingerprint,
  words: FingerprintWords,
  name: z.string().max(100),
  trusted: z.boolean(),
  /** Newest verified list version, its publication and expiry. */
  listVersion: Count.nullable(),
  publishedAt: IsoDate.nullable(),
  expires: IsoDate.nullable(),
  serverCount: Count,
});
export type Publisher = z.infer<typeof PublisherSchema>;

export const SourcesSchema = z.strictObject({
  channels: z.array(ChannelSchema).max(1000),
  publishers: z.array(PublisherSchema).max(1000),
  refreshing: z.boolean(),
});
export type Sources = z.infer<typeof SourcesSchema>;

// ---------------------------------------------------------------- settings

const LocalPort = z.number().int().min(1024).max(65535);

export const SettingsSchema = z.strictObject({
  language: LanguageSettingSchema,
  /** The bridge's one local port: SOCKS5 and HTTP proxy on the same port. */
  port: LocalPort,
  lanSharing: z.boolean(),
  lanUsername: z.string().max(64),
  /** Stored encrypted by the shell (safeStorage); shown so it can be given to other devices. */
  lanPassword: z.string().max(128),
  systemProxy: z.boolean(),
  startAtLogin: z.boolean(),
  testUrl: z.url({ protocol: /^https?$/ }).max(2048),
}).refine((s) => !s.lanSharing || (s.lanUsername.length > 0 && s.lanPassword.length >= 8), {
    message: 'LAN sharing needs a user name and a password of at least 8 characters', path: ['lanPassword'],
  });
export type Settings = z.infer<typeof SettingsSchema>;

/** A change to some settings; the result must still pass SettingsSchema. */
export const SettingsPatchSchema = z.strictObject({
  language: LanguageSettingSchema.optional(),
  port: LocalPort.optional(),
  lanSharing: z.boolean().optional(),
  lanUsername: z.string().max(64).optional(),
  lanPassword: z.string().max(128).optional(),
  systemProxy: z.boolean().optional(),
  startAtLogin: z.boolean().optional(),
  testUrl: z.url({ protocol: /^https?$/ }).max(2048).optional(),
});
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

// ---------------------------------------------------------------- log

export const LogEntrySchema = z.strictObject({
  at: IsoDate,
  level: z.enum(['debug', 'info', 'warn', 'error']),
  /** Plain English, for the log view and bug reports; never contains secrets. */
  message: z.string().max(2000),
});
export type LogEntry = z.infer<typeof LogEntrySchema>;

export { Fingerprint as FingerprintSchema, FingerprintWords as FingerprintWordsSchema, IsoDate as IsoDateSchema };
