// Codes fit one SMS by default, and a bad code gets the reason that matches what happened:
// damaged, cut off, wrong letter case, or made by a newer version. Old (v1) codes still read.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BASE64URL_CHARS } from '../../../shared/base64url.ts';
import { CODE_PREFIX, findCode, isGsm7Basic } from '../../../shared/code-format.ts';
import { PortholeError } from '../../../shared/errors.ts';
import { smsCount } from '../../../shared/code-bytes.ts';
import { parseProxyLink } from '../../../shared/proxy-link.ts';
import { generateKey } from '../crypto/ed25519.ts';
import { bareKeyChain } from '../lists/roots.ts';
import { codeProblem, createCode, readCode, verifyCode } from './codes.ts';

const key = generateKey();
const trusted = [bareKeyChain(key.publicKey)];
const future = new Date(Date.now() + 3 * 86400_000);
const make = (urls: string[], extra: { short?: boolean; name?: string } = {}): string =>
  createCode({ key, servers: urls.map((u) => parseProxyLink(u)), expires: future, ...extra });
const body = (code: string): string => code.slice(CODE_PREFIX.length);

describe('code length', () => {
  it('the default (full-key) code for one server with a user and password fits one SMS in GSM-7', () => {
    for (const url of ['socks5://u:p@198.51.100.7:1080', 'socks5://user:pass@198.51.100.7:1080', 'http://bob:pw12@203.0.113.9:8080', 'socks5://198.51.100.7:1080']) {
      const code = make([url]);
      expect(code.length, url).toBeLessThanOrEqual(160);
      expect(isGsm7Basic(code)).toBe(true);
      expect(smsCount(code, true)).toBe(1);
    }
  });

  it('counts SMS parts when it does not fit: 153 characters a part', () => {
    expect(smsCount('x'.repeat(160), true)).toBe(1);
    expect(smsCount('x'.repeat(161), true)).toBe(2);
    expect(smsCount('x'.repeat(306), true)).toBe(2);
    expect(smsCount('x'.repeat(307), true)).toBe(3);
    const three = make(['https://u:p@proxy.example.org:443', 'https://u:p@proxy2.example.org:443', 'https://u:p@proxy3.example.org:443']);
    expect(smsCount(three, true)).toBeGreaterThan(1);
  });

  it("carries the sender's self-declared name, read back as such", () => {
    const code = make(['socks5://u:p@198.51.100.7:1080'], { name: 'Волонтёры KZ' });
    expect(readCode(code)!.content.name).toBe('Волонтёры KZ');
    expect(isGsm7Basic(code)).toBe(true);
    expect(() => make(['socks5://u:p@198.51.100.7:1080'], { name: 'x'.repeat(40) })).toThrow(/longer than 32 bytes/);
  });
});

describe('what went wrong with a code', () => {
  const code = make(['socks5://user:pass@198.51.100.7:1080'], { name: 'Mama' });

  it('one wrong character in the middle is "damaged" (property over positions and characters)', () => {
    const b = body(code);
    fc.assert(fc.property(fc.integer({ min: 4, max: b.length - 4 }), fc.constantFrom(...BASE64URL_CHARS), (pos, ch) => {
      fc.pre(b[pos] !== ch);
      const changed = CODE_PREFIX + b.slice(0, pos) + ch + b.slice(pos + 1);
      expect(codeProblem(changed, trusted)).toBe('damaged');
    }), { numRuns: 400 });
  });

  it('a code cut off anywhere after its first characters is "cut off"', () => {
    for (let keep = 1; keep < body(code).length; keep += 7) {
      const cut = CODE_PREFIX + body(code).slice(0, keep);
      expect(codeProblem(`Here it is: ${cut}`, trusted), `kept ${keep}`).toBe('cut-off');
    }
    expect(() => readCode(code.slice(0, 100))).toThrow(/this code is cut off/);
  });

  it('a code whose letters a phone turned to capitals or small letters is "wrong case"', () => {
    expect(codeProblem(code.toUpperCase(), trusted)).toBe('wrong-case');
    expect(codeProblem(CODE_PREFIX + body(code).toLowerCase(), trusted)).toBe('wrong-case');
    expect(() => readCode(code.toLowerCase())).toThrow(/capital and small letters/);
  });

  it('a code from a newer version of Porthole says to update', () => {
    const b = body(code);
    // version 3 in the header's high nibble: the first character encodes its top six bits
    const newer = `${CODE_PREFIX}M${b.slice(1)}`;
    expect(codeProblem(newer, trusted)).toBe('newer-version');
    expect(() => readCode(newer)).toThrow(/newer version of Porthole: update Porthole/);
  });

  it('each problem is the one error class with the problem as its code; readCode makes every one a "damaged" rejection', () => {
    const thrown = (fn: () => unknown): unknown => {
      try {
        fn();
      } catch (err) {
        return err;
      }
      throw new Error('did not throw');
    };
    const b = body(code);
    const cases = [
      ['cut-off', code.slice(0, 100)],
      ['wrong-case', code.toLowerCase()],
      ['newer-version', `${CODE_PREFIX}M${b.slice(1)}`],
    ] as const;
    for (const [problem, text] of cases) {
      const found = thrown(() => findCode(text));
      expect(found, problem).toBeInstanceOf(PortholeError);
      expect(found, problem).toMatchObject({ code: problem });
      const read = thrown(() => readCode(text));
      expect(read, problem).toBeInstanceOf(PortholeError);
      expect(read, problem).toMatchObject({ code: 'damaged', message: (found as Error).message });
    }
  });

  it('a good code has no problem, and trailing words do not matter', () => {
    expect(codeProblem(`${code} — love, mum`, trusted)).toBeNull();
    expect(verifyCode(readCode(code)!, trusted, new Date()).trusted).toBe(true);
  });
});

describe('old (v1) codes', () => {
  // Made with the v1 encoder before v2 existed (key below, expires 2100-01-01).
  const v1Key = 'NgeBrRoBKF7tdXFUEDKYgDI2pBhKJ8J16pV9Ffsu8I8';
  const v1 = 'PH1:ETYHga0aAShe7XVxVBAymIAyNqQYSifCdeqVfRX7LvCP9IZXAENNirB1UnMhATAAxjNkBwQ4AXUBcAERZG5zOmwuZXhhbXBsZS5vcme6h93s2pk81T-mTaWo4e6BamHUthAbrCf9fXHGgMyCfcz3gDBPwhY2QbzKs9cqREu_Jk-6BUjUIotGPrrKu_8O';

  it('still read and verify, with their nonce', () => {
    const d = readCode(v1)!;
    expect(d.content.publicKey).toBe(v1Key);
    expect(d.content.servers).toEqual([{ protocol: 'socks5', host: '198.51.100.7', ports: [1080], username: 'u', password: 'p' }]);
    expect(d.content.channels).toEqual(['dns:l.example.org']);
    expect(d.content.expires.toISOString()).toBe('2100-01-01T00:00:00.000Z');
    expect(d.content.nonce).toMatch(/^[0-9a-f]{16}$/);
    expect(verifyCode(d, [bareKeyChain(v1Key)], new Date()).trusted).toBe(true);
  });

  it('cut off or damaged v1 codes get the matching reason', () => {
    expect(codeProblem(v1.slice(0, 120), [bareKeyChain(v1Key)])).toBe('cut-off');
    const damaged = v1.slice(0, 60) + (v1[60] === 'A' ? 'B' : 'A') + v1.slice(61);
    expect(codeProblem(damaged, [bareKeyChain(v1Key)])).toBe('damaged');
  });
});
