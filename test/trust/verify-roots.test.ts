// A list is trusted only when every check passes, and each refusal says which one failed: size,
// shape, a trusted publisher, a valid signature by a list key, the publisher it names, the version
// and the expiry. Publisher roots follow TUF: a root needs a threshold of its own root keys, a new
// root also a threshold of the previous one's, and the same signature twice counts once.
import { describe, expect, it } from 'vitest';
import { encodeBase64Url, utf8 } from '../../shared/base64url.ts';
import { DOMAIN, LIMITS } from '../../shared/list-format.ts';
import { generateKey, keyIdOf, publisherIdFor } from '../../electron/core/crypto/ed25519.ts';
import { advanceChain, bareKeyChain, newRoot, signRoot, verifyRootChain } from '../../electron/core/lists/roots.ts';
import { signDocument, validSigners } from '../../electron/core/lists/signed.ts';
import { verifyList, type VerifyContext } from '../../electron/core/lists/verify.ts';
import { at, publisher, refusal, T0, thresholdPublisher } from './fixtures.ts';

const envelopeOf = (bytes: Uint8Array) => JSON.parse(new TextDecoder().decode(bytes)) as { format: string; roots: unknown[]; list: { signed: string; signatures: { keyId: string; sig: string }[] } };
const bytesOf = (env: unknown): Uint8Array => utf8(JSON.stringify(env));

describe('verifying a list', () => {
  const pub = publisher();
  const ctx = (extra: Partial<VerifyContext> = {}): VerifyContext => ({ trusted: [pub.chain], now: T0, ...extra });

  it('accepts a good list from a trusted publisher and says what it is', () => {
    const bytes = pub.list(3, { name: 'Volunteers' });
    const v = verifyList(bytes, ctx({ highestVersion: () => 2 }));
    expect(v).toMatchObject({ publisher: pub.chain.publisher, expired: false, chain: pub.chain, bytes });
    expect(v.payload).toMatchObject({ version: 3, name: 'Volunteers', issuedAt: T0.toISOString(), expires: at(7).toISOString() });
  });

  it('refuses a file over the size limit before reading it', () => {
    const big = new Uint8Array(LIMITS.maxListBytes + 1).fill(0x20);
    expect(refusal(() => verifyList(big, ctx()))).toBe(`too-large: too large: ${LIMITS.maxListBytes + 1} bytes (limit ${LIMITS.maxListBytes})`);
    // At the limit it is read (and here found not to be JSON).
    expect(refusal(() => verifyList(new Uint8Array(LIMITS.maxListBytes).fill(0x20), ctx()))).toMatch(/^malformed: /);
  });

  it('refuses garbage and a wrong shape as malformed', () => {
    expect(refusal(() => verifyList(utf8('not json'), ctx()))).toBe('malformed: malformed list file: not JSON');
    expect(refusal(() => verifyList(utf8('{"format":"porthole-list/1"}'), ctx()))).toMatch(/^malformed: malformed at /);
  });

  it('refuses a list from a publisher this client does not trust, naming the publisher by its ID and saying how to trust it', () => {
    const stranger = publisher();
    expect(refusal(() => verifyList(stranger.list(1), ctx()))).toMatch(new RegExp(`^unknown-key: not trusted: this list is from publisher ${stranger.chain.publisher}\\b.*porthole trust add publisher\\.pub`));
  });

  it('refuses a changed payload and a signature by another key under the trusted key id', () => {
    const env = envelopeOf(pub.list(1));
    const other = envelopeOf(pub.list(2));
    const swapped = { ...env, list: { ...env.list, signed: other.list.signed } };
    expect(refusal(() => verifyList(bytesOf(swapped), ctx()))).toBe(`bad-signature: bad signature: the list does not verify with the keys of publisher ${pub.chain.publisher}`);
    const forger = generateKey();
    const payload = Buffer.from(env.list.signed, 'base64url');
    const forged = { ...env, list: { signed: env.list.signed, signatures: [{ keyId: keyIdOf(pub.key.publicKey), sig: signDocument(payload, DOMAIN.list, [forger]).signatures[0]!.sig }] } };
    expect(refusal(() => verifyList(bytesOf(forged), ctx()))).toMatch(/^bad-signature: /);
  });

  it('a signature made for another kind of document does not count (domain separation)', () => {
    const env = envelopeOf(pub.list(1));
    const payload = Buffer.from(env.list.signed, 'base64url');
    const asRoot = { ...env, list: signDocument(payload, DOMAIN.root, [pub.key]) };
    expect(refusal(() => verifyList(bytesOf(asRoot), ctx()))).toMatch(/^bad-signature: /);
  });

  it('refuses a list that names another publisher than the one whose key signed it', () => {
    const other = publisher();
    const lying = pub.list(1, { chain: other.chain });
    const trustedBoth = ctx({ trusted: [pub.chain, other.chain] });
    expect(refusal(() => verifyList(lying, trustedBoth))).toMatch(/^(bad-signature|malformed): /);
    const env = envelopeOf(pub.list(1));
    const body = JSON.parse(Buffer.from(env.list.signed, 'base64url').toString()) as Record<string, unknown>;
    const renamed = utf8(JSON.stringify({ ...body, publisher: other.chain.publisher }));
    const signed = { ...env, list: signDocument(renamed, DOMAIN.list, [pub.key]) };
    expect(refusal(() => verifyList(bytesOf(signed), trustedBoth))).toBe(`malformed: malformed at list.publisher: signed by ${pub.chain.publisher} but names ${other.chain.publisher}`);
  });

  it('versions: lower is rolled back, equal is unchanged (unless re-reading the cache), higher or first is fine', () => {
    expect(refusal(() => verifyList(pub.list(4), ctx({ highestVersion: () => 5 })))).toBe('rolled-back: rolled back (have v5, got v4)');
    expect(refusal(() => verifyList(pub.list(5), ctx({ highestVersion: () => 5 })))).toBe('unchanged: unchanged (already have v5)');
    expect(verifyList(pub.list(5), ctx({ highestVersion: () => 5, allowEqual: true })).payload.version).toBe(5);
    expect(refusal(() => verifyList(pub.list(4), ctx({ highestVersion: () => 5, allowEqual: true })))).toMatch(/^rolled-back/);
    expect(verifyList(pub.list(6), ctx({ highestVersion: () => 5 })).payload.version).toBe(6);
    expect(verifyList(pub.list(1), ctx({ highestVersion: () => undefined })).payload.version).toBe(1);
    expect(verifyList(pub.list(1), ctx()).payload.version).toBe(1);
  });

  it('expiry: refused from the moment it expires, unless re-reading a held list (then flagged)', () => {
    const list = pub.list(1, { validDays: 2 });
    expect(verifyList(list, ctx({ now: new Date(at(2).getTime() - 1) })).expired).toBe(false);
    expect(refusal(() => verifyList(list, ctx({ now: at(2) })))).toBe(`expired: expired on ${at(2).toISOString().slice(0, 10)} (${at(2).toISOString()})`);
    expect(verifyList(list, ctx({ now: at(3), allowExpired: true })).expired).toBe(true);
  });
});

