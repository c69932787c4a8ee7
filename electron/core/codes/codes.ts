// Creating, inspecting and verifying one-time codes (format: shared/code-format.ts).
import { isRejection } from '../lists/signed.ts';
import { isPortholeError, PortholeError } from '../../../shared/errors.ts';
import { CODE_PROBLEMS } from '../../../shared/failures.ts';
import { encodeCodeBody, findCode, formatCode, looksCaseChanged, CODE_PREFIX, type CodeContent, type DecodedCode } from '../../../shared/code-format.ts';
import { codeFailure, type CodeProblem } from '../../../shared/code-bytes.ts';
import { concatBytes } from '../../../shared/base64url.ts';
import { DOMAIN } from '../../../shared/list-format.ts';
import type { ParsedLink } from '../../../shared/proxy-link.ts';
import { keyIdBytes, keyIdOf, signRaw, verifyBytes, type SecretKey } from '../crypto/ed25519.ts';
import { bareKeyChain, type RootChain } from '../lists/roots.ts';

export interface NewCodeOptions {
  key: SecretKey;
  servers: ParsedLink[];
  channels?: string[];
  expires: Date;
  /** The key-id form: shorter, for recipients who already trust the key. */
  short?: boolean;
  /** The sender's self-declared name (full form only). */
  name?: string;
}

export function createCode(opts: NewCodeOptions): string {
  const keyPart = opts.short ? keyIdBytes(opts.key.publicKey) : publicKeyRaw(opts.key.publicKey);
  const body = encodeCodeBody(keyPart, {
    expires: opts.expires,
    servers: opts.servers,
    channels: opts.channels ?? [],
    ...(opts.name && !opts.short ? { name: opts.name } : {}),
  });
  return formatCode(concatBytes(body, signRaw(opts.key, DOMAIN.code, body)));
}

function publicKeyRaw(publicKey: string): Uint8Array {
  return Uint8Array.from(Buffer.from(publicKey, 'base64url'));
}

/** Finds a code in pasted text without verifying it. Throws Rejection('damaged'). */
export function readCode(text: string): DecodedCode | null {
  try {
    return findCode(text);
  } catch (err) {
    // Every code problem (cut off, wrong case, newer version, damaged) is a 'damaged' rejection here.
    if (isPortholeError(err, ...CODE_PROBLEMS)) throw new PortholeError('damaged', err.message);
    throw err;
  }
}

/** What is wrong with the code in a pasted text, for the UI: null when none is found or it reads fine. */
export function codeProblem(text: string, trusted: readonly RootChain[]): CodeProblem | null {
  let code: DecodedCode | null;
  try {
    code = findCode(text);
  } catch (err) {
    if (isPortholeError(err, ...CODE_PROBLEMS)) return err.code;
    throw err;
  }
  if (!code) return null;
  try {
    verifyCode(code, trusted, new Date(0));
    return null;
  } catch (err) {
    if (isRejection(err) && err.code === 'damaged') return looksCaseChanged(code.text.slice(CODE_PREFIX.length)) ? 'wrong-case' : 'damaged';
    return null;
  }
}

export interface VerifiedCode {
  code: DecodedCode;
  content: CodeContent;
  /** The trusted publisher that signed it, or the chain a new key would form when trusted. */
  chain: RootChain;
  trusted: boolean;
}

/**
 * The keys that may sign a publisher's code alone: its list keys, and its root key when one
 * root key is its whole threshold. A code carries one signature, so a root key of a
 * threshold publisher (2 of 3, say) cannot speak for it alone.
 */
export function codeKeysOf(chain: RootChain): string[] {
  return chain.root.threshold <= 1 ? [...chain.root.listKeys, ...chain.root.rootKeys] : [...chain.root.listKeys];
}

/**
 * Verifies a decoded code against the trusted publishers; a full-form key may be new.
 * Expiry is judged at max(now, the publisher's floor) when `floor` is given.
 */
export function verifyCode(code: DecodedCode, trusted: readonly RootChain[], now: Date, floor?: (publisher: string) => Date | undefined): VerifiedCode {
  const { content } = code;
  let chain: RootChain | undefined;
  let key: string | undefined;
  const keyId = content.publicKey ? keyIdOf(content.publicKey) : content.keyIdHex!;
  for (const t of trusted) {
    const k = codeKeysOf(t).find((pk) => keyIdOf(pk) === keyId);
    if (k) {
      chain = t;
      key = k;
      break;
    }
    if (t.root.rootKeys.some((pk) => keyIdOf(pk) === keyId)) {
      throw new PortholeError('below-threshold', `this code is signed by one root key of publisher ${t.publisher}, which needs ${t.root.threshold} of its root keys: `
        + 'codes must be signed with one of its list keys — ask the sender for a new code');
    }
  }
  const isTrusted = chain !== undefined;
  if (!chain) {
    if (!content.publicKey) {
      throw new PortholeError('unknown-key', `this code is from a sender you do not trust yet (key ${keyId}): ask for the full code, or it is damaged`);
    }
    key = content.publicKey;
    chain = bareKeyChain(key);
  }
  if (!verifyBytes(key!, DOMAIN.code, code.signedBytes, code.signature)) {
    throw new PortholeError('damaged', codeFailure(looksCaseChanged(code.text.slice(CODE_PREFIX.length)) ? 'wrong-case' : 'damaged', 'signature does not match').message);
  }
  const atLeast = floor?.(chain.publisher)?.getTime() ?? 0;
  if (content.expires.getTime() <= Math.max(now.getTime(), atLeast)) {
    throw new PortholeError('expired', `this code expired on ${content.expires.toISOString().slice(0, 16).replace('T', ' ')} UTC — ask the sender for a new one`);
  }
  return { code, content, chain, trusted: isTrusted };
}
