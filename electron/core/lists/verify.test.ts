// verifyList beyond the basic checks (test/trust/verify-roots.test.ts): a list dated ahead of this
// computer's clock, a sender trusted only for its codes, the roots a list carries (kept exactly
// when they verify, replaced by the verified chain when not, never pushing the kept file over the
// size limit), which trusted publisher a list belongs to, and how a refusal names its publisher.
import { describe, expect, it } from 'vitest';
import { encodeBase64Url, utf8 } from '../../../shared/base64url.ts';
import { DOMAIN, LIMITS, type ListPayload, type Signed } from '../../../shared/list-format.ts';
import { generateKey, type SecretKey } from '../crypto/ed25519.ts';
import { at, publisher, refusal, T0, thresholdPublisher } from '../../../test/trust/fixtures.ts';
import { newRoot, signRoot, verifyRootChain, type RootChain } from './roots.ts';
import { signDocument } from './signed.ts';
import { verifyList, type VerifyContext } from './verify.ts';

const text = (b: Uint8Array): string => new TextDecoder().decode(b);
const envelopeOf = (b: Uint8Array) => JSON.parse(text(b)) as { format: string; roots: Signed[]; list: Signed };

function payload(chain: RootChain, extra: Partial<ListPayload> = {}): ListPayload {
  return {
    type: 'porthole-list',
    publisher: chain.publisher,
    version: 1,
    issuedAt: T0.toISOString(),
    expires: at(7).toISOString(),
    entries: [{ id: 'a', protocol: 'socks5', host: '127.0.0.1', ports: [2000] }],
    channels: [],
    ...extra,
  };
}

/** A list signed by `key`, carrying exactly `roots`, written as `space` (JSON.stringify's indent). */
function listOf(p: unknown, key: SecretKey, roots: Signed[], space?: number): Uint8Array {
  const envelope = { format: 'porthole-list/1', roots, list: signDocument(utf8(JSON.stringify(p)), DOMAIN.list, [key]) };
  return utf8(`${JSON.stringify(envelope, null, space)}\n`);
}

/** A root v1 with one root key and the given list keys, and its verified chain. */
function rootWith(listKeys: SecretKey[], name?: string): { rootKey: SecretKey; chain: RootChain } {
  const rootKey = generateKey();
  const root = newRoot({ rootKeys: [rootKey.publicKey], threshold: 1, listKeys: listKeys.map((k) => k.publicKey), issuedAt: at(-30), ...(name ? { name } : {}) });
  return { rootKey, chain: verifyRootChain([signRoot(root, [rootKey])]) };
}

/** A junk root: well-formed, but it verifies for nobody. */
const junkRoot: Signed = { signed: encodeBase64Url(utf8('{}')), signatures: [{ keyId: '0123456789abcdef', sig: 'A'.repeat(86) }] };

describe('a list dated ahead of this computer\'s clock', () => {
  const pub = publisher();
  const ctx = (extra: Partial<VerifyContext> = {}): VerifyContext => ({ trusted: [pub.chain], now: T0, ...extra });

  it('more than a day ahead is refused, saying both times and what to check', () => {
    expect(refusal(() => verifyList(pub.list(1, { issued: 2 }), ctx()))).toBe(
      'from-the-future: signed for 2026-03-03 12:00 UTC, but this computer\'s clock says 2026-03-01 12:00 UTC: '
      + 'check the date, time and time zone of this computer (lists dated more than a day ahead are refused)');
  });

  it('up to exactly a day ahead is fine (a wrong time zone)', () => {
    expect(verifyList(pub.list(1, { issued: 1 }), ctx()).payload.issuedAt).toBe(at(1).toISOString());
    expect(refusal(() => verifyList(pub.list(1, { issued: 1 }), ctx({ now: new Date(T0.getTime() - 1) })))).toMatch(/^from-the-future: /);
  });

  it('a list accepted before stays readable when the clock has gone back since (re-reading the cache)', () => {
    expect(verifyList(pub.list(1, { issued: 5 }), ctx({ allowFuture: true })).payload.version).toBe(1);
  });
});

