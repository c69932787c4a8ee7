// Publisher roots, after TUF's root role (without the rest of TUF): a root names the
// root keys and threshold that may sign the next root, and the online keys that may sign
// lists. Root v1 fixes the publisher id. Root vN+1 is valid only when signed by a
// threshold of vN's root keys AND a threshold of its own.
import { PortholeError } from '../../../shared/errors.ts';
import { utf8 } from '../../../shared/base64url.ts';
import { DOMAIN, RootSchema, type Root, type Signed } from '../../../shared/list-format.ts';
import { publisherIdFor, type SecretKey } from '../crypto/ed25519.ts';
import { parsePayload, payloadBytes, signDocument, validSigners } from './signed.ts';

export interface RootChain {
  publisher: string;
  /** The latest verified root. */
  root: Root;
  /** Signed roots, v1 first. */
  chain: Signed[];
}

export function newRoot(input: { rootKeys: string[]; threshold: number; listKeys: string[]; name?: string; previous?: Root; issuedAt?: Date }): Root {
  const first = input.previous;
  const root: Root = {
    type: 'porthole-root',
    publisher: first ? first.publisher : publisherIdFor(input.rootKeys, input.threshold),
    version: first ? first.version + 1 : 1,
    issuedAt: (input.issuedAt ?? new Date()).toISOString(),
    rootKeys: input.rootKeys,
    threshold: input.threshold,
    listKeys: input.listKeys,
  };
  if (input.name) root.name = input.name;
  return RootSchema.parse(root);
}

export function signRoot(root: Root, keys: SecretKey[]): Signed {
  return signDocument(utf8(JSON.stringify(root)), DOMAIN.root, keys);
}

/** Verifies a root chain from v1. Throws a Rejection naming the first problem. */
export function verifyRootChain(chain: Signed[]): RootChain {
  if (chain.length === 0) throw new PortholeError('malformed', 'malformed at roots: empty');
  let prev: Root | undefined;
  for (const [i, doc] of chain.entries()) {
    const root = parsePayload(payloadBytes(doc), RootSchema, `roots.${i}`);
    if (!prev) {
      if (root.version !== 1) throw new PortholeError('malformed', `malformed at roots.0.version: the chain must start at v1, found v${root.version}`);
      const expected = publisherIdFor(root.rootKeys, root.threshold);
      if (root.publisher !== expected) throw new PortholeError('malformed', `malformed at roots.0.publisher: ${root.publisher} does not match its keys (${expected})`);
    } else {
      if (root.version !== prev.version + 1) throw new PortholeError('malformed', `malformed at roots.${i}.version: expected v${prev.version + 1}, found v${root.version}`);
      if (root.publisher !== prev.publisher) throw new PortholeError('malformed', `malformed at roots.${i}.publisher: changed from ${prev.publisher}`);
      const byOld = validSigners(doc, DOMAIN.root, prev.rootKeys).length;
      if (byOld < prev.threshold) throw new PortholeError('below-threshold', `below threshold: root v${root.version} has ${byOld} of ${prev.threshold} signatures from the v${prev.version} root keys`);
    }
    const byOwn = validSigners(doc, DOMAIN.root, root.rootKeys).length;
    if (byOwn < root.threshold) {
      const kind = byOwn === 0 && doc.signatures.length > 0 && !prev ? 'bad-signature' : 'below-threshold';
      throw new PortholeError(kind, kind === 'bad-signature'
        ? `bad signature on root v${root.version}`
        : `below threshold: root v${root.version} has ${byOwn} of ${root.threshold} signatures from its own root keys`);
    }
    prev = root;
  }
  return { publisher: prev!.publisher, root: prev!, chain };
}

/**
 * Combines a trusted chain with one that arrived: the longer one wins when it extends the
 * trusted one exactly; a chain that diverges from what is trusted is refused.
 */
export function advanceChain(trusted: RootChain, arrived: Signed[]): RootChain {
  if (arrived.length <= trusted.chain.length) return trusted;
  for (let i = 0; i < trusted.chain.length; i++) {
    if (arrived[i]!.signed !== trusted.chain[i]!.signed) {
      throw new PortholeError('root-conflict', `root v${i + 1} of publisher ${trusted.publisher} differs from the trusted one`);
    }
  }
  const verified = verifyRootChain(arrived);
  if (verified.publisher !== trusted.publisher) throw new PortholeError('root-conflict', `the root chain belongs to ${verified.publisher}, not ${trusted.publisher}`);
  return verified;
}

/**
 * The publisher a bare key stands for: root v1 with that one key, threshold 1. Its id
 * depends on the key alone, so it matches the publisher `keygen` made for the same key.
 * The signed root itself arrives with the publisher's first list (advanceChain accepts
 * any valid chain with the same id as an extension of an empty one).
 */
export function bareKeyChain(publicKey: string): RootChain {
  const root = newRoot({ rootKeys: [publicKey], threshold: 1, listKeys: [publicKey], issuedAt: new Date(0) });
  return { publisher: root.publisher, root, chain: [] };
}
