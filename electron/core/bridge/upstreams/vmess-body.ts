// VMess body chunks (alterId 0), written by hand from the public protocol description:
//   chunk   = size (2 bytes, big-endian, XOR the next 2 bytes of SHAKE128(IV) when masking)
//             || sealed payload (AEAD ciphers: ciphertext + 16-byte tag; 'none': plaintext) || padding
//   padding = with global padding, (next 2 SHAKE bytes) % 64 random bytes, drawn before the size mask
//   nonce   = chunk counter (2 bytes, BE) || IV[2..12]; chacha20-poly1305 key = MD5(k) || MD5(MD5(k))
//   end     = a chunk whose payload is empty
// The AEAD comes from the Shadowsocks cipher provider (same primitives, and Electron's BoringSSL lacks
// chacha20-poly1305); SHAKE128 from @noble/hashes (BoringSSL has no SHAKE either).
import { createHash, randomBytes } from 'node:crypto';
import { shake128 } from '@noble/hashes/sha3.js';
import { getDefaultProvider } from './shadowsocks-crypto.ts';
import type { AeadBlockCipher, CipherProvider } from './shadowsocks-crypto.ts';
import type { BodySecurity } from './vmess-aead.ts';

const TAG = 16;
/** Plaintext per chunk: v2ray reads chunks up to 32 KiB including tag and padding. */
export const MAX_CHUNK_PAYLOAD = 16 * 1024;

/** The SHAKE128 output stream of an IV, read two bytes at a time. */
export class ShakeStream {
  private readonly xof: ReturnType<typeof shake128.create>;
  private out: Buffer = Buffer.alloc(0);
  private offset = 0;

  constructor(seed: Buffer) {
    this.xof = shake128.create({}).update(seed);
  }

  next16(): number {
    if (this.offset + 2 > this.out.length) {
      this.out = Buffer.from(this.xof.xof(this.out.length === 0 ? 168 : 4096));
      this.offset = 0;
    }
    const value = this.out.readUInt16BE(this.offset);
    this.offset += 2;
    return value;
  }
}

export interface BodyOptions {
  security: BodySecurity;
  key: Buffer;
  iv: Buffer;
  masking: boolean;
  padding: boolean;
  /** Which library does the AEAD (default: the process-wide provider). */
  provider?: CipherProvider;
}

function cipherKey(options: BodyOptions): Buffer {
  if (options.security !== 'chacha20-poly1305') return options.key;
  const first = createHash('md5').update(options.key).digest();
  return Buffer.concat([first, createHash('md5').update(first).digest()]);
}

class BodyState {
  protected readonly options: BodyOptions;
  protected readonly key: Buffer;
  protected readonly nonce: Buffer;
  protected readonly shake: ShakeStream | null;
  /** Null for 'none'. */
  protected readonly cipher: AeadBlockCipher | null;
  private count = 0;

  constructor(options: BodyOptions) {
    this.options = options;
    this.key = cipherKey(options);
    const provider = options.provider ?? getDefaultProvider();
    this.cipher = options.security === 'none' ? null : provider.cipher(options.security === 'chacha20-poly1305' ? 'chacha20-ietf-poly1305' : 'aes-128-gcm', this.key);
    this.nonce = Buffer.alloc(12);
    options.iv.copy(this.nonce, 2, 2, 12);
    this.shake = options.masking || options.padding ? new ShakeStream(options.iv) : null;
  }

  protected nextNonce(): Buffer {
    this.nonce.writeUInt16BE(this.count & 0xffff, 0);
    this.count++;
    return this.nonce;
  }

  protected paddingLength(): number {
    return this.options.padding && this.shake ? this.shake.next16() % 64 : 0;
  }

  protected mask(): number {
    return this.options.masking && this.shake ? this.shake.next16() : 0;
  }

  protected get aead(): boolean {
    return this.cipher !== null;
  }
}

/** Seals the body of one direction into chunks. */
export class BodySealer extends BodyState {
  /** Appends the wire form of `payload` (empty = the end marker) to out. */
  sealChunk(payload: Buffer, out: Buffer[]): void {
    const padding = this.paddingLength();
    const sealedLength = payload.length + (this.aead ? TAG : 0);
    const size = Buffer.alloc(2);
    size.writeUInt16BE(((sealedLength + padding) ^ this.mask()) & 0xffff, 0);
    out.push(size);
    if (this.cipher) {
      this.cipher.seal(this.nextNonce(), payload.length > 0 ? [payload] : [], out);
    } else {
      this.nextNonce();
      if (payload.length > 0) out.push(payload);
    }
    if (padding > 0) out.push(randomBytes(padding));
  }

  /** Seals parts as chunks of at most MAX_CHUNK_PAYLOAD bytes. */
  seal(parts: readonly Buffer[], out: Buffer[]): void {
    for (const part of parts) {
      for (let offset = 0; offset < part.length; offset += MAX_CHUNK_PAYLOAD) {
        this.sealChunk(part.subarray(offset, Math.min(part.length, offset + MAX_CHUNK_PAYLOAD)), out);
      }
    }
  }
}

/** Opens the chunks of one direction incrementally. */
export class BodyOpener extends BodyState {
  private pending: Buffer = Buffer.alloc(0);
  /** Size and padding of the chunk whose size was read already, or null. */
  private current: { size: number; padding: number } | null = null;
  private ended = false;

  /** True when part of a chunk was received: a stream ending here was cut. */
  get midChunk(): boolean {
    return !this.ended && (this.pending.length > 0 || this.current !== null);
  }

  /** Plaintext of the chunks completed by data; `end` once the end marker arrived. Throws on a bad chunk. */
  open(data: Buffer): { plain: Buffer[]; end: boolean } {
    const plain: Buffer[] = [];
    if (this.ended) return { plain, end: true };
    this.pending = this.pending.length === 0 ? data : Buffer.concat([this.pending, data]);
    let offset = 0;
    for (;;) {
      if (!this.current) {
        if (this.pending.length - offset < 2) break;
        const padding = this.paddingLength();
        const size = (this.pending.readUInt16BE(offset) ^ this.mask()) & 0xffff;
        offset += 2;
        if (size < padding + (this.aead ? TAG : 0)) throw new Error(`a chunk of ${size} bytes is too short: wrong user id or cipher`);
        this.current = { size, padding };
      }
      const { size, padding } = this.current;
      if (this.pending.length - offset < size) break;
      const body = this.pending.subarray(offset, offset + size - padding);
      offset += size;
      this.current = null;
      let clear: Buffer[];
      if (this.cipher) {
        const opened = this.cipher.open(this.nextNonce(), body.length > TAG ? [body.subarray(0, body.length - TAG)] : [], body.subarray(body.length - TAG));
        if (!opened) throw new Error('a chunk failed authentication: wrong user id or cipher, or the data was tampered with');
        clear = opened.filter((piece) => piece.length > 0);
      } else {
        this.nextNonce();
        clear = body.length > 0 ? [body] : [];
      }
      if (clear.length === 0) {
        this.ended = true;
        this.pending = Buffer.alloc(0);
        return { plain, end: true };
      }
      plain.push(...clear);
    }
    this.pending = offset === 0 ? this.pending : this.pending.subarray(offset);
    if (this.pending.length === 0) this.pending = Buffer.alloc(0);
    return { plain, end: false };
  }
}