describe('publisher roots and thresholds', () => {
  it('a 2-of-3 publisher\'s lists verify by its list key; its root keys cannot sign lists', () => {
    const org = thresholdPublisher(2, 3);
    expect(verifyList(org.list(1), { trusted: [org.chain], now: T0 }).publisher).toBe(org.chain.publisher);
    expect(refusal(() => verifyList(org.list(2, { key: org.rootKeys[0]! }), { trusted: [org.chain], now: T0 }))).toMatch(/^(bad-signature|unknown-key): /);
  });

  it('root v1 needs a threshold of its own keys, and the same signature twice counts once', () => {
    const keys = [generateKey(), generateKey(), generateKey()];
    const root = newRoot({ rootKeys: keys.map((k) => k.publicKey), threshold: 2, listKeys: [keys[0]!.publicKey], issuedAt: T0 });
    expect(verifyRootChain([signRoot(root, [keys[0]!, keys[2]!])]).publisher).toBe(publisherIdFor(keys.map((k) => k.publicKey), 2));
    const one = signRoot(root, [keys[0]!]);
    expect(refusal(() => verifyRootChain([one]))).toBe('below-threshold: below threshold: root v1 has 1 of 2 signatures from its own root keys');
    const twice = { ...one, signatures: [one.signatures[0]!, one.signatures[0]!] };
    expect(refusal(() => verifyRootChain([twice]))).toBe('below-threshold: below threshold: root v1 has 1 of 2 signatures from its own root keys');
    expect(validSigners(twice, DOMAIN.root, keys.map((k) => k.publicKey))).toEqual([keys[0]!.publicKey]);
    const byStrangers = signRoot(root, [generateKey(), generateKey()]);
    expect(refusal(() => verifyRootChain([byStrangers]))).toBe('bad-signature: bad signature on root v1');
  });

  it('root v1 must be v1 and carry the publisher id its keys and threshold make', () => {
    const k = generateKey();
    const v1 = newRoot({ rootKeys: [k.publicKey], threshold: 1, listKeys: [k.publicKey], issuedAt: T0 });
    expect(refusal(() => verifyRootChain([]))).toBe('malformed: malformed at roots: empty');
    expect(refusal(() => verifyRootChain([signRoot({ ...v1, version: 2 }, [k])]))).toBe('malformed: malformed at roots.0.version: the chain must start at v1, found v2');
    const other = publisher().chain.publisher;
    expect(refusal(() => verifyRootChain([signRoot({ ...v1, publisher: other }, [k])]))).toBe(`malformed: malformed at roots.0.publisher: ${other} does not match its keys (${v1.publisher})`);
    expect(bareKeyChain(k.publicKey).publisher).toBe(v1.publisher);
    expect(verifyRootChain([signRoot(v1, [k])])).toMatchObject({ publisher: v1.publisher, root: v1 });
  });

  it('rotation needs a threshold of the old root keys and of the new ones, in order, for the same publisher', () => {
    const org = thresholdPublisher(2, 3);
    const [r1, r2, r3] = org.rootKeys as [ReturnType<typeof generateKey>, ReturnType<typeof generateKey>, ReturnType<typeof generateKey>];
    const r4 = generateKey();
    const v2 = newRoot({ rootKeys: [r2.publicKey, r4.publicKey], threshold: 2, listKeys: [org.key.publicKey], previous: org.chain.root, issuedAt: T0 });
    const good = signRoot(v2, [r1, r2, r4]);
    const rotated = verifyRootChain([...org.chain.chain, good]);
    expect(rotated.root.version).toBe(2);
    expect(refusal(() => verifyRootChain([...org.chain.chain, signRoot(v2, [r1, r4])]))).toBe('below-threshold: below threshold: root v2 has 1 of 2 signatures from the v1 root keys');
    expect(refusal(() => verifyRootChain([...org.chain.chain, signRoot(v2, [r1, r3])]))).toBe('below-threshold: below threshold: root v2 has 0 of 2 signatures from its own root keys');
    expect(refusal(() => verifyRootChain([...org.chain.chain, signRoot({ ...v2, version: 3 }, [r1, r2, r4])]))).toBe('malformed: malformed at roots.1.version: expected v2, found v3');
    const elsewhere = publisher().chain.publisher;
    expect(refusal(() => verifyRootChain([...org.chain.chain, signRoot({ ...v2, publisher: elsewhere }, [r1, r2, r4])]))).toBe(`malformed: malformed at roots.1.publisher: changed from ${org.chain.publisher}`);
  });

  it('a list carrying a rotated root moves the client to it; a diverging chain is refused', () => {
    const org = thresholdPublisher(2, 3);
    const [r1, r2] = org.rootKeys as [ReturnType<typeof generateKey>, ReturnType<typeof generateKey>];
    const newKey = generateKey();
    const v2 = newRoot({ rootKeys: [r1.publicKey, r2.publicKey], threshold: 2, listKeys: [newKey.publicKey], previous: org.chain.root, issuedAt: T0 });
    const chain2 = verifyRootChain([...org.chain.chain, signRoot(v2, [r1, r2])]);
    const list = org.list(2, { key: newKey, chain: chain2 });
    const v = verifyList(list, { trusted: [org.chain], now: T0 });
    expect(v.chain.root.version).toBe(2);
    // The old list key is retired by the rotation.
    expect(refusal(() => verifyList(org.list(3, { chain: chain2 }), { trusted: [chain2], now: T0 }))).toMatch(/^(bad-signature|unknown-key): /);
    // Same length or shorter: the trusted chain stands.
    expect(advanceChain(chain2, org.chain.chain)).toBe(chain2);
    expect(advanceChain(chain2, chain2.chain)).toBe(chain2);
    // A v1 that differs from the trusted v1 is a conflict, not an update.
    const impostor = thresholdPublisher(2, 3);
    const forkV2 = newRoot({ rootKeys: v2.rootKeys, threshold: 2, listKeys: v2.listKeys, previous: impostor.chain.root, issuedAt: T0 });
    expect(refusal(() => advanceChain(org.chain, [...impostor.chain.chain, signRoot(forkV2, [r1, r2])]))).toBe(`root-conflict: root v1 of publisher ${org.chain.publisher} differs from the trusted one`);
    // A bare key trusted from a code: any valid chain of the same id extends it; another id does not.
    const bare = bareKeyChain(r1.publicKey);
    const own = newRoot({ rootKeys: [r1.publicKey], threshold: 1, listKeys: [r1.publicKey], issuedAt: T0 });
    expect(advanceChain(bare, [signRoot(own, [r1])]).publisher).toBe(bare.publisher);
    expect(refusal(() => advanceChain(bare, org.chain.chain))).toBe(`root-conflict: the root chain belongs to ${org.chain.publisher}, not ${bare.publisher}`);
  });

  it('a signed document with an unreadable payload is malformed', () => {
    const doc = { signed: '!!!', signatures: [] };
    expect(refusal(() => validSigners(doc, DOMAIN.list, []))).toBe('malformed: malformed at signed: not base64url');
    const notJson = signDocument(utf8('nope'), DOMAIN.root, [generateKey()]);
    expect(refusal(() => verifyRootChain([notJson]))).toBe('malformed: malformed at roots.0: not JSON');
    expect(encodeBase64Url(utf8('x'))).toBe('eA');
  });
});
