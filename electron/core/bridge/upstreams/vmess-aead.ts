// VMess AEAD request and response headers (alterId 0), written by hand on node:crypto from the public
// protocol description (v2fly's "VMess AEAD" docs): no maintained npm library implements a VMess client.
//
//   cmdKey   = MD5(uuid bytes || "c48619fe-8f02-49e0-b9e9-edf763e17e21")
//   KDF(k, path...) = nested HMAC-SHA256: the innermost hash is HMAC-SHA256 keyed "VMess AEAD KDF",
//              each path element wraps the previous hash as an HMAC keyed by that element; KDF16 = first 16 bytes
//   authID   = AES-128-ECB(KDF16(cmdKey, "AES Auth ID Encryption"), time(8, BE) || rand(4) || CRC32 of those 12)
//   request  = authID || GCM(len key/nonce)(2-byte header length, aad authID) || nonce(8) || GCM(header, aad authID)
//   header   = 1 | body IV(16) | body key(16) | V | options | padLen<<4 | security | 0 | cmd 1 | port | addr | pad | FNV-1a
//   response = GCM(len)(2-byte length) || GCM(header), keys from SHA-256(body key/IV)[0..16] and KDF; header[0] = V
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { Destination } from './types.ts';
import { encodeV2Address, uuidBytes } from './v2-address.ts';

const TAG = 16;
const BLOCK = 64;

type HashFn = (data: Buffer) => Buffer;

/** HMAC (RFC 2104) over an arbitrary 64-byte-block hash, as VMess's nested KDF needs. */
function hmacOver(hash: HashFn, key: Buffer): HashFn {
  const k = Buffer.alloc(BLOCK);
  (key.length > BLOCK ? hash(key) : key).copy(k);
  const ipad = Buffer.alloc(BLOCK);
  const opad = Buffer.alloc(BLOCK);
  for (let i = 0; i < BLOCK; i++) {
    ipad[i] = (k[i] ?? 0) ^ 0x36;
    opad[i] = (k[i] ?? 0) ^ 0x5c;
  }
  return (data) => hash(Buffer.concat([opad, hash(Buffer.concat([ipad, data]))]));
}

const kdfBase: HashFn = (data) => createHmac('sha256', 'VMess AEAD KDF').update(data).digest();

export function kdf(key: Buffer, ...path: (string | Buffer)[]): Buffer {
  let hash = kdfBase;
  for (const element of path) hash = hmacOver(hash, typeof element === 'string' ? Buffer.from(element, 'latin1') : element);
  return hash(key);
}

export function kdf16(key: Buffer, ...path: (string | Buffer)[]): Buffer {
  return kdf(key, ...path).subarray(0, 16);
}

export function cmdKey(uuid: string): Buffer {
  return createHash('md5').update(uuidBytes(uuid)).update('c48619fe-8f02-49e0-b9e9-edf763e17e21', 'latin1').digest();
}

export function fnv1a32(data: Buffer): number {
  let hash = 0x811c9dc5;
  for (const byte of data) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash >>> 0;
}

function gcmSeal(key: Buffer, nonce: Buffer, plain: Buffer, aad?: Buffer): Buffer {
  const c = createCipheriv('aes-128-gcm', key, nonce, { authTagLength: TAG });
  if (aad) c.setAAD(aad);
  return Buffer.concat([c.update(plain), c.final(), c.getAuthTag()]);
}

function gcmOpen(key: Buffer, nonce: Buffer, sealed: Buffer, what: string): Buffer {
  const d = createDecipheriv('aes-128-gcm', key, nonce, { authTagLength: TAG });
  d.setAuthTag(sealed.subarray(sealed.length - TAG));
  try {
    return Buffer.concat([d.update(sealed.subarray(0, sealed.length - TAG)), d.final()]);
  } catch {
    throw new Error(`the server's ${what} failed authentication: not a VMess server, or a wrong user id`);
  }
}

