// Verifies a signed list before trusting any field of it: size cap, envelope shape,
// publisher root chain, signature, then payload, rollback and expiry.
import { DOMAIN, LIMITS, ListEnvelopeSchema, ListPayloadSchema, RootSchema, type ListPayload } from '../../../shared/list-format.ts';
import { keyIdOf } from '../crypto/ed25519.ts';
import { advanceChain, type RootChain } from './roots.ts';
import { parseJsonWith, parsePayload, payloadBytes, Rejection, validSigners } from './signed.ts';

export interface VerifiedList {
  publisher: string;
  payload: ListPayload;
  /** The exact bytes that verified, for the cache. */
  bytes: Uint8Array;
  /** The publisher's chain after this list (longer when the list carried a root rotation). */
  chain: RootChain;
  /** True when it is past its expiry (only allowed for lists the client already held). */
  expired: boolean;
}

export interface VerifyContext {
  trusted: readonly RootChain[];
  /** The time floor: max(system clock, newest signed issued-at seen). */
  now: Date;
  /** Highest version already accepted for a publisher. */
  highestVersion?: (publisher: string) => number | undefined;
  /** For re-reading the client's own cache: a held list keeps working after it expires. */
  allowExpired?: boolean;
  /** For re-reading the cache: equal versions are fine. */
  allowEqual?: boolean;
}

export function verifyList(bytes: Uint8Array, ctx: VerifyContext): VerifiedList {
  if (bytes.length > LIMITS.maxListBytes) {
    throw new Rejection('too-large', `too large: ${bytes.length} bytes (limit ${LIMITS.maxListBytes})`);
  }
  const envelope = parseJsonWith(bytes, ListEnvelopeSchema, 'list file');
  const chain = findPublisher(envelope.roots, envelope.list.signatures.map((s) => s.keyId), ctx.trusted);
  const signers = validSigners(envelope.list, DOMAIN.list, chain.root.listKeys);
  if (signers.length === 0) {
    throw new Rejection('bad-signature', `bad signature: the list does not verify with the keys of publisher ${chain.publisher}`);
  }
  const payload = parsePayload(payloadBytes(envelope.list), ListPayloadSchema, 'list');
  if (payload.publisher !== chain.publisher) {
    throw new Rejection('malformed', `malformed at list.publisher: signed by ${chain.publisher} but names ${payload.publisher}`);
  }
  const have = ctx.highestVersion?.(payload.publisher);
  if (have !== undefined && payload.version < have) {
    throw new Rejection('rolled-back', `rolled back (have v${have}, got v${payload.version})`);
  }
  if (have !== undefined && payload.version === have && !ctx.allowEqual) {
    throw new Rejection('unchanged', `unchanged (already have v${have})`);
  }
  const expired = Date.parse(payload.expires) <= ctx.now.getTime();
  if (expired && !ctx.allowExpired) {
    throw new Rejection('expired', `expired on ${payload.expires.slice(0, 10)} (${payload.expires})`);
  }
  return { publisher: payload.publisher, payload, bytes, chain, expired };
}

/** Finds the trusted publisher of a document, following a root rotation the document carries. */
export function findPublisher(roots: Parameters<typeof advanceChain>[1], keyIds: string[], trusted: readonly RootChain[]): RootChain {
  let claimed: string | undefined;
  let claimedName: string | undefined;
  if (roots.length > 0) {
    // Which publisher do these roots claim to be? Only a hint until verified against trust.
    try {
      const root = parsePayload(payloadBytes(roots[0]!), RootSchema, 'roots.0');
      claimed = root.publisher;
      claimedName = root.name;
    } catch {
      claimed = undefined;
    }
    const anchor = trusted.find((t) => t.publisher === claimed);
    if (anchor) return advanceChain(anchor, roots);
  }
  const byKey = trusted.find((t) => t.root.listKeys.some((k) => keyIds.includes(keyIdOf(k))));
  if (byKey) return byKey;
  // Name the publisher by the one ID that `trust list`, `lists`, `probe` and the app show.
  const who = claimed ? `publisher ${claimed}${claimedName ? ` ("${claimedName}", as it calls itself)` : ''}` : 'a publisher whose key you have not added';
  throw new Rejection('unknown-key', `not trusted: this list is from ${who}; if you trust it, add its publisher file: porthole trust add publisher.pub (check its numbers with the publisher)`);
}
