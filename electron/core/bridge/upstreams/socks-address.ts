// The SOCKS5 address format (RFC 1928 §5): ATYP, address, 2-byte big-endian port. Also used by
// Shadowsocks as the target header and by SOCKS5 UDP datagrams. Names are sent as names (ATYP 3):
// nothing here resolves anything.
import net from 'node:net';
import type { Destination } from './types.ts';

export const ATYP_IPV4 = 1;
export const ATYP_NAME = 3;
export const ATYP_IPV6 = 4;

/** 16 bytes of an IPv6 literal (with optional "::" and a dotted IPv4 tail); throws if malformed. */
export function ipv6Bytes(text: string): Buffer {
  let address = text;
  if (!net.isIPv6(address)) throw new Error(`not an IPv6 address: ${text}`);
  const zone = address.indexOf('%');
  if (zone >= 0) address = address.slice(0, zone);
  const groups: number[] = [];
  const parseSide = (side: string): number[] => {
    if (side === '') return [];
    const out: number[] = [];
    for (const part of side.split(':')) {
      if (part.includes('.')) {
        const v4 = part.split('.').map(Number);
        out.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
      } else {
        out.push(parseInt(part, 16));
      }
    }
    return out;
  };
  const gap = address.indexOf('::');
  if (gap >= 0) {
    const head = parseSide(address.slice(0, gap));
    const tail = parseSide(address.slice(gap + 2));
    groups.push(...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail);
  } else {
    groups.push(...parseSide(address));
  }
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(g, i * 2));
  return out;
}

/** The wire form of dest: IP literals as addresses, everything else as a name. */
export function encodeSocksAddress(dest: Destination): Buffer {
  const host = dest.host.startsWith('[') && dest.host.endsWith(']') ? dest.host.slice(1, -1) : dest.host;
  let out: Buffer;
  if (net.isIPv4(host)) {
    out = Buffer.alloc(1 + 4 + 2);
    out[0] = ATYP_IPV4;
    host.split('.').forEach((octet, i) => (out[1 + i] = Number(octet)));
  } else if (net.isIPv6(host)) {
    out = Buffer.alloc(1 + 16 + 2);
    out[0] = ATYP_IPV6;
    ipv6Bytes(host).copy(out, 1);
  } else {
    const name = Buffer.from(host, 'utf8');
    if (name.length === 0 || name.length > 255) throw new RangeError(`host name must be 1-255 bytes: ${host}`);
    out = Buffer.alloc(1 + 1 + name.length + 2);
    out[0] = ATYP_NAME;
    out[1] = name.length;
    name.copy(out, 2);
  }
  out.writeUInt16BE(dest.port, out.length - 2);
  return out;
}

function ipv6Text(bytes: Buffer): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16));
  // Not compressed, but a valid literal that node accepts.
  return groups.join(':');
}

/**
 * Reads an address at buf[offset]. Returns the destination and the bytes used, or null when buf does
 * not hold the whole address yet. Throws on an unknown address type.
 */
export function decodeSocksAddress(buf: Buffer, offset = 0): { dest: Destination; length: number } | null {
  if (buf.length <= offset) return null;
  const atyp = buf[offset];
  let hostLength: number;
  let host: string;
  if (atyp === ATYP_IPV4) {
    hostLength = 4;
    if (buf.length < offset + 1 + 4 + 2) return null;
    host = Array.from(buf.subarray(offset + 1, offset + 5)).join('.');
  } else if (atyp === ATYP_IPV6) {
    hostLength = 16;
    if (buf.length < offset + 1 + 16 + 2) return null;
    host = ipv6Text(buf.subarray(offset + 1, offset + 17));
  } else if (atyp === ATYP_NAME) {
    if (buf.length < offset + 2) return null;
    const n = buf[offset + 1] ?? 0;
    hostLength = 1 + n;
    if (buf.length < offset + 1 + hostLength + 2) return null;
    host = buf.toString('utf8', offset + 2, offset + 2 + n);
  } else {
    throw new Error(`unknown SOCKS address type ${atyp}`);
  }
  const port = buf.readUInt16BE(offset + 1 + hostLength);
  return { dest: { host, port }, length: 1 + hostLength + 2 };
}
