// The one SOCKS5 UDP datagram codec (RFC 1928 §7), used by the bridge's UDP ASSOCIATE relay and by
// the client side of an upstream SOCKS5 relay:
//   RSV(2) = 0, FRAG(1), ATYP + DST.ADDR + DST.PORT, DATA
// From client to relay the address is the destination; from relay to client it is the sender.
// Fragments (FRAG != 0) are refused, as the RFC allows an implementation to do.
import { decodeAddress, encodeAddress } from './socks5-address.ts';
import type { Destination } from './destination.ts';

/** RSV, FRAG = 0 and the address: what goes in front of the payload (send it as [header, payload]). */
export function udpHeader(address: Destination): Buffer {
  return Buffer.concat([Buffer.from([0, 0, 0]), encodeAddress(address)]);
}

/** One whole datagram. Throws RangeError when the address cannot be expressed (a bad name). */
export function encodeUdpDatagram(address: Destination, payload: Buffer): Buffer {
  return Buffer.concat([udpHeader(address), payload]);
}

/**
 * The address and payload of a datagram; null when it is fragmented, truncated, has an unknown
 * address type, an unusable name or port 0.
 */
export function decodeUdpDatagram(datagram: Buffer): { dest: Destination; payload: Buffer } | null {
  if (datagram.length < 4 || datagram[2] !== 0) return null; // RSV is not checked: be lenient in what we accept
  let decoded;
  try {
    decoded = decodeAddress(datagram, 3);
  } catch {
    return null; // unknown address type
  }
  if (!decoded || decoded.dest.port === 0) return null;
  return { dest: decoded.dest, payload: datagram.subarray(decoded.end) };
}
