// One-time codes as a recipient meets them: a code from a trusted sender is trusted, a full code
// from a new sender carries the key to confirm, a short code from a stranger is refused with the
// way out, a changed code is "damaged", an expired one says when, a clock set back does not revive
// it, and a threshold publisher's lone root key cannot speak for it.
import { isRejection } from '../../electron/core/lists/signed.ts';
import { describe, expect, it } from 'vitest';
import type { ParsedLink } from '../../shared/proxy-link.ts';
import { codeKeysOf, createCode, readCode, verifyCode } from '../../electron/core/codes/codes.ts';
import { generateKey, keyIdOf } from '../../electron/core/crypto/ed25519.ts';
import { bareKeyChain } from '../../electron/core/lists/roots.ts';
import { at, DAY, refusal, T0, thresholdPublisher } from './fixtures.ts';

const server: ParsedLink = { protocol: 'socks5', host: '127.0.0.1', ports: [1080], label: 'Home' };

const decode = (text: string) => {
  const d = readCode(text);
  if (!d) throw new Error('no code found');
  return d;
};

describe('verifying a code', () => {
  const key = generateKey();
  const chain = bareKeyChain(key.publicKey);

  it('from a trusted sender: trusted, with the sender\'s chain and the servers', () => {
    for (const short of [false, true]) {
      const v = verifyCode(decode(createCode({ key, servers: [server], expires: at(3), short })), [chain], T0);
      expect(v).toMatchObject({ trusted: true, chain });
      expect(v.content.servers).toEqual([server]);
    }
  });

  it('a full code from a new sender: not trusted yet, and it carries the chain to confirm', () => {
    const v = verifyCode(decode(createCode({ key, servers: [server], expires: at(3) })), [], T0);
    expect(v.trusted).toBe(false);
    expect(v.chain.publisher).toBe(chain.publisher);
  });

  it('a short code from a stranger is refused, saying what to ask for', () => {
    const code = decode(createCode({ key, servers: [server], expires: at(3), short: true }));
    expect(refusal(() => verifyCode(code, [bareKeyChain(generateKey().publicKey)], T0))).toBe(
      `unknown-key: this code is from a sender you do not trust yet (key ${keyIdOf(key.publicKey)}): ask for the full code, or it is damaged`);
  });

  it('a code whose signature does not match is damaged', () => {
    const code = decode(createCode({ key, servers: [server], expires: at(3) }));
    const other = decode(createCode({ key: generateKey(), servers: [server], expires: at(3) }));
    const forged = { ...code, signature: other.signature };
    expect(refusal(() => verifyCode(forged, [chain], T0))).toMatch(/^damaged: this code is damaged.* ask the sender to send it again \(signature does not match\)$/);
  });

  it('expired from the moment it expires, and a clock set back behind the sender\'s floor does not revive it', () => {
    const code = decode(createCode({ key, servers: [server], expires: at(2) }));
    expect(verifyCode(code, [chain], new Date(at(2).getTime() - 1000)).trusted).toBe(true);
    const when = at(2).toISOString().slice(0, 16).replace('T', ' ');
    expect(refusal(() => verifyCode(code, [chain], at(2)))).toBe(`expired: this code expired on ${when} UTC — ask the sender for a new one`);
    // The clock says T0, but this client has accepted something the sender signed at T0 + 5 days.
    const floor = (p: string): Date | undefined => (p === chain.publisher ? at(5) : undefined);
    expect(refusal(() => verifyCode(code, [chain], T0, floor))).toMatch(/^expired: /);
    expect(verifyCode(code, [chain], T0, () => undefined).trusted).toBe(true);
    expect(verifyCode(code, [chain], T0, () => new Date(T0.getTime() - DAY)).trusted).toBe(true);
  });

  it('a threshold publisher: its list key may sign codes, one of its root keys alone may not', () => {
    const org = thresholdPublisher(2, 3);
    expect(codeKeysOf(org.chain)).toEqual(org.chain.root.listKeys);
    expect(verifyCode(decode(createCode({ key: org.key, servers: [server], expires: at(3), short: true })), [org.chain], T0).chain).toBe(org.chain);
    const byRoot = decode(createCode({ key: org.rootKeys[0]!, servers: [server], expires: at(3), short: true }));
    expect(refusal(() => verifyCode(byRoot, [org.chain], T0))).toBe(`below-threshold: this code is signed by one root key of publisher ${org.chain.publisher}, which needs 2 of its root keys: `
      + 'codes must be signed with one of its list keys — ask the sender for a new code');
    // A one-key publisher's root key is its whole threshold: it may.
    expect(codeKeysOf(chain)).toEqual([key.publicKey, key.publicKey]);
  });

  it('finds the right sender among several trusted ones', () => {
    const others = [bareKeyChain(generateKey().publicKey), bareKeyChain(generateKey().publicKey)];
    const v = verifyCode(decode(createCode({ key, servers: [server], expires: at(3), short: true })), [...others, chain], T0);
    expect(v.chain).toBe(chain);
  });

  it('no code in the text is "nothing", a broken one is "damaged"', () => {
    expect(readCode('hello, no code here')).toBeNull();
    const text = createCode({ key, servers: [server], expires: at(3) });
    const broken = text.slice(0, -6) + (text.endsWith('AAAAAA') ? 'BBBBBB' : 'AAAAAA');
    let outcome: string;
    try {
      const d = readCode(broken);
      outcome = d ? refusal(() => verifyCode(d, [chain], T0)) : 'none';
    } catch (err) {
      outcome = isRejection(err) ? `${err.code}: ${err.message}` : 'other';
    }
    expect(outcome).toMatch(/^damaged: /);
  });
});
