// The AES-GCM length-block shortcut against node:crypto's own GCM, byte for byte: random keys,
// nonces in the stream's order (+2 per chunk, across batch refills and a 48-bit carry) and out of
// order, both directions, and every tampered byte refused without touching the block.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GcmLengthBlocks } from './shadowsocks-gcm-length.ts';
import type { GcmName } from './shadowsocks-gcm-length.ts';

function reference(name: GcmName, key: Buffer, nonce: Buffer, plain: Buffer): { sealed: Buffer; tag: Buffer } {
  const c = createCipheriv(name, key, nonce, { authTagLength: 16 });
  const sealed = Buffer.concat([c.update(plain), c.final()]);
  return { sealed, tag: c.getAuthTag() };
}

function referenceOpens(name: GcmName, key: Buffer, nonce: Buffer, sealed: Buffer, tag: Buffer): Buffer | null {
  const d = createDecipheriv(name, key, nonce, { authTagLength: 16 });
  d.setAuthTag(tag);
  try {
    return Buffer.concat([d.update(sealed), d.final()]);
  } catch {
    return null;
  }
}

function addToNonce(nonce: Buffer, n: number): Buffer {
  const out = Buffer.from(nonce);
  let carry = n;
  for (let i = 0; i < 12 && carry > 0; i++) {
    const sum = (out[i] ?? 0) + (carry % 256);
    out[i] = sum & 0xff;
    carry = Math.floor(carry / 256) + (sum >> 8);
  }
  return out;
}

describe.each(['aes-256-gcm', 'aes-128-gcm'] as const)('GCM length blocks, %s', (name) => {
  const keyLength = name === 'aes-256-gcm' ? 32 : 16;

  it('seals exactly what node:crypto seals, and opens what it sealed, for a stream of nonces', () => {
    for (const start of [Buffer.alloc(12), randomBytes(12), Buffer.from('fcffffffffff000000000000', 'hex'), Buffer.from('feffffffffffffffffffffff', 'hex')]) {
      const key = randomBytes(keyLength);
      const sealer = GcmLengthBlocks.create(name, key);
      const opener = GcmLengthBlocks.create(name, key);
      expect(sealer).not.toBeNull();
      if (!sealer || !opener) return;
      // 300 chunks: batches of 4, 8, ... 64 and several refills at the largest size.
      for (let k = 0; k < 300; k++) {
        const nonce = addToNonce(start, 2 * k);
        const plain = randomBytes(2);
        const want = reference(name, key, nonce, plain);
        const block = Buffer.from(plain);
        const tag = Buffer.alloc(16);
        sealer.seal(nonce, block, tag);
        expect(block.equals(want.sealed), `ciphertext at chunk ${k}`).toBe(true);
        expect(tag.equals(want.tag), `tag at chunk ${k}`).toBe(true);
        expect(referenceOpens(name, key, nonce, block, tag)?.equals(plain)).toBe(true);
        const incoming = Buffer.from(want.sealed);
        expect(opener.open(nonce, incoming, want.tag)).toBe(true);
        expect(incoming.equals(plain)).toBe(true);
      }
    }
  });

  it('gives the right answer for any nonce order (a jump back, an odd step, a repeat)', () => {
    const key = randomBytes(keyLength);
    const fast = GcmLengthBlocks.create(name, key);
    if (!fast) throw new Error('no fast path');
    const base = randomBytes(12);
    for (const step of [0, 2, 4, 1, 3, 0, 200, 2, 7, 7, 6]) {
      const nonce = addToNonce(base, step);
      const plain = randomBytes(2);
      const block = Buffer.from(plain);
      const tag = Buffer.alloc(16);
      fast.seal(nonce, block, tag);
      const want = reference(name, key, nonce, plain);
      expect(block.equals(want.sealed) && tag.equals(want.tag), `step ${step}`).toBe(true);
    }
  });

  it('refuses every flipped bit of the ciphertext or the tag, a wrong nonce and a wrong key, leaving the block as it was', () => {
    const key = randomBytes(keyLength);
    const nonce = randomBytes(12);
    const plain = Buffer.from([0x3f, 0xff]);
    const { sealed, tag } = reference(name, key, nonce, plain);
    const fast = GcmLengthBlocks.create(name, key);
    if (!fast) throw new Error('no fast path');
    for (let bit = 0; bit < 8 * 18; bit++) {
      const block = Buffer.from(sealed);
      const badTag = Buffer.from(tag);
      if (bit < 16) block[bit >> 3] = (block[bit >> 3] ?? 0) ^ (1 << (bit & 7));
      else badTag[(bit - 16) >> 3] = (badTag[(bit - 16) >> 3] ?? 0) ^ (1 << (bit & 7));
      const before = Buffer.from(block);
      expect(fast.open(nonce, block, badTag), `bit ${bit}`).toBe(false);
      expect(block.equals(before)).toBe(true);
    }
    expect(fast.open(addToNonce(nonce, 2), Buffer.from(sealed), tag)).toBe(false);
    expect(GcmLengthBlocks.create(name, randomBytes(keyLength))?.open(nonce, Buffer.from(sealed), tag)).toBe(false);
    const good = Buffer.from(sealed);
    expect(fast.open(nonce, good, tag)).toBe(true);
    expect(good.equals(plain)).toBe(true);
  });
});
