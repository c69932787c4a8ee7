// The one contract between the UI and the engine: every method's request and response schema,
// the events, and the typed `Api` interface. Electron IPC (main + preload) and the headless HTTP
// server both serve it generically from API_METHODS; clients (preload, renderer HTTP client, fake)
// are typed by `Api`.
import { z } from 'zod';
import {
  BrowserSchema, FingerprintSchema, LogEntrySchema, ProgressSchema, PublisherSchema, ServerSchema,
  SettingsPatchSchema, SettingsSchema, SourcesSchema, StateSchema,
} from './api-models.ts';
import { ServerIdSchema } from './server-id.ts';
import { BatchResultSchema, ImportOutcomeSchema, OpenBrowserResultSchema, RemovedSchema, ShareResultSchema } from './api-results.ts';

export * from './api-models.ts';
export * from './api-results.ts';

const None = z.strictObject({});
const ById = z.strictObject({ id: ServerIdSchema });
const ByFingerprint = z.strictObject({ fingerprint: FingerprintSchema });
/** A pasted message can be long (a whole Telegram post, a subscription of 5,000 links), but not unbounded. */
export const MAX_IMPORT_TEXT = 1024 * 1024;

function method<Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) {
  return { request, response };
}

export const API_METHODS = {
  // Reads: the UI loads these once, then follows events.
  getState: method(None, StateSchema),
  listServers: method(None, z.array(ServerSchema).max(10_000)),
  getSources: method(None, SourcesSchema),
  getSettings: method(None, SettingsSchema),
  getLog: method(z.strictObject({ limit: z.number().int().min(1).max(1000).optional() }), z.array(LogEntrySchema)),

  // Connection.
  /** Starts searching and bridging; with serverId, uses that server first. */
  connect: method(z.strictObject({ serverId: ServerIdSchema.optional() }), StateSchema),
  disconnect: method(None, StateSchema),
  /** Starts a probe round over every server; progress comes as events. */
  testAll: method(None, ProgressSchema),
  /** Switches to this server now (until it fails). */
  pick: method(ById, StateSchema),
  /** Always prefer this server while it works. */
  pin: method(ById, ServerSchema),
  unpin: method(ById, ServerSchema),

  // Servers of one's own and sharing.
  /** Servers of one's own: any share link, a subscription (links, base64, Clash, sing-box), an Outline key. */
  addServerByLink: method(z.strictObject({ link: z.string().min(1).max(MAX_IMPORT_TEXT) }), ImportOutcomeSchema),
  removeServer: method(ById, RemovedSchema),
  shareServers: method(z.strictObject({ ids: z.array(ServerIdSchema).min(1).max(50) }), ShareResultSchema),
  /** Codes for many people: `count` codes, each a different set of `perCode` of the chosen servers. */
  shareBatch: method(z.strictObject({ ids: z.array(ServerIdSchema).min(2).max(500), count: z.number().int().min(1).max(500), perCode: z.number().int().min(1).max(8), short: z.boolean().optional() }), BatchResultSchema),
  /** A pasted code, armored block, porthole:// link or whole message containing one. */
  importText: method(z.strictObject({ text: z.string().min(1).max(MAX_IMPORT_TEXT) }), ImportOutcomeSchema),

  // Trust and sources.
  trustPublisher: method(ByFingerprint, PublisherSchema),
  untrust: method(ByFingerprint, RemovedSchema),
  refreshSources: method(None, SourcesSchema),

  // Apps and settings.
  openBrowser: method(z.strictObject({ browser: BrowserSchema }), OpenBrowserResultSchema),
  setSettings: method(SettingsPatchSchema, SettingsSchema),
} as const;

export type ApiMethodSpecs = typeof API_METHODS;
export type MethodName = keyof ApiMethodSpecs;
export const METHOD_NAMES = Object.keys(API_METHODS) as MethodName[];
export type RequestOf<M extends MethodName> = z.input<ApiMethodSpecs[M]['request']>;
export type ResponseOf<M extends MethodName> = z.output<ApiMethodSpecs[M]['response']>;

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(API_METHODS, name);
}

// ---------------------------------------------------------------- events

export const IMPORT_ORIGINS = ['link', 'file', 'clipboard'] as const;

export const ApiEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('state'), state: StateSchema }),
  z.strictObject({ type: z.literal('progress'), progress: ProgressSchema }),
  z.strictObject({ type: z.literal('server'), server: ServerSchema }),
  /** The list itself changed (added, removed, refreshed from sources). */
  z.strictObject({ type: z.literal('servers'), servers: z.array(ServerSchema).max(10_000) }),
  z.strictObject({ type: z.literal('sources'), sources: SourcesSchema }),
  z.strictObject({ type: z.literal('settings'), settings: SettingsSchema }),
  z.strictObject({ type: z.literal('log'), entry: LogEntrySchema }),
  /**
   * From the shell: a porthole:// link or .porthole file was opened (import it), or the
   * clipboard holds a code the user has not been offered yet (ask first).
   */
  z.strictObject({ type: z.literal('import-request'), text: z.string().min(1).max(MAX_IMPORT_TEXT), origin: z.enum(IMPORT_ORIGINS) }),
]);
export type ApiEvent = z.infer<typeof ApiEventSchema>;
export type Unsubscribe = () => void;

// ---------------------------------------------------------------- the interface

// Methods whose request has no required field may be called without an argument.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
type Call<Req, Res> = {} extends Req ? (request?: Req) => Promise<Res> : (request: Req) => Promise<Res>;

export type ApiMethods = { [M in MethodName]: Call<RequestOf<M>, ResponseOf<M>> };

/** What the renderer talks to, and what the engine implements. */
export interface Api extends ApiMethods {
  /** Every event, in order; returns a function that stops delivery. */
  subscribe(listener: (event: ApiEvent) => void): Unsubscribe;
}
