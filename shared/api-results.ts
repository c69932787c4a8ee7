// Results of the UI's actions that are more than a snapshot: imports, sharing, opening a browser;
// plus the error shape every transport uses.
import { apiCodeOf, PortholeError, type Failure } from './errors.ts';
import { z } from 'zod';
import { FingerprintSchema, FingerprintWordsSchema, IsoDateSchema } from './api-models.ts';
import { ServerIdSchema } from './server-id.ts';

const Count = z.number().int().min(0);

/** One line or item of a pasted subscription that could not be read, and why. */
export const ImportProblemSchema = z.strictObject({ line: z.number().int().min(1).nullable(), message: z.string().max(500) });
export type ImportProblem = z.infer<typeof ImportProblemSchema>;
const Problems = z.array(ImportProblemSchema).max(100);

/** What happened to a pasted code, armored block or link. */
export const ImportOutcomeSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('added'),
    added: Count,
    serverIds: z.array(ServerIdSchema).max(5000),
    publisher: z.string().max(100).nullable(),
    /** Unsigned servers (links, subscriptions, configs): they became the person's own. */
    own: z.boolean().optional(),
    /** Of those added, how many need a protocol Porthole doesn't speak yet. */
    unsupported: Count.optional(),
    /** Servers that were already there. */
    already: Count.optional(),
    /** Lines or items that could not be read (the rest was added). */
    problems: Problems.optional(),
  }),
  z.strictObject({ kind: z.literal('already-added'), count: Count }),
  /** Recognized but broken: a typo in a code, a cut-off block, a bad checksum. `problem` says
   * which, for codes: a wrong character, cut off, letter case changed, or a newer version's code. */
  z.strictObject({ kind: z.literal('damaged'), message: z.string().max(500), problem: z.enum(['damaged', 'cut-off', 'wrong-case', 'newer-version']).optional() }),
  z.strictObject({ kind: z.literal('expired'), expiredAt: IsoDateSchema }),
  /** Signed by a publisher the user does not trust yet: show the words, ask, then import again. */
  z.strictObject({
    kind: z.literal('needs-trust'),
    /** `words`: the check numbers (digit groups); `name`: what to call the sender — its own,
     * unchecked name when the code carries one (`nameDeclared`), else its publisher `id`. */
    publisher: z.strictObject({ fingerprint: FingerprintSchema, words: FingerprintWordsSchema, name: z.string().max(100), id: z.string().max(64).optional(), nameDeclared: z.boolean().optional() }),
    serverCount: Count,
  }),
  /** Not something Porthole understands. */
  z.strictObject({ kind: z.literal('invalid'), message: z.string().max(500), problems: Problems.optional() }),
]);
export type ImportOutcome = z.infer<typeof ImportOutcomeSchema>;

export const ShareResultSchema = z.strictObject({
  /** The short code (fits in an SMS). */
  code: z.string().min(1).max(2000),
  /** porthole:// link carrying the same code. */
  link: z.string().regex(/^porthole:\/\//).max(2100),
  qrDataUrl: z.string().regex(/^data:image\/(png|svg\+xml);base64,[A-Za-z0-9+/=]+$/).max(200_000),
  /** How many SMS the code takes (GSM-7: 160 alone, 153 a part). */
  sms: z.number().int().min(1).max(50).optional(),
  /** The key-id form, for people who already trust this sender: shorter. */
  short: z.strictObject({
    code: z.string().min(1).max(2000),
    link: z.string().regex(/^porthole:\/\//).max(2100),
    qrDataUrl: z.string().regex(/^data:image\/(png|svg\+xml);base64,[A-Za-z0-9+/=]+$/).max(200_000),
    sms: z.number().int().min(1).max(50),
  }).optional(),
});
export type ShareResult = z.infer<typeof ShareResultSchema>;

/** Many codes at once (a volunteer's batch): each a different set of the chosen servers, spread evenly. */
export const BatchResultSchema = z.strictObject({
  codes: z.array(z.strictObject({ number: z.number().int().min(1), code: z.string().min(1).max(2000), servers: z.array(z.string().max(200)).max(8) })).max(500),
  /** The same as `porthole code batch` writes: number, code, servers, expiry. */
  csv: z.string().max(1_000_000),
  /** How many codes each server is in: the fewest and the most. */
  uses: z.strictObject({ min: z.number().int().min(0), max: z.number().int().min(0) }),
  sms: z.number().int().min(1).max(50),
});
export type BatchResult = z.infer<typeof BatchResultSchema>;

export const OpenBrowserResultSchema = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true) }),
  z.strictObject({
    ok: z.literal(false),
    reason: z.enum(['not-installed', 'not-connected', 'failed']),
    message: z.string().max(500),
  }),
]);
export type OpenBrowserResult = z.infer<typeof OpenBrowserResultSchema>;

export const RemovedSchema = z.strictObject({ removed: z.boolean() });

// ---------------------------------------------------------------- errors

export const API_ERROR_CODES = ['bad-request', 'not-found', 'unavailable', 'internal'] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];
export const ApiErrorPayloadSchema = z.strictObject({ code: z.enum(API_ERROR_CODES), message: z.string().max(2000) });
export type ApiErrorPayload = z.infer<typeof ApiErrorPayloadSchema>;

/** An Api implementation's expected failure (re-thrown by clients): the one error class with an Api
 * code of the failure table (shared/failures.ts), sent as `{ code, message }`. */
export type ApiError = Failure<ApiErrorCode>;

/** Whether `err` is a failure the Api sends as it is (its code has an Api wire code). */
export function isApiError(err: unknown): err is PortholeError {
  return err instanceof PortholeError && apiCodeOf(err.code) !== undefined;
}

/** Any thrown value as an error payload; unexpected errors don't leak their details. */
export function toErrorPayload(err: unknown): ApiErrorPayload {
  if (err instanceof PortholeError) {
    const code = apiCodeOf(err.code);
    if (code) return { code, message: err.message.slice(0, 2000) };
  }
  return { code: 'internal', message: 'internal error' };
}
