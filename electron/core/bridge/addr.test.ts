import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isIPv6 } from 'node:net';
import { addressLength, decodeAddress, encodeAddress, formatIPv6, parseIPv6 } from './addr.ts';

describe('SOCKS5 addresses', () => {
  it('round-trips IPv4, IPv6 and names', () => {
    for (const dest of [{ host: '10.1.2.3', port: 80 }, { host: '2001:db8::1', port: 443 }, { host: '::1', port: 1 }, { host: 'example.org', port: 65535 }]) {
      const enc = encodeAddress(dest);
      expect(addressLength(enc, 0)).toBe(enc.length);
      expect(decodeAddress(enc, 0)).toEqual({ dest, end: enc.length });
    }
  });

  it('formats IPv6 in RFC 5952 form', () => {
    expect(formatIPv6(parseIPv6('2001:0db8:0000:0000:0001:0000:0000:0001') as Buffer)).toBe('2001:db8::1:0:0:1');
    expect(formatIPv6(Buffer.alloc(16))).toBe('::');
    expect(formatIPv6(parseIPv6('::ffff:1.2.3.4') as Buffer)).toBe('::ffff:102:304');
    expect(formatIPv6(parseIPv6('1:0:2:3:4:5:6:7') as Buffer)).toBe('1:0:2:3:4:5:6:7');
    expect(parseIPv6('not-an-ip')).toBeNull();
  });

  it('IPv6 bytes → text → bytes is the identity', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (arr) => {
      const text = formatIPv6(Buffer.from(arr));
      expect(isIPv6(text)).toBe(true);
      expect([...(parseIPv6(text) as Buffer)]).toEqual([...arr]);
    }), { seed: 7, numRuns: 500 });
  });

  it('rejects unusable names and unknown address types', () => {
    const bad = Buffer.concat([Buffer.from([0x03, 5]), Buffer.from('a b/c'), Buffer.from([0, 80])]);
    expect(decodeAddress(bad, 0)).toBeNull();
    const empty = Buffer.from([0x03, 0, 0, 80]);
    expect(decodeAddress(empty, 0)).toBeNull();
    expect(addressLength(Buffer.from([0x09]), 0)).toBe('bad-atyp');
    expect(addressLength(Buffer.from([0x03]), 0)).toBeNull();
  });
});
