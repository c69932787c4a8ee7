// Codes beyond test/trust/code-rules.test.ts: the sender's name travels only in the full form, a
// new sender's code is never trusted by itself, the reason a UI shows for a pasted code is about
// the code (not about who sent it), and a signature that fails on letters all of one case says so.
import { describe, expect, it } from 'vitest';
import { CODE_PREFIX } from '../../../shared/code-format.ts';
import type { ParsedLink } from '../../../shared/proxy-link.ts';
import { generateKey } from '../crypto/ed25519.ts';
import { bareKeyChain } from '../lists/roots.ts';
import { at, refusal, T0 } from '../../../test/trust/fixtures.ts';
import { codeProblem, createCode, readCode, verifyCode } from './codes.ts';

const server: ParsedLink = { protocol: 'socks5', host: '127.0.0.1', ports: [1080] };
const key = generateKey();
const chain = bareKeyChain(key.publicKey);

const decode = (text: string) => {
  const d = readCode(text);
  if (!d) throw new Error('no code found');
  return d;
};

describe('the sender\'s name', () => {
  it('travels in the full form, and never in the short one', () => {
    expect(decode(createCode({ key, servers: [server], expires: at(3), name: 'Mama' })).content.name).toBe('Mama');
    expect(decode(createCode({ key, servers: [server], expires: at(3), name: 'Mama', short: true })).content).not.toHaveProperty('name');
    expect(decode(createCode({ key, servers: [server], expires: at(3) })).content).not.toHaveProperty('name');
    expect(decode(createCode({ key, servers: [server], expires: at(3), short: true })).content).not.toHaveProperty('name');
  });
});

describe('a code from a sender not trusted yet', () => {
  it('verifies as the sender\'s key, but is not trusted by itself, even when other senders are', () => {
    const v = verifyCode(decode(createCode({ key, servers: [server], expires: at(3) })), [bareKeyChain(generateKey().publicKey)], T0);
    expect(v.trusted).toBe(false);
    expect(v.chain.publisher).toBe(chain.publisher);
    expect(v.content.servers).toEqual([server]);
  });
});

describe('what a pasted text\'s code problem is', () => {
  it('nothing, when the code reads and verifies, or when only its sender is unknown', () => {
    const full = createCode({ key, servers: [server], expires: at(3) });
    const short = createCode({ key, servers: [server], expires: at(3), short: true });
    expect(codeProblem(`here: ${full}`, [chain])).toBeNull();
    expect(codeProblem(short, [])).toBeNull(); // not trusted: a question of trust, not a damaged code
    expect(codeProblem('no code in here', [chain])).toBeNull();
  });
});

describe('a signature that does not match', () => {
  it('on letters all of one case says the case was changed; otherwise that the code is damaged', () => {
    const code = decode(createCode({ key, servers: [server], expires: at(3) }));
    const other = decode(createCode({ key: generateKey(), servers: [server], expires: at(3) }));
    const body = code.text.slice(CODE_PREFIX.length);
    const lower = { ...code, signature: other.signature, text: CODE_PREFIX + body.toLowerCase() };
    expect(refusal(() => verifyCode(lower, [chain], T0))).toMatch(/^damaged: the capital and small letters of this code were changed/);
    const mixed = { ...code, signature: other.signature };
    expect(refusal(() => verifyCode(mixed, [chain], T0))).toMatch(/^damaged: this code is damaged/);
  });
});
