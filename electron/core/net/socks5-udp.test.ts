import { describe, expect, it } from 'vitest';
import { decodeUdpDatagram, encodeUdpDatagram, udpHeader } from './socks5-udp.ts';

describe('SOCKS5 UDP datagrams', () => {
  it('frames UDP datagrams (RFC 1928 §7) and drops fragments', () => {
    const datagram = encodeUdpDatagram({ host: 'dns.test', port: 53 }, Buffer.from('query'));
    expect(datagram.subarray(0, 3).toString('hex')).toBe('000000');
    expect(decodeUdpDatagram(datagram)).toEqual({ dest: { host: 'dns.test', port: 53 }, payload: Buffer.from('query') });
    const fragment = Buffer.from(datagram);
    fragment[2] = 1;
    expect(decodeUdpDatagram(fragment)).toBeNull();
    expect(decodeUdpDatagram(Buffer.from([0, 0, 0, 9, 1, 2]))).toBeNull();
  });

  it('refuses truncated addresses, unusable names and port 0; the header is what precedes the payload', () => {
    const whole = encodeUdpDatagram({ host: '10.0.0.1', port: 53 }, Buffer.from('x'));
    for (let cut = 0; cut < 3 + 7; cut++) expect(decodeUdpDatagram(whole.subarray(0, cut))).toBeNull();
    expect(decodeUdpDatagram(encodeUdpDatagram({ host: '10.0.0.1', port: 0 }, Buffer.from('x')))).toBeNull();
    const badName = Buffer.concat([Buffer.from([0, 0, 0, 3, 3]), Buffer.from('a b'), Buffer.from([0, 53, 1])]);
    expect(decodeUdpDatagram(badName)).toBeNull();
    expect(Buffer.concat([udpHeader({ host: '::1', port: 53 }), Buffer.from('x')])).toEqual(encodeUdpDatagram({ host: '::1', port: 53 }, Buffer.from('x')));
    expect(decodeUdpDatagram(encodeUdpDatagram({ host: '::1', port: 53 }, Buffer.alloc(0)))).toEqual({ dest: { host: '::1', port: 53 }, payload: Buffer.alloc(0) });
  });
});
