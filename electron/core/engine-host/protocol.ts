// The messages between the shell and the engine process (Electron utilityProcess, or a forked
// Node child): Api calls and their replies, events, start and stop. Checked with zod on both
// sides; the Api payloads inside are checked again against the contract (shared/api-dispatch).
import { z } from 'zod';
import { ApiErrorPayloadSchema } from '../../../shared/api.ts';

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
});

export const ToEngineSchema = z.discriminatedUnion('t', [
  InitSchema,
  z.strictObject({ t: z.literal('call'), id: Id, method: z.string().min(1).max(64), request: z.unknown() }),
  z.strictObject({ t: z.literal('stop'), id: Id }),
]);
export type ToEngine = z.infer<typeof ToEngineSchema>;

export const ReplySchema = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true), result: z.unknown() }),
  z.strictObject({ ok: z.literal(false), error: ApiErrorPayloadSchema }),
]);

export const FromEngineSchema = z.discriminatedUnion('t', [
  /** The engine started (ApiService.start finished: settings loaded, leftovers repaired). */
  z.strictObject({ t: z.literal('ready') }),
  z.strictObject({ t: z.literal('start-failed'), message: z.string().max(2000) }),
  z.strictObject({ t: z.literal('reply'), id: Id, reply: ReplySchema }),
  /** An Api event; the shell checks it against the contract before passing it on. */
  z.strictObject({ t: z.literal('event'), event: z.unknown() }),
  /** The stop with this id finished (bridge closed, system proxy restored). */
  z.strictObject({ t: z.literal('stopped'), id: Id }),
]);
export type FromEngine = z.infer<typeof FromEngineSchema>;
