// Shadowsocks AEAD framing (SIP004), written by hand on node:crypto because no maintained npm
// library implements a Shadowsocks AEAD client.
//
//   key      = EVP_BytesToKey(MD5, password)                  (keyLength bytes)
//   stream   = salt (keyLength random bytes) then chunks
//   subkey   = HKDF-SHA1(key, salt, info "ss-subkey")         (one per direction)
//   chunk    = seal(2-byte big-endian payload length) || seal(payload), payload <= 0x3FFF
//   seal(x)  = AEAD(subkey, nonce, x) || 16-byte tag; the 12-byte little-endian nonce counter
//              starts at 0 and is incremented after every seal/open.
// The AEAD itself comes from the cipher provider (shadowsocks-crypto.ts: sodium-native, node:crypto or
// @noble/ciphers); this file only frames. Sealer and opener work on bytes, so the stream can run over
// any duplex (TCP, WebSocket, ...).
import { PortholeError } from '../../../../shared/errors.ts';
import { createHash, hkdfSync, randomBytes } from 'node:crypto';
import type { SsCipher } from '../../../../shared/entry.ts';
import { getDefaultProvider, TAG_LENGTH } from './shadowsocks-crypto.ts';
import type { AeadBlockCipher, CipherProvider } from './shadowsocks-crypto.ts';

export { TAG_LENGTH };
export const NONCE_LENGTH = 12;
export const MAX_PAYLOAD = 0x3fff;
/** Overhead of one chunk: sealed length (2 + tag) and the payload's tag. */
export const CHUNK_OVERHEAD = 2 + TAG_LENGTH + TAG_LENGTH;

export interface CipherSpec {
  name: SsCipher;
  keyLength: number;
  /** Equal to keyLength for all SIP004 ciphers. */
  saltLength: number;
}

export const CIPHER_SPECS: Readonly<Record<SsCipher, CipherSpec>> = {
  'chacha20-ietf-poly1305': { name: 'chacha20-ietf-poly1305', keyLength: 32, saltLength: 32 },
  'aes-256-gcm': { name: 'aes-256-gcm', keyLength: 32, saltLength: 32 },
  'aes-128-gcm': { name: 'aes-128-gcm', keyLength: 16, saltLength: 16 },
};

/** OpenSSL's EVP_BytesToKey with MD5, one iteration, no salt: the Shadowsocks master key. */
export function evpBytesToKey(password: string, keyLength: number): Buffer {
  const secret = Buffer.from(password, 'utf8');
  const parts: Buffer[] = [];
  let length = 0;
  let previous = Buffer.alloc(0);
  while (length < keyLength) {
    previous = createHash('md5').update(previous).update(secret).digest();
    parts.push(previous);
    length += previous.length;
  }
  return Buffer.concat(parts).subarray(0, keyLength);
}

export function deriveSubkey(key: Buffer, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha1', key, salt, 'ss-subkey', key.length));
}

function incrementNonce(nonce: Buffer): void {
  for (let i = 0; i < NONCE_LENGTH; i++) {
    nonce[i] = ((nonce[i] ?? 0) + 1) & 0xff;
    if (nonce[i] !== 0) return;
  }
}

/** The number of bytes seal() produces for `payloadLength` plaintext bytes (plus the salt when first). */
export function sealedLength(payloadLength: number, withSalt: number): number {
  return withSalt + payloadLength + Math.ceil(payloadLength / MAX_PAYLOAD) * CHUNK_OVERHEAD;
}

function totalLength(parts: readonly Buffer[]): number {
  let total = 0;
  for (const part of parts) total += part.length;
  return total;
}

/** Encrypts one direction: salt first, then chunks. */
export class AeadSealer {
  readonly spec: CipherSpec;
  readonly salt: Buffer;
  private readonly aead: AeadBlockCipher;
  private readonly nonce = Buffer.alloc(NONCE_LENGTH);
  private saltSent = false;

  constructor(spec: CipherSpec, key: Buffer, salt: Buffer = randomBytes(spec.saltLength), provider: CipherProvider = getDefaultProvider()) {
    if (key.length !== spec.keyLength || salt.length !== spec.saltLength) throw new RangeError('AeadSealer: key or salt of the wrong length');
    this.spec = spec;
    this.salt = salt;
    this.aead = provider.cipher(spec.name, deriveSubkey(key, salt));
  }

