// AES-GCM for the 2-byte length block of every Shadowsocks chunk, without a cipher object per block.
//
// node:crypto needs a whole GCM cipher object (key schedule, GHASH set-up, an output Buffer, final,
// getAuthTag) to seal 2 bytes: ~4 µs, a quarter of the AES cost per 16 KiB chunk. For a 2-byte
// block with a 96-bit nonce N, GCM reduces to (SP 800-38D):
//   J0 = N || 00000001        C   = P xor E_K(J0 + 1)[0..1]
//   tag = E_K(J0) xor GHASH_H(C padded || L) = E_K(J0) xor C·H² xor L·H
// with H = E_K(0^128) and L the lengths block (no associated data, 16 bits of ciphertext). The E_K
// blocks for the next length blocks (their nonces are known ahead: the stream's nonce counter goes
// up by 2 per chunk) come from ONE reused AES-ECB cipher in one update() per batch, and C·H² is the
// xor of precomputed x^i·H² over the 16 bits of C. Written by hand because no maintained library
// seals a GCM block without a per-block cipher object; @noble/ciphers' GHASH is not used because it
// looks up key-derived tables by secret-dependent bits (a cache-timing leak of H).
// Constant time: H, H² and L·H are derived with masks (no branch or index on a key bit); per block,
// every one of the 16 table rows is read and masked by a bit of C, which is public (on the wire)
// anyway; the tag is compared by or-ing the xor of all words.
// GcmLengthBlocks.create() checks itself against node:crypto once per cipher and returns null (the
// caller keeps its per-block cipher objects) if ECB is missing or the answers differ.
import { createCipheriv, randomBytes } from 'node:crypto';
import type { Cipher } from 'node:crypto';

export type GcmName = 'aes-256-gcm' | 'aes-128-gcm';

type Words = [number, number, number, number];

/** Z = X·Y in GF(2^128) with GCM's bit order, branch-free in both operands. */
function multiply(x: Words, y: Words): Words {
  let z0 = 0, z1 = 0, z2 = 0, z3 = 0;
  let [v0, v1, v2, v3] = y;
  for (let i = 0; i < 128; i++) {
    const m = -(((x[i >>> 5] as number) >>> (31 - (i & 31))) & 1);
    z0 ^= v0 & m; z1 ^= v1 & m; z2 ^= v2 & m; z3 ^= v3 & m;
    const lsb = v3 & 1;
    v3 = (v3 >>> 1) | (v2 << 31);
    v2 = (v2 >>> 1) | (v1 << 31);
    v1 = (v1 >>> 1) | (v0 << 31);
    v0 = (v0 >>> 1) ^ (0xe1000000 & -lsb);
  }
  return [z0 | 0, z1 | 0, z2 | 0, z3 | 0];
}

function incrementNonce(nonce: Buffer): void {
  for (let i = 0; i < 12; i++) {
    nonce[i] = ((nonce[i] ?? 0) + 1) & 0xff;
    if (nonce[i] !== 0) return;
  }
}

const MAX_BATCH = 64;
const checked = new Map<GcmName, boolean>();

export class GcmLengthBlocks {
  private readonly ecb: Cipher;
  /** Rows i = 0..15: x^i·H² as 4 big-endian words (the contribution of bit i of the 2-byte block). */
  private readonly table = new Int32Array(64);
  /** L·H as words. */
  private readonly lh: Words;
  /** The tag open() expects (scratch). */
  private readonly expected = Buffer.alloc(16);
  /** E_K(J0) then E_K(J0 + 1) for each length block of the batch, 32 bytes per block. */
  private pads = Buffer.alloc(0);
  /** The nonce of the batch's first block as two 48-bit little-endian halves, the batch's size. */
  private low = -1;
  private high = -1;
  private count = 0;
  private nextBatch = 4;

  private constructor(name: GcmName, subkey: Buffer) {
    this.ecb = createCipheriv(name === 'aes-256-gcm' ? 'aes-256-ecb' : 'aes-128-ecb', subkey, null);
    this.ecb.setAutoPadding(false);
    const hBlock = this.ecb.update(Buffer.alloc(16));
    const h: Words = [hBlock.readInt32BE(0), hBlock.readInt32BE(4), hBlock.readInt32BE(8), hBlock.readInt32BE(12)];
    this.lh = multiply([0, 0, 0, 16], h);
    let [r0, r1, r2, r3] = multiply(h, h);
    for (let i = 0; i < 16; i++) {
      this.table.set([r0, r1, r2, r3], 4 * i);
      // ·x for the next bit (the bit shifted out is public: x^i·H² has i < 16, but keep it branch-free).
      const lsb = r3 & 1;
      r3 = (r3 >>> 1) | (r2 << 31);
      r2 = (r2 >>> 1) | (r1 << 31);
      r1 = (r1 >>> 1) | (r0 << 31);
      r0 = (r0 >>> 1) ^ (0xe1000000 & -lsb);
    }
    hBlock.fill(0);
  }

  /** The length-block sealer for `name` under `subkey`, or null when this Node cannot do it right. */
  static create(name: GcmName, subkey: Buffer): GcmLengthBlocks | null {
    let ok = checked.get(name);
    if (ok === undefined) {
      ok = GcmLengthBlocks.selfCheck(name);
      checked.set(name, ok);
    }
    if (!ok) return null;
    try {
      return new GcmLengthBlocks(name, subkey);
    } catch {
      return null;
    }
  }

