import { isRejection } from '../../electron/core/lists/signed.ts';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BASE64URL_CHARS } from '../../shared/base64url.ts';
import { CODE_PREFIX, findCode, isGsm7Basic } from '../../shared/code-format.ts';
import type { ParsedLink } from '../../shared/proxy-link.ts';
import { generateKey } from '../../electron/core/crypto/ed25519.ts';
import { bareKeyChain } from '../../electron/core/lists/roots.ts';
import { createCode, readCode, verifyCode } from '../../electron/core/codes/codes.ts';

const key = generateKey();
const trusted = [bareKeyChain(key.publicKey)];
const future = new Date(Date.now() + 3 * 86400_000);
const secret16 = Buffer.alloc(16, 7).toString('base64url'); // a 16-byte secret, as a publisher makes one

const arbServer: fc.Arbitrary<ParsedLink> = fc.record({
  protocol: fc.constantFrom('socks5', 'http', 'https', 'shadowsocks' as const),
  host: fc.oneof(fc.ipV4(), fc.constantFrom('proxy.example.org', 'a.b', '2001:db8::1', '::1', 'fe80::1:2:3:4')),
  ports: fc.array(fc.integer({ min: 1, max: 65535 }), { minLength: 1, maxLength: 3 }),
  username: fc.option(fc.string({ minLength: 0, maxLength: 12 }), { nil: undefined }),
  password: fc.option(fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => Buffer.from(b).toString('base64url'))), { nil: undefined }),
  label: fc.option(fc.string({ minLength: 1, maxLength: 12 }), { nil: undefined }),
}).map((s) => {
  const out: ParsedLink = { protocol: s.protocol, host: s.host, ports: s.ports };
  if (s.username !== undefined && s.protocol !== 'shadowsocks') out.username = s.username;
  if (s.password !== undefined || s.protocol === 'shadowsocks') out.password = s.password ?? 'pw';
  if (s.label !== undefined) out.label = s.label;
  if (s.protocol === 'shadowsocks') out.method = 'aes-256-gcm';
  return out;
});


describe('one-time codes', () => {
  it('every encoded code decodes to the same content (property)', () => {
    fc.assert(fc.property(fc.array(arbServer, { minLength: 1, maxLength: 3 }), fc.boolean(), fc.array(fc.constantFrom('https://m.example/l.signed', 'dns:l.example.org'), { maxLength: 2 }), (servers, short, channels) => {
      const text = createCode({ key, servers, channels, expires: future, short });
      const decoded = findCode(text);
      expect(decoded).not.toBeNull();
      expect(decoded!.content.servers).toEqual(servers.map((s) => ({ ...s, host: s.host })));
      expect(decoded!.content.channels).toEqual(channels);
      // v2 keeps the expiry to the hour, rounded up (never earlier than asked)
      expect(decoded!.content.expires.getTime()).toBe(Math.ceil(future.getTime() / 3600_000) * 3600_000);
      expect(verifyCode(decoded!, trusted, new Date()).trusted).toBe(true);
    }), { numRuns: 150 });
  });

  it('every single-character change is detected (property)', () => {
    const code = createCode({ key, servers: [{ protocol: 'shadowsocks', host: '203.0.113.7', ports: [8388], method: 'chacha20-ietf-poly1305', password: secret16 }], expires: future });
    const body = code.slice(CODE_PREFIX.length);
    fc.assert(fc.property(fc.integer({ min: 0, max: body.length - 1 }), fc.constantFrom(...BASE64URL_CHARS), (pos, ch) => {
      fc.pre(body[pos] !== ch);
      const changed = CODE_PREFIX + body.slice(0, pos) + ch + body.slice(pos + 1);
      let detected = false;
      try {
        const d = readCode(changed);
        if (!d) detected = true;
        else verifyCode(d, trusted, new Date());
      } catch (err) {
        expect(err).toSatisfy(isRejection);
        detected = true;
      }
      expect(detected).toBe(true);
    }), { numRuns: 2000 });
  });

  it('one server with a 16-byte secret fits one SMS in key-id form and two with the full key, in GSM-7', () => {
    const servers: ParsedLink[] = [{ protocol: 'shadowsocks', host: '203.0.113.7', ports: [8388], method: 'chacha20-ietf-poly1305', password: secret16 }];
    const short = createCode({ key, servers, expires: future, short: true });
    const full = createCode({ key, servers, expires: future });
    expect(short.length).toBeLessThanOrEqual(160);
    expect(full.length).toBeLessThanOrEqual(306);
    expect(isGsm7Basic(short)).toBe(true);
    expect(isGsm7Basic(full)).toBe(true);
    const socks = createCode({ key, servers: [{ protocol: 'socks5', host: '198.51.100.2', ports: [1080], username: 'u', password: secret16 }], expires: future, short: true });
    expect(socks.length).toBeLessThanOrEqual(160);
  });

  it('survives a whole SMS with line breaks, spaces, lookalikes and the porthole:// link form', () => {
    const code = createCode({ key, servers: [{ protocol: 'socks5', host: '198.51.100.2', ports: [1080, 443] }], expires: future });
    const wrapped = `Привет! Вставь это в Porthole:\n${code.slice(0, 50)}\n ${code.slice(50, 101)} \r\n${code.slice(101)}\nЦелую, мама`;
    expect(readCode(wrapped)?.text).toBe(code);
    // Cyrillic lookalikes and full-width characters typed by a phone keyboard
    const lookalike = code.replace(/a/g, 'а').replace(/o/g, 'о').replace(/P/, 'Р').replace(/-/g, '‐');
    expect(lookalike).not.toBe(code);
    expect(readCode(lookalike)?.text).toBe(code);
    expect(readCode(`open porthole://import/${encodeURIComponent(code)} please`)?.text).toBe(code);
    expect(readCode(code.replace('PH1:', 'ph1 : '))?.text).toBe(code);
  });

  it('a damaged or truncated code says so in words, never a stack trace', () => {
    const code = createCode({ key, servers: [{ protocol: 'socks5', host: '198.51.100.2', ports: [1080] }], expires: future });
    expect(() => readCode(code.slice(0, 60))).toThrow(/this code is cut off/);
    const flipped = code.slice(0, 40) + (code[40] === 'x' ? 'y' : 'x') + code.slice(41);
    expect(() => verifyCode(readCode(flipped)!, trusted, new Date())).toThrow(/damaged/);
    expect(readCode('hello, no code here')).toBeNull();
  });

  it('an expired code says when it expired', () => {
    const code = createCode({ key, servers: [{ protocol: 'socks5', host: '198.51.100.2', ports: [1080] }], expires: new Date('2026-01-02T03:04:00Z') });
    expect(() => verifyCode(readCode(code)!, trusted, new Date())).toThrow('this code expired on 2026-01-02 04:00 UTC');
  });

  it('a key-id code from an unknown sender asks for the full code', () => {
    const other = generateKey();
    const code = createCode({ key: other, servers: [{ protocol: 'socks5', host: '198.51.100.2', ports: [1080] }], expires: future, short: true });
    expect(() => verifyCode(readCode(code)!, trusted, new Date())).toThrow(/sender you do not trust yet/);
    const full = createCode({ key: other, servers: [{ protocol: 'socks5', host: '198.51.100.2', ports: [1080] }], expires: future });
    expect(verifyCode(readCode(full)!, trusted, new Date()).trusted).toBe(false);
  });
});
