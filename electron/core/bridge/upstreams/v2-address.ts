// The address block of VLESS and VMess requests: port (2 bytes, big-endian) first, then the type
// (1 IPv4, 2 domain name, 3 IPv6; unlike SOCKS5's 1/3/4) and the address. Names stay names.
import net from 'node:net';
import { bareHost, parseIPv6 } from '../../../../shared/ip.ts';
import { domainNameBytes } from '../../net/socks5-address.ts';
import type { Destination } from './types.ts';

export function encodeV2Address(dest: Destination): Buffer {
  const host = bareHost(dest.host);
  const v6 = net.isIPv4(host) ? null : parseIPv6(host);
  let address: Buffer;
  if (net.isIPv4(host)) {
    address = Buffer.from([1, ...host.split('.').map(Number)]);
  } else if (v6) {
    address = Buffer.concat([Buffer.from([3]), v6]);
  } else {
    const name = domainNameBytes(host);
    address = Buffer.concat([Buffer.from([2, name.length]), name]);
  }
  const port = Buffer.alloc(2);
  port.writeUInt16BE(dest.port, 0);
  return Buffer.concat([port, address]);
}

/** The 16 bytes of a UUID written as text (dashes optional). */
export function uuidBytes(uuid: string): Buffer {
  const hex = uuid.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new Error('not a UUID');
  return Buffer.from(hex, 'hex');
}
