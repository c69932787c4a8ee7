// The one SOCKS5 address codec (RFC 1928 §5): ATYP 0x01 IPv4, 0x03 domain name, 0x04 IPv6, then a
// 2-byte big-endian port. Used by the bridge's SOCKS5 server, by the SOCKS5 UDP datagram codec, and
// as the target header of Shadowsocks and Trojan. Pure byte work: nothing here resolves names.
//
// Domain names on the wire: RFC 1928 only says "octets". Real clients (Firefox, Chromium, curl with
// libidn2, Telegram) send the ASCII form, with international names as IDNA A-labels ("xn--…");
// the few that send other octets send UTF-8, never Latin-1. So: a Unicode name is encoded as its
// A-label form (what a resolver on the proxy understands), and names are decoded as UTF-8 and must
// then be plain ASCII host text (anything else is refused, as the bridge always did).
import { isIPv4 } from 'node:net';
import { domainToASCII } from 'node:url';
import { bareHost, formatIPv6, parseIPv6 } from '../../../shared/ip.ts';
import type { Destination } from './destination.ts';

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

/**
 * Decodes the address at buf[offset]. Null when buf does not hold all of it yet, or when the domain
 * name is unusable (empty, not ASCII host text); throws on an unknown address type.
 */
export function decodeAddress(buf: Buffer, offset = 0): DecodedAddress | null {
  const length = addressLength(buf, offset);
  if (length === 'bad-atyp') throw new Error(`unknown SOCKS address type ${buf[offset]}`);
  if (length === null || buf.length < offset + length) return null;
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
    const name = buf.toString('utf8', p + 1, p + 1 + len);
    p += 1 + len;
    if (!isUsableName(name)) return null;
    // A client may send an IP literal as a "name" (or a bracketed IPv6): keep it as the literal.
    host = bareHost(name);
  }
  const port = buf.readUInt16BE(p);
  return { dest: { host, port }, end: p + 2 };
}

// Printable ASCII without spaces, slashes or other characters no host name has; 1..255 bytes.
const NAME_RE = /^[A-Za-z0-9._~:%[\]-]+$/;
function isUsableName(name: string): boolean {
  return name.length > 0 && name.length <= 255 && NAME_RE.test(name);
}

/**
 * The octets of a host name on the wire (here and in VLESS/VMess address blocks): ASCII as given, a
 * Unicode name as its IDNA A-label form. Throws RangeError unless that is 1-255 bytes.
 */
export function domainNameBytes(host: string): Buffer {
  // eslint-disable-next-line no-control-regex
  const ascii = /^[\x00-\x7f]*$/.test(host) ? host : domainToASCII(host);
  const name = Buffer.from(ascii, 'ascii');
  if (name.length === 0 || name.length > 255) throw new RangeError(`host name must be 1-255 bytes: ${host}`);
  return name;
}

/** The wire form of dest: IP literals (bracketed or not) as addresses, everything else as a name. Throws RangeError for an unusable name. */
export function encodeAddress(dest: Destination): Buffer {
  const host = bareHost(dest.host);
  let out: Buffer;
  const v6 = isIPv4(host) ? null : parseIPv6(host);
  if (isIPv4(host)) {
    out = Buffer.alloc(1 + 4 + 2);
    out[0] = ATYP_IPV4;
    host.split('.').forEach((octet, i) => (out[1 + i] = Number(octet)));
  } else if (v6) {
    out = Buffer.alloc(1 + 16 + 2);
    out[0] = ATYP_IPV6;
    out.set(v6, 1);
  } else {
    const name = domainNameBytes(host);
    out = Buffer.alloc(1 + 1 + name.length + 2);
    out[0] = ATYP_DOMAIN;
    out[1] = name.length;
    name.copy(out, 2);
  }
  out.writeUInt16BE(dest.port, out.length - 2);
  return out;
}
