// Verifies a signed list before trusting any field of it: size cap, envelope shape,
// publisher root chain, signature, then payload, rollback and expiry.
import { PortholeError } from '../../../shared/errors.ts';
import { utf8 } from '../../../shared/base64url.ts';
import { DOMAIN, LIMITS, ListEnvelopeSchema, ListPayloadSchema, RootSchema, type ListPayload, type Signed } from '../../../shared/list-format.ts';
import { keyIdOf } from '../crypto/ed25519.ts';
import { advanceChain, type RootChain } from './roots.ts';
import { parseJsonWith, parsePayload, payloadBytes, validSigners, isRejection } from './signed.ts';

export interface VerifiedList {
  publisher: string;
  payload: ListPayload;
  /**
   * The bytes to keep: exactly what arrived when every part of it verified; otherwise the
   * same signed list with its publisher roots replaced by the verified chain.
   */
  bytes: Uint8Array;
  /** Set when embedded roots that did not verify were dropped from `bytes`. */
  strippedRoots?: number;
  /** The publisher's chain after this list (longer when the list carried a root rotation). */
  chain: RootChain;
  /** True when it is past its expiry (only allowed for lists the client already held). */
  expired: boolean;
}

/** How far ahead of this computer's clock a signed issued-at may be (a wrong time zone is off by up to 14 hours). */
const MAX_CLOCK_SKEW_MS = 24 * 3600_000;

export interface VerifyContext {
  /** Publishers whose lists are accepted. */
  trusted: readonly RootChain[];
  /** The system clock. */
  now: Date;
  /** A publisher's anti-freeze floor (newest issued-at accepted from it): expiry is judged at max(now, floor). */
  floor?: (publisher: string) => Date | undefined;
  /** Publishers trusted only for the servers of their codes: their lists are refused, and the refusal says why. */
  codeOnly?: readonly RootChain[];
  /** For re-reading the cache: a list accepted before stays, even when the clock has since gone back. */
  allowFuture?: boolean;
  /** Highest version already accepted for a publisher. */
  highestVersion?: (publisher: string) => number | undefined;
  /** For re-reading the client's own cache: a held list keeps working after it expires. */
  allowExpired?: boolean;
  /** For re-reading the cache: equal versions are fine. */
  allowEqual?: boolean;
}

export function verifyList(bytes: Uint8Array, ctx: VerifyContext): VerifiedList {
  if (bytes.length > LIMITS.maxListBytes) {
    throw new PortholeError('too-large', `too large: ${bytes.length} bytes (limit ${LIMITS.maxListBytes})`);
  }
  const envelope = parseJsonWith(bytes, ListEnvelopeSchema, 'list file');
  const keyIds = envelope.list.signatures.map((s) => s.keyId);
  const chain = findListPublisher(envelope.roots, keyIds, ctx, () => claimedPublisher(envelope.list));
  const signers = validSigners(envelope.list, DOMAIN.list, chain.root.listKeys);
  if (signers.length === 0) {
    throw new PortholeError('bad-signature', `bad signature: the list does not verify with the keys of publisher ${chain.publisher}`);
  }
  const payload = parsePayload(payloadBytes(envelope.list), ListPayloadSchema, 'list');
  if (payload.publisher !== chain.publisher) {
    throw new PortholeError('malformed', `malformed at list.publisher: signed by ${chain.publisher} but names ${payload.publisher}`);
  }
  const have = ctx.highestVersion?.(payload.publisher);
  if (have !== undefined && payload.version < have) {
    throw new PortholeError('rolled-back', `rolled back (have v${have}, got v${payload.version})`);
  }
  if (payload.version === have && !ctx.allowEqual) {
    throw new PortholeError('unchanged', `unchanged (already have v${have})`);
  }
  const issued = Date.parse(payload.issuedAt);
  if (!ctx.allowFuture && issued > ctx.now.getTime() + MAX_CLOCK_SKEW_MS) {
    throw new PortholeError('from-the-future', `signed for ${shortTime(payload.issuedAt)}, but this computer's clock says ${shortTime(ctx.now.toISOString())}: `
      + 'check the date, time and time zone of this computer (lists dated more than a day ahead are refused)');
  }
  const floor = ctx.floor?.(payload.publisher)?.getTime() ?? 0;
  const expired = Date.parse(payload.expires) <= Math.max(ctx.now.getTime(), floor);
  if (expired && !ctx.allowExpired) {
    throw new PortholeError('expired', `expired on ${payload.expires.slice(0, 10)} (${payload.expires})`);
  }
  if (rootsVerified(envelope.roots, chain)) return { publisher: payload.publisher, payload, bytes, chain, expired };
  // The list's signature covers the list, not the roots it carries: keep it, with the chain that verified.
  const withChain = utf8(`${JSON.stringify({ ...envelope, roots: chain.chain })}\n`);
  const kept = withChain.length <= LIMITS.maxListBytes ? withChain : utf8(`${JSON.stringify({ ...envelope, roots: [] })}\n`);
  return { publisher: payload.publisher, payload, bytes: kept, chain, expired, strippedRoots: envelope.roots.length };
}