describe('a sender trusted only for its codes', () => {
  const listPub = publisher();

  it('its list is refused, saying why and how to trust it as a publisher', () => {
    const codeSender = publisher();
    const bytes = codeSender.list(1);
    expect(refusal(() => verifyList(bytes, { trusted: [listPub.chain], codeOnly: [codeSender.chain], now: T0 }))).toBe(
      `code-only: publisher ${codeSender.chain.publisher} is trusted only for the servers in its codes, not for lists: `
      + 'check its numbers with the sender and trust it as a publisher (`porthole trust add`) to accept its lists');
    // Without that trust it is simply not trusted.
    expect(refusal(() => verifyList(bytes, { trusted: [listPub.chain], codeOnly: [], now: T0 }))).toMatch(/^unknown-key: not trusted: /);
  });

  it('is recognised by any one of its list keys', () => {
    const [k1, k2] = [generateKey(), generateKey()];
    const { chain } = rootWith([k1!, k2!]);
    const bytes = listOf(payload(chain), k2!, []);
    expect(refusal(() => verifyList(bytes, { trusted: [listPub.chain], codeOnly: [chain], now: T0 }))).toMatch(/^code-only: publisher /);
  });

  it('a list carrying roots that conflict with a trusted publisher says so, even when a code-only key signed it', () => {
    const org = thresholdPublisher(1, 1);
    const codeSender = publisher();
    // Another root v1 for the same publisher (same root key and threshold), and a v2 on top of it.
    const v1 = newRoot({ rootKeys: [org.rootKeys[0]!.publicKey], threshold: 1, listKeys: [codeSender.key.publicKey], issuedAt: at(-5) });
    const v2 = newRoot({ rootKeys: [org.rootKeys[0]!.publicKey], threshold: 1, listKeys: [codeSender.key.publicKey], previous: v1, issuedAt: at(-4) });
    const roots = [signRoot(v1, org.rootKeys), signRoot(v2, org.rootKeys)];
    const bytes = listOf(payload(org.chain), codeSender.key, roots);
    expect(refusal(() => verifyList(bytes, { trusted: [org.chain], codeOnly: [codeSender.chain], now: T0 }))).toBe(
      `root-conflict: root v1 of publisher ${org.chain.publisher} differs from the trusted one`);
  });
});

describe('the roots a list carries', () => {
  it('kept exactly as they arrived when they verify, whatever the file\'s layout', () => {
    const org = thresholdPublisher(2, 3);
    const bytes = listOf(payload(org.chain), org.key, org.chain.chain, 2);
    const v = verifyList(bytes, { trusted: [org.chain], now: T0 });
    expect(text(v.bytes)).toBe(text(bytes));
    expect(v.strippedRoots).toBeUndefined();
  });

  it('a copy of the trusted root with other signatures is replaced by the verified one, and the list kept', () => {
    const org = thresholdPublisher(2, 3);
    const good = org.chain.chain[0]!;
    const extra = signRoot(org.chain.root, [org.rootKeys[2]!]).signatures;
    const resigned: Signed = { signed: good.signed, signatures: [...good.signatures, ...extra] };
    const v = verifyList(listOf(payload(org.chain), org.key, [resigned]), { trusted: [org.chain], now: T0 });
    expect(v.strippedRoots).toBe(1);
    expect(envelopeOf(v.bytes).roots).toEqual(org.chain.chain);
    // What is kept verifies again as it is.
    expect(verifyList(v.bytes, { trusted: [org.chain], now: T0 }).strippedRoots).toBeUndefined();
  });

  it('a root that claims the publisher but is another document is replaced too', () => {
    const org = thresholdPublisher(1, 1);
    const other = newRoot({ rootKeys: [org.rootKeys[0]!.publicKey], threshold: 1, listKeys: [org.key.publicKey], issuedAt: at(-1) });
    const v = verifyList(listOf(payload(org.chain), org.key, [signRoot(other, org.rootKeys)]), { trusted: [org.chain], now: T0 });
    expect(v.strippedRoots).toBe(1);
    expect(envelopeOf(v.bytes).roots).toEqual(org.chain.chain);
  });

  it('after a rotation: a list carrying the old root as it was and the new one re-signed keeps the verified chain', () => {
    const org = thresholdPublisher(1, 1);
    const rootKey = org.rootKeys[0]!;
    const newKey = generateKey();
    const v2 = newRoot({ rootKeys: [rootKey.publicKey], threshold: 1, listKeys: [newKey.publicKey], previous: org.chain.root, issuedAt: at(-2) });
    const rotated = verifyRootChain([...org.chain.chain, signRoot(v2, [rootKey])]);
    const v2again: Signed = { signed: rotated.chain[1]!.signed, signatures: [...rotated.chain[1]!.signatures, ...rotated.chain[1]!.signatures] };
    const v = verifyList(listOf(payload(rotated), newKey, [rotated.chain[0]!, v2again]), { trusted: [rotated], now: T0 });
    expect(v.strippedRoots).toBe(2);
    expect(envelopeOf(v.bytes).roots).toEqual(rotated.chain);
  });

  it('roots of nobody on a bare-key publisher\'s list are dropped; the list is kept', () => {
    const pub = publisher();
    const v = verifyList(listOf(payload(pub.chain), pub.key, [junkRoot, junkRoot]), { trusted: [pub.chain], now: T0 });
    expect(v.strippedRoots).toBe(2);
    expect(envelopeOf(v.bytes).roots).toEqual([]);
    expect(v.payload.entries).toHaveLength(1);
  });

  it('when the verified chain would push the kept file over the size limit, the list is kept without roots', () => {
    const org = thresholdPublisher(2, 3);
    const entry = (i: number, password = 'p'.repeat(255)) => ({ id: `e${String(i).padStart(5, '0')}`, protocol: 'socks5' as const, host: '127.0.0.1', ports: [10000 + i], username: 'u', password });
    const payloadOf = (n: number, last: number) => payload(org.chain, { entries: [...Array.from({ length: n }, (_, i) => entry(i)), entry(n, 'q'.repeat(last))] });
    // The file's size from the payload's, without signing 1 MB at every step: the envelope adds a
    // fixed overhead to the base64url form of the payload (4 characters per 3 bytes).
    const tiny = payloadOf(0, 0);
    const overhead = listOf(tiny, org.key, [junkRoot]).length - Math.ceil((JSON.stringify(tiny).length * 4) / 3);
    const sizeOf = (n: number, last: number) => overhead + Math.ceil((JSON.stringify(payloadOf(n, last)).length * 4) / 3);
    // As many full entries as fit with room to spare, then the last one's password fills the file to
    // just under the limit: close enough that the longer verified chain would not fit.
    let n = Math.floor((LIMITS.maxListBytes - 400 - sizeOf(0, 0)) / (sizeOf(1, 0) - sizeOf(0, 0)));
    while (sizeOf(n, 0) > LIMITS.maxListBytes - 400) n--;
    const base = JSON.stringify(payloadOf(n, 0)).length;
    let last = Math.min(255, Math.floor(((LIMITS.maxListBytes - 20 - overhead) * 3) / 4) - base);
    while (sizeOf(n, last) > LIMITS.maxListBytes - 20) last--;
    const bytes = listOf(payloadOf(n, last), org.key, [junkRoot]);
    expect(bytes.length).toBe(sizeOf(n, last));
    expect(bytes.length).toBeLessThanOrEqual(LIMITS.maxListBytes);
    const chainBytes = JSON.stringify(org.chain.chain).length - JSON.stringify([junkRoot]).length;
    expect(bytes.length + chainBytes).toBeGreaterThan(LIMITS.maxListBytes);

    const v = verifyList(bytes, { trusted: [org.chain], now: T0 });
    expect(v.strippedRoots).toBe(1);
    expect(v.bytes.length).toBeLessThanOrEqual(LIMITS.maxListBytes);
    expect(envelopeOf(v.bytes).roots).toEqual([]);
    expect(verifyList(v.bytes, { trusted: [org.chain], now: T0 }).payload.entries).toHaveLength(n + 1);
  });
});

