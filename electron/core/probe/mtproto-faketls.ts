// MTProto proxy "fake TLS" (secrets starting with ee): the client's ClientHello carries
// HMAC-SHA256(key, hello with its random zeroed) in its random field, the last 4 bytes XORed with
// the Unix time; the proxy answers ServerHello + ChangeCipherSpec + ApplicationData whose random is
// HMAC-SHA256(key, client random || answer with that random zeroed). A proxy that does not know the
// key forwards the hello to the real front site, whose answer does not verify. Written by hand:
// no maintained library speaks this handshake (it is Telegram's, described in MTProxy's sources).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const RANDOM_AT = 11;
/** Telegram's clients send exactly 517 bytes (a 512-byte record); proxies check that shape. */
const HELLO_RECORD = 512;

export interface FakeTlsSecret {
  key: Buffer;
  domain: string;
}

/** Key and front domain of an ee-secret (hex), or null for other secrets. */
export function fakeTlsSecret(secretHex: string): FakeTlsSecret | null {
  if (!secretHex.startsWith('ee') || secretHex.length <= 34) return null;
  const key = Buffer.from(secretHex.slice(2, 34), 'hex');
  const domain = Buffer.from(secretHex.slice(34), 'hex').toString('latin1');
  return key.length === 16 && domain.length > 0 ? { key, domain } : null;
}

function u16(n: number): Buffer {
  return Buffer.from([(n >> 8) & 0xff, n & 0xff]);
}

function ext(type: number, body: Buffer): Buffer {
  return Buffer.concat([u16(type), u16(body.length), body]);
}

/** A ClientHello for `domain` signed with the key; returns the bytes and the client random. */
export function fakeTlsClientHello(secret: FakeTlsSecret, nowSec = Math.floor(Date.now() / 1000)): { hello: Buffer; random: Buffer } {
  const name = Buffer.from(secret.domain, 'latin1');
  const suites = Buffer.from([0x13, 0x01, 0x13, 0x02, 0x13, 0x03, 0xc0, 0x2b, 0xc0, 0x2f, 0xc0, 0x2c, 0xc0, 0x30, 0xcc, 0xa9, 0xcc, 0xa8]);
  const extensions = [
    ext(0x0000, Buffer.concat([u16(name.length + 3), Buffer.from([0]), u16(name.length), name])), // server_name
    ext(0x000a, Buffer.from([0x00, 0x04, 0x00, 0x1d, 0x00, 0x17])), // supported_groups: x25519, P-256
    ext(0x000b, Buffer.from([0x01, 0x00])), // ec_point_formats
    ext(0x000d, Buffer.from([0x00, 0x08, 0x04, 0x03, 0x08, 0x04, 0x04, 0x01, 0x05, 0x03])), // signature_algorithms
    ext(0x0010, Buffer.from([0x00, 0x0c, 0x02, 0x68, 0x32, 0x08, 0x68, 0x74, 0x74, 0x70, 0x2f, 0x31, 0x2e, 0x31])), // ALPN h2, http/1.1
    ext(0x002b, Buffer.from([0x04, 0x03, 0x04, 0x03, 0x03])), // supported_versions: 1.3, 1.2
    ext(0x0033, Buffer.concat([u16(36), u16(0x001d), u16(32), randomBytes(32)])), // key_share x25519
  ];
  const bodyNoPad = Buffer.concat([
    Buffer.from([0x03, 0x03]), Buffer.alloc(32), Buffer.from([32]), randomBytes(32),
    u16(suites.length), suites, Buffer.from([0x01, 0x00]),
  ]);
  const extLen = extensions.reduce((n, e) => n + e.length, 0);
  // Padding extension fills the handshake to the record size Telegram uses.
  const handshakeLen = HELLO_RECORD - 4;
  const padLen = handshakeLen - bodyNoPad.length - 2 - extLen - 4;
  if (padLen < 0) throw new Error('the front domain is too long for a fake-TLS hello');
  extensions.push(ext(0x0015, Buffer.alloc(padLen)));
  const allExt = Buffer.concat(extensions);
  const handshake = Buffer.concat([Buffer.from([0x01, 0x00, (handshakeLen >> 8) & 0xff, handshakeLen & 0xff]), bodyNoPad, u16(allExt.length), allExt]);
  const hello = Buffer.concat([Buffer.from([0x16, 0x03, 0x01]), u16(handshake.length), handshake]);
  const digest = createHmac('sha256', secret.key).update(hello).digest();
  const time = Buffer.alloc(4);
  time.writeUInt32LE(nowSec >>> 0);
  for (let i = 0; i < 4; i++) digest[28 + i]! ^= time[i]!;
  digest.copy(hello, RANDOM_AT);
  return { hello, random: Buffer.from(digest) };
}

/**
 * Bytes still needed before the proxy's answer (three TLS records) is complete, 0 when it is,
 * or -1 when the bytes are not TLS records of the expected kinds.
 */
export function fakeTlsAnswerNeeds(answer: Buffer): number {
  const kinds = [0x16, 0x14, 0x17];
  let at = 0;
  for (const kind of kinds) {
    if (answer.length < at + 5) return at + 5 - answer.length;
    if (answer[at] !== kind || answer[at + 1] !== 0x03 || answer[at + 2] !== 0x03) return -1;
    at += 5 + answer.readUInt16BE(at + 3);
  }
  return Math.max(0, at - answer.length);
}

/** Whether the answer's random is the HMAC only a proxy holding the key can make. */
export function fakeTlsAnswerValid(secret: FakeTlsSecret, clientRandom: Buffer, answer: Buffer): boolean {
  if (answer.length < RANDOM_AT + 32) return false;
  const zeroed = Buffer.from(answer);
  const got = Buffer.from(answer.subarray(RANDOM_AT, RANDOM_AT + 32));
  zeroed.fill(0, RANDOM_AT, RANDOM_AT + 32);
  const want = createHmac('sha256', secret.key).update(clientRandom).update(zeroed).digest();
  return timingSafeEqual(got, want);
}