export function createAuthId(key: Buffer, nowSeconds: number = Math.floor(Date.now() / 1000)): Buffer {
  const plain = Buffer.alloc(16);
  plain.writeBigUInt64BE(BigInt(nowSeconds), 0);
  randomBytes(4).copy(plain, 8);
  plain.writeUInt32BE(crc32(plain.subarray(0, 12)), 12);
  const c = createCipheriv('aes-128-ecb', kdf16(key, 'AES Auth ID Encryption'), null);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(plain), c.final()]);
}

/** Seals a request header with cmdKey (the AEAD header format). */
export function sealHeader(key: Buffer, header: Buffer, authId: Buffer = createAuthId(key)): Buffer {
  const nonce = randomBytes(8);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(header.length, 0);
  const sealedLength = gcmSeal(kdf16(key, 'VMess Header AEAD Key_Length', authId, nonce), kdf(key, 'VMess Header AEAD Nonce_Length', authId, nonce).subarray(0, 12), length, authId);
  const sealedHeader = gcmSeal(kdf16(key, 'VMess Header AEAD Key', authId, nonce), kdf(key, 'VMess Header AEAD Nonce', authId, nonce).subarray(0, 12), header, authId);
  return Buffer.concat([authId, sealedLength, nonce, sealedHeader]);
}

export const SECURITY_CODES = { 'aes-128-gcm': 3, 'chacha20-poly1305': 4, none: 5 } as const;
export type BodySecurity = keyof typeof SECURITY_CODES;

export const OPTION_CHUNK_STREAM = 0x01;
export const OPTION_CHUNK_MASKING = 0x04;
export const OPTION_GLOBAL_PADDING = 0x08;

export interface RequestSecrets {
  bodyKey: Buffer;
  bodyIv: Buffer;
  /** The response authentication byte V. */
  auth: number;
}

/** The plaintext request header for a TCP connection to dest. */
export function requestHeader(dest: Destination, security: BodySecurity, options: number, secrets: RequestSecrets): Buffer {
  const pad = (randomBytes(1)[0] ?? 0) & 0x0f;
  const fixed = Buffer.concat([
    Buffer.from([1]), secrets.bodyIv, secrets.bodyKey,
    Buffer.from([secrets.auth, options, (pad << 4) | SECURITY_CODES[security], 0, 1]),
    encodeV2Address(dest), randomBytes(pad),
  ]);
  const check = Buffer.alloc(4);
  check.writeUInt32BE(fnv1a32(fixed), 0);
  return Buffer.concat([fixed, check]);
}

/** Response body key and IV: SHA-256 of the request's, first 16 bytes (AEAD mode). */
export function responseSecrets(secrets: RequestSecrets): { key: Buffer; iv: Buffer } {
  return {
    key: createHash('sha256').update(secrets.bodyKey).digest().subarray(0, 16),
    iv: createHash('sha256').update(secrets.bodyIv).digest().subarray(0, 16),
  };
}

/**
 * Opens the response header at the start of `received`: the number of bytes it took once complete,
 * null while incomplete; throws when it does not authenticate or V differs.
 */
export function openResponseHeader(received: Buffer, response: { key: Buffer; iv: Buffer }, auth: number): number | null {
  if (received.length < 2 + TAG) return null;
  const lengthBlock = gcmOpen(kdf16(response.key, 'AEAD Resp Header Len Key'), kdf(response.iv, 'AEAD Resp Header Len IV').subarray(0, 12), received.subarray(0, 2 + TAG), 'reply header length');
  const length = lengthBlock.readUInt16BE(0);
  const total = 2 + TAG + length + TAG;
  if (received.length < total) return null;
  const header = gcmOpen(kdf16(response.key, 'AEAD Resp Header Key'), kdf(response.iv, 'AEAD Resp Header IV').subarray(0, 12), received.subarray(2 + TAG, total), 'reply header');
  if (header.length < 4 || header[0] !== auth) throw new Error('the server\'s reply header does not match our request');
  return total;
}