describe('which trusted publisher a list belongs to', () => {
  it('the one its roots name, among several trusted publishers', () => {
    const [a, b] = [thresholdPublisher(1, 2), thresholdPublisher(2, 3)];
    const v = verifyList(b.list(1), { trusted: [a.chain, b.chain], now: T0 });
    expect(v.chain.publisher).toBe(b.chain.publisher);
  });

  it('a list carrying no roots is matched by the key that signed it: any of the publisher\'s list keys', () => {
    const [k1, k2] = [generateKey(), generateKey()];
    const { chain } = rootWith([k1!, k2!]);
    const other = publisher();
    const v = verifyList(listOf(payload(chain), k2!, []), { trusted: [other.chain, chain], now: T0 });
    expect(v.chain).toBe(chain);
  });

  it('a payload that does not read is refused as malformed, naming the field of the list', () => {
    const pub = publisher();
    expect(refusal(() => verifyList(listOf(payload(pub.chain, { version: 0 }), pub.key, []), { trusted: [pub.chain], now: T0 }))).toMatch(/^malformed: malformed at list\.version: /);
  });
});

describe('a list from a publisher that is not trusted', () => {
  it('is named by the ID and the name its roots give', () => {
    const { rootKey, chain } = rootWith([generateKey()], 'Volunteers');
    void rootKey;
    const key = generateKey();
    const bytes = listOf(payload(chain), key, chain.chain);
    expect(refusal(() => verifyList(bytes, { trusted: [], now: T0 }))).toBe(
      `unknown-key: not trusted: this list is from publisher ${chain.publisher} ("Volunteers", as it calls itself); `
      + 'if you trust it, add its publisher file: porthole trust add publisher.pub (check its numbers with the publisher)');
  });

  it('without roots, by the ID and the name its payload gives', () => {
    const pub = publisher();
    expect(refusal(() => verifyList(listOf(payload(pub.chain, { name: 'Family' }), pub.key, []), { trusted: [], now: T0 }))).toContain(
      `this list is from publisher ${pub.chain.publisher} ("Family", as it calls itself); `);
    expect(refusal(() => verifyList(listOf(payload(pub.chain), pub.key, []), { trusted: [], now: T0 }))).toContain(
      `this list is from publisher ${pub.chain.publisher}; `);
  });

  it('with nothing readable, as a publisher whose key has not been added', () => {
    const pub = publisher();
    expect(refusal(() => verifyList(listOf({ nonsense: true }, pub.key, [junkRoot]), { trusted: [], now: T0 }))).toBe(
      'unknown-key: not trusted: this list is from a publisher whose key you have not added; '
      + 'if you trust it, add its publisher file: porthole trust add publisher.pub (check its numbers with the publisher)');
  });
});