  /** Seals the 2 bytes of `block` in place and writes the 16-byte tag into `tag`. */
  seal(nonce: Buffer, block: Buffer, tag: Buffer): void {
    const at = this.padFor(nonce);
    const pads = this.pads;
    const c0 = ((block[0] as number) ^ (pads[at + 16] as number)) & 0xff;
    const c1 = ((block[1] as number) ^ (pads[at + 17] as number)) & 0xff;
    block[0] = c0;
    block[1] = c1;
    this.tagOf((c0 << 8) | c1, at, tag);
  }

  /** Opens the 2 bytes of `block` in place if `tag` authenticates them; false (block untouched) if not. */
  open(nonce: Buffer, block: Buffer, tag: Buffer): boolean {
    const at = this.padFor(nonce);
    const c0 = block[0] as number;
    const c1 = block[1] as number;
    const a = this.expected;
    this.tagOf((c0 << 8) | c1, at, a);
    const diff = (a.readInt32BE(0) ^ tag.readInt32BE(0)) | (a.readInt32BE(4) ^ tag.readInt32BE(4))
      | (a.readInt32BE(8) ^ tag.readInt32BE(8)) | (a.readInt32BE(12) ^ tag.readInt32BE(12));
    if (diff !== 0) return false;
    block[0] = c0 ^ (this.pads[at + 16] as number);
    block[1] = c1 ^ (this.pads[at + 17] as number);
    return true;
  }

  /** E_K(J0) xor L·H xor C·H², written into `out`. */
  private tagOf(bits: number, at: number, out: Buffer): void {
    const pads = this.pads;
    const t = this.table;
    let a0 = pads.readInt32BE(at) ^ this.lh[0];
    let a1 = pads.readInt32BE(at + 4) ^ this.lh[1];
    let a2 = pads.readInt32BE(at + 8) ^ this.lh[2];
    let a3 = pads.readInt32BE(at + 12) ^ this.lh[3];
    for (let i = 0; i < 16; i++) {
      const m = -((bits >>> (15 - i)) & 1);
      const r = 4 * i;
      a0 ^= (t[r] as number) & m;
      a1 ^= (t[r + 1] as number) & m;
      a2 ^= (t[r + 2] as number) & m;
      a3 ^= (t[r + 3] as number) & m;
    }
    out.writeInt32BE(a0, 0);
    out.writeInt32BE(a1, 4);
    out.writeInt32BE(a2, 8);
    out.writeInt32BE(a3, 12);
  }

  /** Offset in `pads` of E_K(J0) for `nonce`: from the current batch, or a new batch starting at `nonce`. */
  private padFor(nonce: Buffer): number {
    const low = nonce.readUIntLE(0, 6);
    const high = nonce.readUIntLE(6, 6);
    if (high === this.high) {
      const step = low - this.low;
      if (step >= 0 && (step & 1) === 0 && step < 2 * this.count) return step * 16;
    }
    this.refill(nonce, low, high);
    return 0;
  }

  /** Encrypts J0 and J0 + 1 for the next `count` length blocks (nonces `nonce`, +2, +4, ...). */
  private refill(nonce: Buffer, low: number, high: number): void {
    const count = this.nextBatch;
    if (this.nextBatch < MAX_BATCH) this.nextBatch *= 2;
    // Not kept between batches: an idle stream holds only its pads (at most 2 KiB).
    const counters = Buffer.allocUnsafe(32 * count);
    const n = Buffer.from(nonce);
    for (let j = 0; j < count; j++) {
      const at = 32 * j;
      n.copy(counters, at);
      counters.writeUInt32BE(1, at + 12);
      n.copy(counters, at + 16);
      counters.writeUInt32BE(2, at + 28);
      incrementNonce(n);
      incrementNonce(n);
    }
    this.pads = this.ecb.update(counters);
    // A batch whose nonces cross a 48-bit boundary is only used up to it (padFor compares halves).
    this.low = low;
    this.high = high;
    this.count = Math.min(count, Math.floor((2 ** 48 - 1 - low) / 2) + 1);
  }

  /** Seals and opens random 2-byte blocks both ways and compares with node:crypto's own GCM. */
  private static selfCheck(name: GcmName): boolean {
    try {
      const key = randomBytes(name === 'aes-256-gcm' ? 32 : 16);
      const fast = new GcmLengthBlocks(name, key);
      const nonce = randomBytes(12);
      for (let k = 0; k < 3; k++) {
        const plain = randomBytes(2);
        const reference = createCipheriv(name, key, nonce, { authTagLength: 16 });
        const sealed = Buffer.concat([reference.update(plain), reference.final()]);
        const tag = reference.getAuthTag();
        const block = Buffer.from(plain);
        const ourTag = Buffer.alloc(16);
        fast.seal(nonce, block, ourTag);
        if (!block.equals(sealed) || !ourTag.equals(tag) || !fast.open(nonce, block, ourTag) || !block.equals(plain)) return false;
        incrementNonce(nonce);
        incrementNonce(nonce);
      }
      return true;
    } catch {
      return false;
    }
  }
}