  /**
   * Seals the concatenation of `parts` as chunks of at most MAX_PAYLOAD bytes (preceded by the salt on
   * the first call) into ONE new buffer appended to `out` (see sealInto), so a batch costs one allocation and one socket write instead of a buffer (and a
   * writev entry) per length block, payload and tag. Returns the number of bytes appended.
   */
  sealTo(parts: readonly Buffer[], out: Buffer[]): number {
    const size = sealedLength(totalLength(parts), this.saltSent ? 0 : this.salt.length);
    if (size === 0) return 0;
    const wire = Buffer.allocUnsafe(size);
    this.sealInto(parts, wire);
    out.push(wire);
    return size;
  }

  /** The bytes the next seal of `parts` takes (the salt included while it is unsent). */
  sizeOf(parts: readonly Buffer[]): number {
    return sealedLength(totalLength(parts), this.saltSent ? 0 : this.salt.length);
  }

  /**
   * Seals the concatenation of `parts` into the front of `wire` (at least sizeOf(parts) bytes, e.g. a
   * reused buffer; it must not overlap `parts`): each chunk is sealed from the parts straight into
   * place where the cipher backend can, else copied there and sealed in place. Returns the bytes written.
   */
  sealInto(parts: readonly Buffer[], wire: Buffer): number {
    const total = totalLength(parts);
    const size = this.sizeOf(parts);
    if (wire.length < size) throw new RangeError('AeadSealer: the buffer is too small for this seal');
    let at = 0;
    if (!this.saltSent) {
      this.saltSent = true;
      at += this.salt.copy(wire, 0);
    }
    let partIndex = 0;
    let partOffset = 0;
    let remaining = total;
    while (remaining > 0) {
      const n = remaining < MAX_PAYLOAD ? remaining : MAX_PAYLOAD;
      wire.writeUInt16BE(n, at);
      this.aead.sealInPlace(this.nonce, wire.subarray(at, at + 2), wire.subarray(at + 2, at + 2 + TAG_LENGTH));
      incrementNonce(this.nonce);
      at += 2 + TAG_LENGTH;
      // The chunk's plaintext as views of the parts (usually one), sealed straight into the wire
      // where the backend can; otherwise copied there and sealed in place.
      const pieces: Buffer[] = [];
      let need = n;
      while (need > 0) {
        const part = parts[partIndex] as Buffer;
        const available = part.length - partOffset;
        if (available === 0) {
          partIndex++;
          partOffset = 0;
          continue;
        }
        const take = available < need ? available : need;
        pieces.push(part.subarray(partOffset, partOffset + take));
        partOffset += take;
        need -= take;
      }
      const body = wire.subarray(at, at + n);
      const tag = wire.subarray(at + n, at + n + TAG_LENGTH);
      if (this.aead.sealFrom) this.aead.sealFrom(this.nonce, pieces, body, tag);
      else {
        let copied = 0;
        for (const piece of pieces) copied += piece.copy(body, copied);
        this.aead.sealInPlace(this.nonce, body, tag);
      }
      incrementNonce(this.nonce);
      at += n;
      at += TAG_LENGTH;
      remaining -= n;
    }
    return size;
  }

  /** sealTo() as one contiguous buffer. */
  seal(parts: readonly Buffer[]): Buffer {
    const out: Buffer[] = [];
    const length = this.sealTo(parts, out);
    return Buffer.concat(out, length);
  }
}

/**
 * Decrypts one direction incrementally: feed it whatever arrived, get back the plaintext of every
 * chunk that is complete. Keeps at most one incomplete unit (the salt, a length block, or a payload
 * of <= 0x3FFF + 16 bytes) buffered.
 *
 * Chunks that lie wholly inside one arrival are opened IN PLACE (or, where the cipher backend can,
 * straight to their final place) and their payloads moved together at the front of it, so an arrival
 * costs no allocation of ours and comes back as one view: `data` is
 * overwritten, and the returned buffers point into it (and into a copy only for a chunk that spans
 * two arrivals).
 */
export class AeadOpener {
  readonly spec: CipherSpec;
  private readonly key: Buffer;
  private readonly provider: CipherProvider;
  private aead: AeadBlockCipher | null = null;
  private readonly nonce = Buffer.alloc(NONCE_LENGTH);
  /** An incomplete unit's bytes so far (views of earlier arrivals). */
  private readonly queue: Buffer[] = [];
  private queued = 0;
  /** Payload length of the chunk whose length block was opened already, or -1. */
  private payloadLength = -1;
  private failed = false;

