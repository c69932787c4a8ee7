// The address block of VLESS and VMess requests: port (2 bytes, big-endian) first, then the type
// (1 IPv4, 2 domain name, 3 IPv6; unlike SOCKS5's 1/3/4) and the address. Names stay names.
import net from 'node:net';
import { ipv6Bytes } from './socks-address.ts';
import type { Destination } from './types.ts';

export function encodeV2Address(dest: Destination): Buffer {
  const host = dest.host.startsWith('[') && dest.host.endsWith(']') ? dest.host.slice(1, -1) : dest.host;
  let address: Buffer;
  if (net.isIPv4(host)) {
    address = Buffer.from([1, ...host.split('.').map(Number)]);
  } else if (net.isIPv6(host)) {
    address = Buffer.concat([Buffer.from([3]), ipv6Bytes(host)]);
  } else {
    const name = Buffer.from(host, 'utf8');
    if (name.length === 0 || name.length > 255) throw new RangeError(`host name must be 1-255 bytes: ${host}`);
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
