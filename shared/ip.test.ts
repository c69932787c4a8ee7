import { describe, expect, it } from 'vitest';
import { bareHost, formatIPv6, isIPv6Literal, parseIPv6 } from './ip.ts';

const hex = (bytes: Uint8Array | null): string | null => (bytes ? Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('') : null);

describe('IPv6 text <-> bytes (the one codec)', () => {
  it('reads every RFC 4291 text form', () => {
    expect(hex(parseIPv6('::'))).toBe('0'.repeat(32));
    expect(hex(parseIPv6('1::'))).toBe(`0001${'0'.repeat(28)}`);
    expect(hex(parseIPv6('1:2:3:4:5:6:7::'))).toBe('0001000200030004000500060007' + '0000');
    expect(hex(parseIPv6('::2:3:4:5:6:7:8'))).toBe('0000000200030004000500060007' + '0008');
    expect(hex(parseIPv6('1:2:3:4:5:6:192.0.2.1'))).toBe('000100020003000400050006c0000201');
    expect(hex(parseIPv6('FE80::1%eth0'))).toBe(`fe80${'0'.repeat(24)}0001`);
    expect(isIPv6Literal('::0.0.0.0')).toBe(true);
  });

  it('refuses what is not an IPv6 literal (as node:net does)', () => {
    for (const text of [':::', '1:::2', '1::2::3', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8::', '12345::', 'g::',
      '::1.2.3', '::256.1.1.1', '::01.2.3.4', '1.2.3.4', '1.2.3.4::', '::1.2.3.4:1', '', '[::1]', 'fe80::1%', '%eth0', '::1%a%b',
      ':1::2', '1::2:', '1:2:3:4:5:6:7:1.2.3.4', `::${'1:'.repeat(200)}1`]) {
      expect(parseIPv6(text), text).toBeNull();
    }
  });

  it('writes the RFC 5952 form: lower case, the longest (first) zero run of two or more as "::"', () => {
    expect(formatIPv6(parseIPv6('2001:DB8:0:0:1:0:0:1') as Uint8Array)).toBe('2001:db8::1:0:0:1');
    expect(formatIPv6(parseIPv6('2001:db8:0:1:1:1:1:1') as Uint8Array)).toBe('2001:db8:0:1:1:1:1:1');
    expect(formatIPv6(parseIPv6('1:0:0:2:0:0:0:3') as Uint8Array)).toBe('1:0:0:2::3');
  });

  it('strips only the brackets of an authority literal', () => {
    expect(bareHost('[::1]')).toBe('::1');
    expect(bareHost('::1')).toBe('::1');
    expect(bareHost('example.org')).toBe('example.org');
    expect(bareHost('[x')).toBe('[x');
  });
});