  constructor(spec: CipherSpec, key: Buffer, provider: CipherProvider = getDefaultProvider()) {
    if (key.length !== spec.keyLength) throw new RangeError('AeadOpener: key of the wrong length');
    this.spec = spec;
    this.key = key;
    this.provider = provider;
  }

  /** Bytes received but not yet part of a complete chunk. */
  get buffered(): number {
    return this.queued;
  }

  /** True once any ciphertext arrived (the salt counts). */
  get started(): boolean {
    return this.aead !== null || this.queued > 0;
  }

  /** True when a chunk (or the salt) was started but is incomplete: a truncated stream if it ends here. */
  get midChunk(): boolean {
    return this.queued > 0 || this.payloadLength >= 0;
  }

  /** Size of the next unit to read: the salt, a sealed length block, or a sealed payload. */
  private unitSize(): number {
    if (this.aead === null) return this.spec.saltLength;
    return this.payloadLength < 0 ? 2 + TAG_LENGTH : this.payloadLength + TAG_LENGTH;
  }

  /**
   * Plaintext of the chunks completed by `data`, in order (overwrites `data`, see the class comment).
   * Throws a PortholeError 'auth' on a bad tag or length.
   */
  open(data: Buffer): Buffer[] {
    if (this.failed) throw new PortholeError('auth', 'stream already failed authentication');
    const out: Buffer[] = [];
    let at = 0;
    // A unit begun in an earlier arrival: completed from the front of this one, opened in a copy.
    while (this.queued > 0 && at < data.length) {
      const size = this.unitSize();
      const take = Math.min(size - this.queued, data.length - at);
      this.queue.push(data.subarray(at, at + take));
      this.queued += take;
      at += take;
      if (this.queued < size) return out;
      const unit = Buffer.concat(this.queue, size);
      this.queue.length = 0;
      this.queued = 0;
      const plain = this.unit(unit);
      if (plain) out.push(plain);
    }
    // Units wholly inside `data`: opened where they lie, payloads moved down to `write`.
    const first = at;
    let write = at;
    for (;;) {
      const size = this.unitSize();
      if (data.length - at < size) break;
      write += this.unitTo(data.subarray(at, at + size), data, write);
      at += size;
    }
    if (write > first) out.push(data.subarray(first, write));
    if (at < data.length) {
      this.queue.push(data.subarray(at));
      this.queued = data.length - at;
    }
    return out;
  }

  /**
   * unit() for a unit lying in `data` after `write`: the payload's plaintext goes to data[write...]
   * (straight from the cipher where the backend can). Returns the bytes written there.
   */
  private unitTo(unit: Buffer, data: Buffer, write: number): number {
    const aead = this.aead;
    if (aead?.openTo && this.payloadLength >= 0) {
      const body = unit.subarray(0, unit.length - TAG_LENGTH);
      if (!aead.openTo(this.nonce, body, unit.subarray(body.length), data.subarray(write, write + body.length))) this.fail('payload');
      incrementNonce(this.nonce);
      this.payloadLength = -1;
      return body.length;
    }
    const plain = this.unit(unit);
    return plain ? plain.copy(data, write) : 0;
  }

  private fail(what: 'length' | 'payload'): never {
    this.failed = true;
    throw new PortholeError('auth', `${what} chunk failed authentication (wrong password or cipher, or the data was tampered with)`);
  }

  /** Consumes one whole unit (opened in place): the payload's plaintext view, or null for salt and length. */
  private unit(unit: Buffer): Buffer | null {
    if (this.aead === null) {
      this.aead = this.provider.cipher(this.spec.name, deriveSubkey(this.key, unit));
      return null;
    }
    const body = unit.subarray(0, unit.length - TAG_LENGTH);
    if (!this.aead.openInPlace(this.nonce, body, unit.subarray(unit.length - TAG_LENGTH))) this.fail(this.payloadLength < 0 ? 'length' : 'payload');
    incrementNonce(this.nonce);
    if (this.payloadLength < 0) {
      const n = body.readUInt16BE(0);
      if (n > MAX_PAYLOAD) {
        this.failed = true;
        throw new PortholeError('auth', `chunk length ${n} exceeds 0x3FFF`);
      }
      this.payloadLength = n;
      return null;
    }
    this.payloadLength = -1;
    return body.length > 0 ? body : null;
  }
}
