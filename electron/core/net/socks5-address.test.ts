import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isIPv6 } from 'node:net';
import { formatIPv6, parseIPv6 } from '../../../shared/ip.ts';
import { addressLength, decodeAddress, encodeAddress } from './socks5-address.ts';

const hex = (bytes: Uint8Array | null): string => Buffer.from(bytes as Uint8Array).toString('hex');

describe('SOCKS5 addresses', () => {
  it('round-trips IPv4, IPv6 and names', () => {
    for (const dest of [{ host: '10.1.2.3', port: 80 }, { host: '2001:db8::1', port: 443 }, { host: '::1', port: 1 }, { host: 'example.org', port: 65535 }]) {
      const enc = encodeAddress(dest);
      expect(addressLength(enc, 0)).toBe(enc.length);
      expect(decodeAddress(enc, 0)).toEqual({ dest, end: enc.length });
    }
  });

  it('formats IPv6 in RFC 5952 form', () => {
    expect(formatIPv6(parseIPv6('2001:0db8:0000:0000:0001:0000:0000:0001') as Uint8Array)).toBe('2001:db8::1:0:0:1');
    expect(formatIPv6(Buffer.alloc(16))).toBe('::');
    expect(formatIPv6(parseIPv6('::ffff:1.2.3.4') as Uint8Array)).toBe('::ffff:102:304');
    expect(formatIPv6(parseIPv6('1:0:2:3:4:5:6:7') as Uint8Array)).toBe('1:0:2:3:4:5:6:7');
    expect(parseIPv6('not-an-ip')).toBeNull();
  });

  it('IPv6 bytes → text → bytes is the identity', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (arr) => {
      const text = formatIPv6(Buffer.from(arr));
      expect(isIPv6(text)).toBe(true);
      expect([...(parseIPv6(text) as Uint8Array)]).toEqual([...arr]);
    }), { seed: 7, numRuns: 500 });
  });

  it('takes as IPv6 exactly the texts node:net takes as IPv6', () => {
    const piece = fc.constantFrom('', '0', '1', 'ffff', 'FfFf', '12345', 'g', ':', '::', ':::', '.', '1.2.3.4', '256.0.0.1', '01.2.3.4', '%', '%eth0', '%a_b');
    fc.assert(fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
      const text = pieces.join('');
      expect(parseIPv6(text) !== null).toBe(isIPv6(text));
    }), { seed: 11, numRuns: 5000 });
  });

  it('rejects unusable names and unknown address types', () => {
    const bad = Buffer.concat([Buffer.from([0x03, 5]), Buffer.from('a b/c'), Buffer.from([0, 80])]);
    expect(decodeAddress(bad, 0)).toBeNull();
    const empty = Buffer.from([0x03, 0, 0, 80]);
    expect(decodeAddress(empty, 0)).toBeNull();
    expect(addressLength(Buffer.from([0x09]), 0)).toBe('bad-atyp');
    expect(addressLength(Buffer.from([0x03]), 0)).toBeNull();
  });

  // From electron/core/bridge/upstreams/socks-address.test.ts (the upstream side's copy, now merged).
  it('encodes IPv4 literals as ATYP 1', () => {
    expect(encodeAddress({ host: '127.0.0.1', port: 8080 }).toString('hex')).toBe('017f0000011f90');
  });

  it('encodes names as names (ATYP 3), never resolving them', () => {
    const wire = encodeAddress({ host: 'only-upstream.porthole.test', port: 443 });
    expect(wire[0]).toBe(3);
    expect(wire[1]).toBe('only-upstream.porthole.test'.length);
    expect(wire.subarray(2, -2).toString()).toBe('only-upstream.porthole.test');
    expect(wire.readUInt16BE(wire.length - 2)).toBe(443);
  });

  it('encodes IPv6 literals (compressed, bracketed, with an IPv4 tail) as ATYP 4', () => {
    expect(hex(parseIPv6('::1'))).toBe('00000000000000000000000000000001');
    expect(hex(parseIPv6('2001:db8::8:800:200c:417a'))).toBe('20010db80000000000080800200c417a');
    expect(hex(parseIPv6('::ffff:192.0.2.1'))).toBe('00000000000000000000ffffc0000201');
    expect(hex(parseIPv6('1:2:3:4:5:6:7:8'))).toBe('00010002000300040005000600070008');
    const wire = encodeAddress({ host: '[::1]', port: 53 });
    expect(wire[0]).toBe(4);
    expect(wire.length).toBe(1 + 16 + 2);
  });

  it('refuses names longer than 255 bytes', () => {
    expect(() => encodeAddress({ host: `${'a'.repeat(250)}.example`, port: 1 })).toThrow(RangeError);
  });

  it('decodes what it encodes, and waits for missing bytes', () => {
    // The IPv6 case was written "0:0:0:0:0:0:0:1" when the upstream copy decoded to uncompressed text;
    // the one codec decodes to the RFC 5952 form, so the literal is written in that form.
    for (const dest of [{ host: '10.1.2.3', port: 1 }, { host: 'example.org', port: 65535 }, { host: '::1', port: 80 }]) {
      const wire = encodeAddress(dest);
      expect(decodeAddress(Buffer.concat([Buffer.from([9]), wire]), 1)).toEqual({ dest, end: 1 + wire.length });
      for (let cut = 0; cut < wire.length; cut++) expect(decodeAddress(wire.subarray(0, cut))).toBeNull();
    }
    expect(() => decodeAddress(Buffer.from([7, 0, 0]))).toThrow(/unknown SOCKS address type/);
  });
});

