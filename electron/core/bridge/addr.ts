// SOCKS5 address encoding (RFC 1928 §5): ATYP 0x01 IPv4, 0x03 domain name, 0x04 IPv6.
// Pure byte work: nothing here resolves names.
import { isIP } from 'node:net';
import type { Destination } from './upstreams/types.ts';

export const ATYP_IPV4 = 0x01;
export const ATYP_DOMAIN = 0x03;
export const ATYP_IPV6 = 0x04;

/** Result of decoding an address at an offset: the destination and the offset just past the port. */
export interface DecodedAddress {
  dest: Destination;
  end: number;
}

/** How many bytes the address at `offset` (starting at ATYP) occupies, port included; null if not yet known. */
export function addressLength(buf: Buffer, offset: number): number | null | 'bad-atyp' {
  if (buf.length <= offset) return null;
  switch (buf[offset]) {
    case ATYP_IPV4: return 1 + 4 + 2;
    case ATYP_IPV6: return 1 + 16 + 2;
    case ATYP_DOMAIN: return buf.length <= offset + 1 ? null : 1 + 1 + (buf[offset + 1] as number) + 2;
    default: return 'bad-atyp';
  }
}

/** Decodes a complete address (the caller checked addressLength). Returns null for an unusable domain name. */
export function decodeAddress(buf: Buffer, offset: number): DecodedAddress | null {
  const atyp = buf[offset];
  let host: string;
  let p = offset + 1;
  if (atyp === ATYP_IPV4) {
    host = `${buf[p]}.${buf[p + 1]}.${buf[p + 2]}.${buf[p + 3]}`;
    p += 4;
  } else if (atyp === ATYP_IPV6) {
    host = formatIPv6(buf.subarray(p, p + 16));
    p += 16;
  } else {
    const len = buf[p] as number;
    const name = buf.toString('latin1', p + 1, p + 1 + len);
    p += 1 + len;
    if (!isUsableName(name)) return null;
    // A client may send an IP literal as a "name" (or a bracketed IPv6): keep it as the literal.
    host = name.startsWith('[') && name.endsWith(']') ? name.slice(1, -1) : name;
  }
  const port = buf.readUInt16BE(p);
  return { dest: { host, port }, end: p + 2 };
}

// Printable ASCII without spaces, slashes or other characters no host name has; 1..255 bytes.
const NAME_RE = /^[A-Za-z0-9._~:%[\]-]+$/;
function isUsableName(name: string): boolean {
  return name.length > 0 && name.length <= 255 && NAME_RE.test(name);
}

/** Encodes host:port as ATYP + address + port. Names are sent as names. */
export function encodeAddress(dest: Destination): Buffer {
  const kind = isIP(dest.host);
  if (kind === 4) {
    const out = Buffer.alloc(7);
    out[0] = ATYP_IPV4;
    const parts = dest.host.split('.');
    for (let i = 0; i < 4; i++) out[1 + i] = Number(parts[i]);
    out.writeUInt16BE(dest.port, 5);
    return out;
  }
  if (kind === 6) {
    const out = Buffer.alloc(19);
    out[0] = ATYP_IPV6;
    const bytes = parseIPv6(dest.host);
    if (bytes) bytes.copy(out, 1);
    out.writeUInt16BE(dest.port, 17);
    return out;
  }
  const name = Buffer.from(dest.host, 'latin1').subarray(0, 255);
  const out = Buffer.alloc(1 + 1 + name.length + 2);
  out[0] = ATYP_DOMAIN;
  out[1] = name.length;
  name.copy(out, 2);
  out.writeUInt16BE(dest.port, 2 + name.length);
  return out;
}

/** RFC 5952 text form of 16 address bytes (longest run of two or more zero groups becomes "::"). */
export function formatIPv6(bytes: Buffer): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** Parses an IPv6 literal (optionally with an IPv4 tail or a zone id) into 16 bytes; null if it is not one. */
export function parseIPv6(text: string): Buffer | null {
  const addr = text.replace(/%.*$/, '');
  if (isIP(addr) !== 6) return null;
  let head = addr;
  const tail: number[] = [];
  const lastColon = head.lastIndexOf(':');
  const last = head.slice(lastColon + 1);
  if (last.includes('.')) {
    const v4 = last.split('.').map(Number);
    tail.push(((v4[0] as number) << 8) | (v4[1] as number), ((v4[2] as number) << 8) | (v4[3] as number));
    head = head.slice(0, lastColon + 1) + '0';
  }
  const [left = '', right] = head.split('::');
  const l = left === '' ? [] : left.split(':');
  const r = right === undefined || right === '' ? [] : right.split(':');
  if (tail.length) (right === undefined ? l : r).pop();
  const fill = 8 - tail.length - l.length - r.length;
  const groups = [...l.map((g) => parseInt(g, 16)), ...new Array<number>(right === undefined ? 0 : fill).fill(0), ...r.map((g) => parseInt(g, 16)), ...tail];
  if (groups.length !== 8) return null;
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(g, i * 2));
  return out;
}
