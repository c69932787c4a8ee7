import { describe, expect, it } from 'vitest';
import { decodeSocksAddress, encodeSocksAddress, ipv6Bytes } from './socks-address.ts';
import { decodeUdpDatagram, encodeUdpDatagram } from './socks5-udp.ts';

describe('SOCKS5 addresses', () => {
  it('encodes IPv4 literals as ATYP 1', () => {
    expect(encodeSocksAddress({ host: '127.0.0.1', port: 8080 }).toString('hex')).toBe('017f0000011f90');
  });

  it('encodes names as names (ATYP 3), never resolving them', () => {
    const wire = encodeSocksAddress({ host: 'only-upstream.porthole.test', port: 443 });
    expect(wire[0]).toBe(3);
    expect(wire[1]).toBe('only-upstream.porthole.test'.length);
    expect(wire.subarray(2, -2).toString()).toBe('only-upstream.porthole.test');
    expect(wire.readUInt16BE(wire.length - 2)).toBe(443);
  });

  it('encodes IPv6 literals (compressed, bracketed, with an IPv4 tail) as ATYP 4', () => {
    expect(ipv6Bytes('::1').toString('hex')).toBe('00000000000000000000000000000001');
    expect(ipv6Bytes('2001:db8::8:800:200c:417a').toString('hex')).toBe('20010db80000000000080800200c417a');
    expect(ipv6Bytes('::ffff:192.0.2.1').toString('hex')).toBe('00000000000000000000ffffc0000201');
    expect(ipv6Bytes('1:2:3:4:5:6:7:8').toString('hex')).toBe('00010002000300040005000600070008');
    const wire = encodeSocksAddress({ host: '[::1]', port: 53 });
    expect(wire[0]).toBe(4);
    expect(wire.length).toBe(1 + 16 + 2);
  });

  it('refuses names longer than 255 bytes', () => {
    expect(() => encodeSocksAddress({ host: `${'a'.repeat(250)}.example`, port: 1 })).toThrow(RangeError);
  });

  it('decodes what it encodes, and waits for missing bytes', () => {
    for (const dest of [{ host: '10.1.2.3', port: 1 }, { host: 'example.org', port: 65535 }, { host: '0:0:0:0:0:0:0:1', port: 80 }]) {
      const wire = encodeSocksAddress(dest);
      expect(decodeSocksAddress(Buffer.concat([Buffer.from([9]), wire]), 1)).toEqual({ dest, length: wire.length });
      for (let cut = 0; cut < wire.length; cut++) expect(decodeSocksAddress(wire.subarray(0, cut))).toBeNull();
    }
    expect(() => decodeSocksAddress(Buffer.from([7, 0, 0]))).toThrow(/unknown SOCKS address type/);
  });

  it('frames UDP datagrams (RFC 1928 §7) and drops fragments', () => {
    const datagram = encodeUdpDatagram({ host: 'dns.test', port: 53 }, Buffer.from('query'));
    expect(datagram.subarray(0, 3).toString('hex')).toBe('000000');
    expect(decodeUdpDatagram(datagram)).toEqual({ from: { host: 'dns.test', port: 53 }, payload: Buffer.from('query') });
    const fragment = Buffer.from(datagram);
    fragment[2] = 1;
    expect(decodeUdpDatagram(fragment)).toBeNull();
    expect(decodeUdpDatagram(Buffer.from([0, 0, 0, 9, 1, 2]))).toBeNull();
  });
});