/** Whether every embedded root is part of the verified chain (identical, signatures included). */
function rootsVerified(roots: readonly Signed[], chain: RootChain): boolean {
  return roots.every((doc, i) => {
    const good = chain.chain[i];
    return good !== undefined && doc.signed === good.signed && JSON.stringify(doc.signatures) === JSON.stringify(good.signatures);
  });
}

function shortTime(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

function findListPublisher(roots: Parameters<typeof advanceChain>[1], keyIds: string[], ctx: VerifyContext, hint: () => { publisher?: string; name?: string }): RootChain {
  try {
    return findPublisher(roots, keyIds, ctx.trusted, hint);
  } catch (err) {
    const limited = isRejection(err) && err.code === 'unknown-key' && ctx.codeOnly
      ? ctx.codeOnly.find((t) => t.root.listKeys.some((k) => keyIds.includes(keyIdOf(k)))) : undefined;
    if (!limited) throw err;
    throw new PortholeError('code-only', `publisher ${limited.publisher} is trusted only for the servers in its codes, not for lists: `
      + 'check its numbers with the sender and trust it as a publisher (`porthole trust add`) to accept its lists');
  }
}

/** Finds the trusted publisher of a document, following a root rotation the document carries. */
/** Who an unverified list says it is from (a hint for the "not trusted" message only). */
function claimedPublisher(list: Parameters<typeof payloadBytes>[0]): { publisher?: string; name?: string } {
  try {
    // Stryker disable next-line StringLiteral: the label only names the field in a parse error, which this hint swallows.
    const p = parsePayload(payloadBytes(list), ListPayloadSchema, 'list');
    return { publisher: p.publisher, ...(p.name ? { name: p.name } : {}) };
  } catch {
    return {};
  }
}

function findPublisher(roots: Parameters<typeof advanceChain>[1], keyIds: string[], trusted: readonly RootChain[], hint?: () => { publisher?: string; name?: string }): RootChain {
  let claimed: string | undefined;
  let claimedName: string | undefined;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: with no roots, reading roots[0] throws below and claims nothing: the check only skips that.
  if (roots.length > 0) {
    // Which publisher do these roots claim to be? Only a hint until verified against trust.
    try {
      // Stryker disable next-line StringLiteral: the label only names the field in a parse error, which is caught here.
      const root = parsePayload(payloadBytes(roots[0]!), RootSchema, 'roots.0');
      claimed = root.publisher;
      claimedName = root.name;
    } catch {
      // Unreadable roots claim no publisher.
    }
    const anchor = trusted.find((t) => t.publisher === claimed);
    if (anchor) return advanceChain(anchor, roots);
  }
  const byKey = trusted.find((t) => t.root.listKeys.some((k) => keyIds.includes(keyIdOf(k))));
  if (byKey) return byKey;
  // Name the publisher by the one ID that `trust list`, `lists`, `probe` and the app show.
  if (!claimed && hint) ({ publisher: claimed, name: claimedName } = hint());
  const who = claimed ? `publisher ${claimed}${claimedName ? ` ("${claimedName}", as it calls itself)` : ''}` : 'a publisher whose key you have not added';
  throw new PortholeError('unknown-key', `not trusted: this list is from ${who}; if you trust it, add its publisher file: porthole trust add publisher.pub (check its numbers with the publisher)`);
}
