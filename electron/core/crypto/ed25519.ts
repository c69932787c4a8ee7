// Ed25519 through node:crypto: key generation, signing with a domain prefix, key ids.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { decodeBase64Url, encodeBase64Url, toHex, utf8 } from '../../../shared/base64url.ts';

export interface SecretKey {
  /** base64url raw 32-byte public key */
  publicKey: string;
  /** base64url raw 32-byte seed */
  seed: string;
}

export function generateKey(): SecretKey {
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' });
  if (!jwk.d || !jwk.x) throw new Error('node:crypto returned an Ed25519 key without d/x');
  return { publicKey: jwk.x, seed: jwk.d };
}

function privateKeyObject(key: SecretKey): KeyObject {
  return createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', d: key.seed, x: key.publicKey }, format: 'jwk' });
}

const publicKeyCache = new Map<string, KeyObject>();
function publicKeyObject(publicKey: string): KeyObject {
  let k = publicKeyCache.get(publicKey);
  if (!k) {
    k = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey }, format: 'jwk' });
    if (publicKeyCache.size > 1000) publicKeyCache.clear();
    publicKeyCache.set(publicKey, k);
  }
  return k;
}

export function signBytes(key: SecretKey, domain: string, payload: Uint8Array): string {
  return encodeBase64Url(sign(null, withDomain(domain, payload), privateKeyObject(key)));
}

/** Raw 64-byte signature form, for compact codes. */
export function signRaw(key: SecretKey, domain: string, payload: Uint8Array): Uint8Array {
  return new Uint8Array(sign(null, withDomain(domain, payload), privateKeyObject(key)));
}

export function verifyBytes(publicKey: string, domain: string, payload: Uint8Array, signature: string | Uint8Array): boolean {
  const sig = typeof signature === 'string' ? decodeBase64Url(signature) : signature;
  if (!sig || sig.length !== 64) return false;
  try {
    return verify(null, withDomain(domain, payload), publicKeyObject(publicKey), sig);
  } catch {
    return false;
  }
}

function withDomain(domain: string, payload: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(domain, 'utf8'), payload]);
}

export function publicKeyBytes(publicKey: string): Uint8Array {
  const raw = decodeBase64Url(publicKey);
  if (!raw || raw.length !== 32) throw new Error('not an Ed25519 public key');
  return raw;
}

/** 8-byte key id (hex), like minisign's: the first bytes of SHA-256 of the raw public key. */
export function keyIdOf(publicKey: string): string {
  return toHex(keyIdBytes(publicKey));
}

export function keyIdBytes(publicKey: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(publicKeyBytes(publicKey)).digest().subarray(0, 8));
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * A publisher's id: derived from its first root key set and threshold, so it stays the
 * same across root rotations. A single-key publisher's id is a function of its key alone.
 */
export function publisherIdFor(rootKeys: string[], threshold: number): string {
  const material = `${[...rootKeys].sort().join('\n')}\n${threshold}`;
  const digest = createHash('sha256').update(utf8(`porthole-publisher-v1\n${material}`)).digest();
  let bits = 0;
  let acc = 0;
  let out = '';
  for (const byte of digest.subarray(0, 10)) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += BASE32[(acc >> bits) & 31];
    }
  }
  return out;
}

export function sha256(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(bytes).digest());
}
