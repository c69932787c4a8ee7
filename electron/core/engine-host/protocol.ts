// The messages between the shell and the engine process (Electron utilityProcess, or a forked
// Node child): Api calls and their replies, events, start and stop. Checked with zod on both
// sides; the Api payloads inside are checked again against the contract (shared/api-dispatch).
import { z } from 'zod';
import { ApiErrorPayloadSchema, MAX_IMPORT_TEXT } from '../../../shared/api.ts';
import { ErrorWireSchema } from './error-wire.ts';
import { UpEventSchema } from './up-events.ts';

const Id = z.number().int().min(1);

const Ms = z.number().int().min(1).max(86_400_000);
const Urls = z.array(z.string().min(1).max(2048)).max(50);

/** The engine options that can cross a process boundary (ApiServiceOptions without callbacks). */
export const HostedOptionsSchema = z.strictObject({
  listen: z.strictObject({ host: z.string().min(1).max(253), port: z.number().int().min(0).max(65535), strictPort: z.boolean().optional() }).optional(),
  channels: z.array(z.string().min(1).max(4096)).max(100).optional(),
  skipBootstrap: z.boolean().optional(),
  autoConnect: z.boolean().optional(),
  refreshDeadlineMs: Ms.optional(),
  refreshEveryMs: Ms.optional(),
  reprobeEveryMs: Ms.optional(),
  probe: z.strictObject({
    probeUrls: Urls.optional(),
    defaultProbeUrls: Urls.optional(),
    maxProbeUrls: z.number().int().min(1).max(50).optional(),
    timeouts: z.record(z.string(), Ms).optional(),
    concurrency: z.record(z.string(), z.number().int().min(1).max(10_000)).optional(),
  }).optional(),
  /** Trusted publisher chains (demo, tests); the engine's trust code checks them. */
  pinned: z.array(z.unknown()).max(20).optional(),
});
export type HostedOptions = z.infer<typeof HostedOptionsSchema>;

export const InitSchema = z.strictObject({
  t: z.literal('init'),
  dataDir: z.string().min(1).max(4096),
  /** base64 AES-256 key for secrets, unwrapped by the shell from the OS keychain; null without one. */
  secretKey: z.string().regex(/^[A-Za-z0-9+/]{43}=$/).nullable(),
  options: HostedOptionsSchema.optional(),
  /** Send the core engine's events as `porthole up` prints them ('up' messages): the CLI's `up --ui`. */
  followCore: z.boolean().optional(),
});

/** What only the CLI asks of the engine process: `--code`/demo imports, and connecting for `up`. */
export const CliRequestSchema = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('import'), data: z.union([z.string().max(MAX_IMPORT_TEXT), z.instanceof(Uint8Array).refine((b) => b.byteLength <= MAX_IMPORT_TEXT, 'too large')]), acceptNewKey: z.boolean() }),
  z.strictObject({ op: z.literal('connect') }),
]);
export type CliRequest = z.infer<typeof CliRequestSchema>;

export const CliResultSchema = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('import'), outcomes: z.array(z.strictObject({ status: z.string().max(64), message: z.string().max(4000) })).max(10_000) }),
  /** The bridge's addresses and how many servers are known, for the `start` line. */
  z.strictObject({ op: z.literal('connect'), socks: z.string().max(300), http: z.string().max(300), servers: z.number().int().min(0) }),
]);
export type CliResult = z.infer<typeof CliResultSchema>;

export const ToEngineSchema = z.discriminatedUnion('t', [
  InitSchema,
  z.strictObject({ t: z.literal('call'), id: Id, method: z.string().min(1).max(64), request: z.unknown() }),
  z.strictObject({ t: z.literal('stop'), id: Id }),
  z.strictObject({ t: z.literal('cli'), id: Id, request: CliRequestSchema }),
]);
export type ToEngine = z.infer<typeof ToEngineSchema>;

export const ReplySchema = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true), result: z.unknown() }),
  z.strictObject({ ok: z.literal(false), error: ApiErrorPayloadSchema }),
]);

export const FromEngineSchema = z.discriminatedUnion('t', [
  /** The engine started (ApiService.start finished: settings loaded, leftovers repaired). */
  z.strictObject({ t: z.literal('ready') }),
  /** `error` tells the CLI what kind of failure it was (its exit code); `message` is for people. */
  z.strictObject({ t: z.literal('start-failed'), message: z.string().max(2000), error: ErrorWireSchema.optional() }),
  z.strictObject({ t: z.literal('reply'), id: Id, reply: ReplySchema }),
  /** An Api event; the shell checks it against the contract before passing it on. */
  z.strictObject({ t: z.literal('event'), event: z.unknown() }),
  /** The stop with this id finished (bridge closed, system proxy restored). */
  z.strictObject({ t: z.literal('stopped'), id: Id }),
  /** A core engine event as `porthole up` prints it (only with followCore). */
  z.strictObject({ t: z.literal('up'), event: UpEventSchema }),
  z.strictObject({
    t: z.literal('cli-reply'), id: Id,
    reply: z.discriminatedUnion('ok', [
      z.strictObject({ ok: z.literal(true), result: CliResultSchema }),
      z.strictObject({ ok: z.literal(false), error: ErrorWireSchema }),
    ]),
  }),
]);
export type FromEngine = z.infer<typeof FromEngineSchema>;

/** How many messages one batch holds at most. */
export const MAX_BATCH = 5000;

/**
 * Several messages at once (the engine process sends what one turn of its event loop produced
 * together, see outbox.ts). Each message inside is checked against FromEngineSchema on its own, as if
 * it had come alone: a bad one is dropped, the others pass; a batch inside a batch is refused.
 */
export const FromEngineBatchSchema = z.strictObject({ t: z.literal('batch'), messages: z.array(z.unknown()).min(1).max(MAX_BATCH) });
export type FromEngineBatch = { t: 'batch'; messages: FromEngine[] };