// RFC 1928 says only "octets" for ATYP 3. Real clients (Firefox, Chromium, curl with libidn2)
// send IDNA A-labels; other octets, when they come, are UTF-8. Latin-1 is right for neither.
describe('SOCKS5 domain names: ASCII on the wire, UTF-8 when decoding, never Latin-1', () => {
  it('sends an international name as its A-label form (what a resolver on the proxy understands)', () => {
    const wire = encodeAddress({ host: 'пример.рф', port: 443 });
    expect(wire[0]).toBe(3);
    expect(wire.subarray(2, -2).toString('latin1')).toBe('xn--e1afmkfd.xn--p1ai');
    expect(wire[1]).toBe('xn--e1afmkfd.xn--p1ai'.length);
    expect(decodeAddress(wire)).toEqual({ dest: { host: 'xn--e1afmkfd.xn--p1ai', port: 443 }, end: wire.length });
  });

  it('never mangles a name into Latin-1 bytes: one that has no A-label form is refused', () => {
    // Latin-1 would have sent 0x3f / low bytes of each character, silently naming another host.
    expect(() => encodeAddress({ host: 'a b\u0100', port: 80 })).toThrow(RangeError);
    expect(() => encodeAddress({ host: '', port: 80 })).toThrow(RangeError);
  });

  it('keeps an ASCII name exactly as given (case included)', () => {
    expect(encodeAddress({ host: 'Example.ORG', port: 80 }).subarray(2, -2).toString('latin1')).toBe('Example.ORG');
  });

  it('reads name octets as UTF-8 and refuses non-ASCII names instead of passing on mojibake', () => {
    for (const name of ['пример.рф', 'café.example', 'bücher.example']) {
      const octets = Buffer.from(name, 'utf8');
      const wire = Buffer.concat([Buffer.from([0x03, octets.length]), octets, Buffer.from([0, 80])]);
      expect(addressLength(wire, 0)).toBe(wire.length);
      expect(decodeAddress(wire, 0)).toBeNull();
    }
    // A Latin-1 octet (0xe9) is not UTF-8 either: refused, not read as "é".
    const latin1 = Buffer.concat([Buffer.from([0x03, 4]), Buffer.from([0x63, 0x61, 0x66, 0xe9]), Buffer.from([0, 80])]);
    expect(decodeAddress(latin1, 0)).toBeNull();
  });
});
