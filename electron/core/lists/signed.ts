// Signed documents: payload bytes + signatures over DOMAIN + bytes; and the one-line
// rejection that every failed check produces.
import { LIST_REJECTIONS, type ListRejectionCode } from '../../../shared/failures.ts';
import { PortholeError, type Failure } from '../../../shared/errors.ts';
import { decodeBase64Url, encodeBase64Url, fromUtf8 } from '../../../shared/base64url.ts';
import type { Signed } from '../../../shared/list-format.ts';
import { zodMessage } from '../../../shared/zod-message.ts';
import type { z } from 'zod';
import { keyIdOf, signBytes, verifyBytes, type SecretKey } from '../crypto/ed25519.ts';

/** A rejection: the one error class with a list-rejection code; `message` is the one line shown to
 * people ("rolled back (have v12, got v9)"). */
export type Rejection = Failure<RejectionReason>;
export type RejectionReason = ListRejectionCode;

/** Whether `err` rejects a list (a PortholeError with one of the list-rejection codes). */
export function isRejection(err: unknown): err is Rejection {
  return err instanceof PortholeError && (LIST_REJECTIONS as readonly string[]).includes(err.code);
}

export function signDocument(payload: Uint8Array, domain: string, keys: SecretKey[]): Signed {
  return {
    signed: encodeBase64Url(payload),
    signatures: keys.map((k) => ({ keyId: keyIdOf(k.publicKey), sig: signBytes(k, domain, payload) })),
  };
}

/** Returns the distinct keys of `allowed` that validly signed the document. */
export function validSigners(doc: Signed, domain: string, allowed: string[]): string[] {
  const payload = payloadBytes(doc);
  const byId = new Map(allowed.map((k) => [keyIdOf(k), k]));
  const good = new Set<string>();
  for (const s of doc.signatures) {
    const key = byId.get(s.keyId);
    if (key && !good.has(key) && verifyBytes(key, domain, payload, s.sig)) good.add(key);
  }
  return [...good];
}

export function payloadBytes(doc: Signed): Uint8Array {
  const bytes = decodeBase64Url(doc.signed);
  if (!bytes) throw new PortholeError('malformed', 'malformed at signed: not base64url');
  return bytes;
}

/** Parses verified payload bytes as JSON and checks them against the schema. */
export function parsePayload<T>(bytes: Uint8Array, schema: z.ZodType<T>, what: string): T {
  let json: unknown;
  try {
    json = JSON.parse(fromUtf8(bytes));
  } catch {
    throw new PortholeError('malformed', `malformed at ${what}: not JSON`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new PortholeError('malformed', `malformed at ${what}.${zodMessage(parsed.error)}`);
  return parsed.data;
}

export function parseJsonWith<T>(text: string | Uint8Array, schema: z.ZodType<T>, what: string): T {
  let json: unknown;
  try {
    json = JSON.parse(typeof text === 'string' ? text : fromUtf8(text));
  } catch {
    throw new PortholeError('malformed', `malformed ${what}: not JSON`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new PortholeError('malformed', `malformed at ${zodMessage(parsed.error)}`);
  return parsed.data;
}
