// Cipher provider for the Shadowsocks AEAD: which library seals and opens the chunks of each cipher.
//
// Backends, tried in the provider's order, the first that passes a round-trip self-test wins per cipher:
//   sodium-native   libsodium through prebuilt N-API binaries (no compiler; loads in Electron too):
//                   chacha20-ietf-poly1305 only, measured ~2.4x node:crypto per 16 KiB chunk here
//                   because it needs no cipher object per chunk. Absent or unloadable: skipped.
//   node:crypto     OpenSSL under Node (AES-GCM's 2-byte length blocks without a cipher object each,
//                   see shadowsocks-gcm-length.ts). Electron's BoringSSL has no chacha20-poly1305
//                   (electron/electron#24024): the self-test finds that and the next backend serves it.
//   @noble/ciphers  audited pure JS, always there: the fallback (much slower, ~80 MiB/s chacha here).
// The default order is sodium,node,noble; PORTHOLE_SS_CRYPTO overrides it (a profile name below or a
// comma list of backend names). 'node-boringssl' is node:crypto with chacha20-poly1305 refused the way
// BoringSSL refuses it, so tests and the bench exercise the app's fallback path on plain Node.
import { createCipheriv, createDecipheriv } from 'node:crypto';
import type { CipherGCM } from 'node:crypto';
import { createRequire } from 'node:module';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { gcm } from '@noble/ciphers/aes.js';
import type { SsCipher } from '../../../../shared/entry.ts';
import { GcmLengthBlocks } from './shadowsocks-gcm-length.ts';
import type { GcmName } from './shadowsocks-gcm-length.ts';

export const TAG_LENGTH = 16;

/** One AEAD under one subkey, sealing and opening whole SIP004 blocks (no associated data). */
export interface AeadBlockCipher {
  /** Seals one block given as plaintext pieces; appends ciphertext then the 16-byte tag to `out`. */
  seal(nonce: Buffer, plain: readonly Buffer[], out: Buffer[]): void;
  /** Seals `block` in place (its bytes become the ciphertext) and writes the 16-byte tag into `tag`. */
  sealInPlace(nonce: Buffer, block: Buffer, tag: Buffer): void;
  /** Opens one block given as ciphertext pieces and its tag: the plaintext pieces, or null if it does not authenticate. */
  open(nonce: Buffer, sealed: readonly Buffer[], tag: Buffer): Buffer[] | null;
  /** Opens `block` in place (its bytes become the plaintext); false (and `block` unchanged or garbage) if it does not authenticate. */
  openInPlace(nonce: Buffer, block: Buffer, tag: Buffer): boolean;
  /**
   * Optional, where it saves a copy: seals the plaintext pieces into `dest` (exactly their total
   * length, not overlapping them) and writes the tag into `tag`.
   */
  sealFrom?(nonce: Buffer, plain: readonly Buffer[], dest: Buffer, tag: Buffer): void;
  /**
   * Optional, where it saves a copy: opens `block` and writes the plaintext into `dest` (as long as
   * `block`; it may overlap `block` if it starts no later). False if it does not authenticate
   * (`dest` unchanged or garbage).
   */
  openTo?(nonce: Buffer, block: Buffer, tag: Buffer, dest: Buffer): boolean;
}

export interface AeadBackend {
  readonly name: string;
  /** Null when this backend does not even claim `cipher`; whether it works is the provider's self-test. */
  cipher(cipher: SsCipher, subkey: Buffer): AeadBlockCipher | null;
}

export type BackendName = 'sodium' | 'node' | 'node-boringssl' | 'noble';
export const BACKEND_NAMES: readonly BackendName[] = ['sodium', 'node', 'node-boringssl', 'noble'];
export const DEFAULT_BACKENDS: readonly BackendName[] = ['sodium', 'node', 'noble'];

/** Named provider profiles: what the app does, and the situations tests and the bench reproduce. */
export const PROVIDER_PROFILES = {
  /** The app's choice: native libsodium for chacha20, node:crypto for AES-GCM, pure JS last. */
  auto: DEFAULT_BACKENDS,
  /** node:crypto alone (Node's OpenSSL). */
  node: ['node'],
  /** Electron without the native addon: BoringSSL's node:crypto (no chacha20) then pure JS. */
  boringssl: ['node-boringssl', 'noble'],
  /** Pure JS for every cipher. */
  noble: ['noble'],
} as const satisfies Record<string, readonly BackendName[]>;
export type ProfileName = keyof typeof PROVIDER_PROFILES;

const NODE_NAMES: Record<SsCipher, 'chacha20-poly1305' | 'aes-256-gcm' | 'aes-128-gcm'> = {
  'chacha20-ietf-poly1305': 'chacha20-poly1305',
  'aes-256-gcm': 'aes-256-gcm',
  'aes-128-gcm': 'aes-128-gcm',
};

function single(pieces: readonly Buffer[]): Buffer {
  return pieces.length === 1 ? (pieces[0] as Buffer) : Buffer.concat(pieces);
}

type NodeCipherFactory = (cipher: SsCipher, key: Buffer, nonce: Buffer) => CipherGCM;

/** node:crypto; `refuse` lists ciphers to fail on as if the TLS library lacked them. */
export function nodeBackend(refuse: readonly SsCipher[] = [], name = 'node:crypto'): AeadBackend {
  const check = (cipher: SsCipher): void => {
    // The same failure BoringSSL's Node gives: createCipheriv throws for an unknown cipher.
    if (refuse.includes(cipher)) throw Object.assign(new Error('Invalid cipher type'), { code: 'ERR_CRYPTO_UNKNOWN_CIPHER' });
  };
  const encipher: NodeCipherFactory = (cipher, key, nonce) => {
    check(cipher);
    return createCipheriv(NODE_NAMES[cipher] as 'aes-256-gcm', key, nonce, { authTagLength: TAG_LENGTH });
  };
  return {
    name,
    cipher(cipher, subkey) {
      // The 2-byte length blocks of AES-GCM streams skip the cipher object (shadowsocks-gcm-length.ts)
      // from the third one on: its ~10 µs set-up pays off after 3 blocks, and most streams are short.
      let lengths: GcmLengthBlocks | null | undefined = cipher === 'chacha20-ietf-poly1305' || refuse.includes(cipher) ? null : undefined;
      let plainLengthBlocks = 0;
      const fastLengths = (): GcmLengthBlocks | null => {
        if (lengths !== undefined) return lengths;
        if (++plainLengthBlocks > 2) lengths = GcmLengthBlocks.create(cipher as GcmName, subkey);
        return lengths ?? null;
      };
      const openTo = (nonce: Buffer, block: Buffer, tag: Buffer, dest: Buffer): boolean => {
        check(cipher);
        const d = createDecipheriv(NODE_NAMES[cipher] as 'aes-256-gcm', subkey, nonce, { authTagLength: TAG_LENGTH });
        d.setAuthTag(tag);
        const clear = d.update(block);
        try {
          d.final();
        } catch {
          return false;
        }
        clear.copy(dest);
        return true;
      };
      return {
        seal(nonce, plain, out) {
          const c = encipher(cipher, subkey, nonce);
          for (const piece of plain) out.push(c.update(piece));
          c.final();
          out.push(c.getAuthTag());
        },
        sealInPlace(nonce, block, tag) {
          const fast = block.length === 2 ? fastLengths() : null;
          if (fast) {
            fast.seal(nonce, block, tag);
            return;
          }
          const c = encipher(cipher, subkey, nonce);
          c.update(block).copy(block);
          c.final();
          c.getAuthTag().copy(tag);
        },
        sealFrom(nonce, plain, dest, tag) {
          // update() returns a new buffer anyway: copy it to its place instead of copying the plaintext there first.
          const c = encipher(cipher, subkey, nonce);
          let at = 0;
          for (const piece of plain) at += c.update(piece).copy(dest, at);
          c.final();
          c.getAuthTag().copy(tag);
        },
        open(nonce, sealed, tag) {
          check(cipher);
          const d = createDecipheriv(NODE_NAMES[cipher] as 'aes-256-gcm', subkey, nonce, { authTagLength: TAG_LENGTH });
          d.setAuthTag(tag);
          const plain: Buffer[] = [];
          for (const piece of sealed) {
            const clear = d.update(piece);
            if (clear.length > 0) plain.push(clear);
          }
          try {
            const last = d.final();
            if (last.length > 0) plain.push(last);
          } catch {
            return null;
          }
          return plain;
        },
        openInPlace(nonce, block, tag) {
          const fast = block.length === 2 ? fastLengths() : null;
          if (fast) return fast.open(nonce, block, tag);
          return openTo(nonce, block, tag, block);
        },
        openTo,
      };
    },
  };
}

/** The subset of sodium-native used here (it ships no types). */
interface SodiumAead {
  crypto_aead_chacha20poly1305_ietf_encrypt_detached(c: Buffer, mac: Buffer, m: Buffer, ad: null, nsec: null, npub: Buffer, k: Buffer): number;
  crypto_aead_chacha20poly1305_ietf_decrypt_detached(m: Buffer, nsec: null, c: Buffer, mac: Buffer, ad: null, npub: Buffer, k: Buffer): void;
}

let sodiumLoaded: { lib: SodiumAead | null; error: string | null } | null = null;

/** sodium-native, or why it could not be loaded (not installed, no prebuilt binary for this platform). */
export function loadSodium(): { lib: SodiumAead | null; error: string | null } {
  if (sodiumLoaded) return sodiumLoaded;
  try {
    const lib = createRequire(import.meta.url)('sodium-native') as Partial<SodiumAead>;
    if (typeof lib.crypto_aead_chacha20poly1305_ietf_encrypt_detached !== 'function' || typeof lib.crypto_aead_chacha20poly1305_ietf_decrypt_detached !== 'function') {
      sodiumLoaded = { lib: null, error: 'sodium-native lacks the chacha20-poly1305 IETF functions' };
    } else sodiumLoaded = { lib: lib as SodiumAead, error: null };
  } catch (err) {
    sodiumLoaded = { lib: null, error: (err as Error).message.split('\n')[0] ?? 'cannot load' };
  }
  return sodiumLoaded;
}

export function sodiumBackend(): AeadBackend {
  return {
    name: 'sodium-native',
    cipher(cipher, subkey) {
      const { lib } = loadSodium();
      if (!lib || cipher !== 'chacha20-ietf-poly1305') return null;
      return {
        seal(nonce, plain, out) {
          const m = single(plain);
          const c = Buffer.allocUnsafe(m.length + TAG_LENGTH);
          lib.crypto_aead_chacha20poly1305_ietf_encrypt_detached(c.subarray(0, m.length), c.subarray(m.length), m, null, null, nonce, subkey);
          out.push(c);
        },
        sealInPlace(nonce, block, tag) {
          // libsodium's AEADs allow the ciphertext to be written over the plaintext (same address).
          lib.crypto_aead_chacha20poly1305_ietf_encrypt_detached(block, tag, block, null, null, nonce, subkey);
        },
        sealFrom(nonce, plain, dest, tag) {
          // One piece (the usual case) is read where it lies: no copy into `dest` first.
          let m = plain[0] as Buffer;
          if (plain.length !== 1) {
            let at = 0;
            for (const piece of plain) at += piece.copy(dest, at);
            m = dest;
          }
          lib.crypto_aead_chacha20poly1305_ietf_encrypt_detached(dest, tag, m, null, null, nonce, subkey);
        },
        open(nonce, sealed, tag) {
          const c = single(sealed);
          const m = Buffer.allocUnsafe(c.length);
          try {
            lib.crypto_aead_chacha20poly1305_ietf_decrypt_detached(m, null, c, tag, null, nonce, subkey);
          } catch {
            return null;
          }
          return m.length > 0 ? [m] : [];
        },
        openInPlace(nonce, block, tag) {
          // In place is allowed here too (same address); the tag is checked before anything is written.
          try {
            lib.crypto_aead_chacha20poly1305_ietf_decrypt_detached(block, null, block, tag, null, nonce, subkey);
          } catch {
            return false;
          }
          return true;
        },
      };
    },
  };
}

export function nobleBackend(): AeadBackend {
  return {
    name: '@noble/ciphers',
    cipher(cipher, subkey) {
      const make = cipher === 'chacha20-ietf-poly1305' ? chacha20poly1305 : gcm;
      const asBuffer = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);
      return {
        seal(nonce, plain, out) {
          out.push(asBuffer(make(subkey, nonce).encrypt(single(plain))));
        },
        sealInPlace(nonce, block, tag) {
          const sealed = asBuffer(make(subkey, nonce).encrypt(block));
          sealed.copy(block, 0, 0, block.length);
          sealed.copy(tag, 0, block.length);
        },
        open(nonce, sealed, tag) {
          try {
            const m = asBuffer(make(subkey, nonce).decrypt(Buffer.concat([...sealed, tag])));
            return m.length > 0 ? [m] : [];
          } catch {
            return null;
          }
        },
        openInPlace(nonce, block, tag) {
          try {
            asBuffer(make(subkey, nonce).decrypt(Buffer.concat([block, tag]))).copy(block);
            return true;
          } catch {
            return false;
          }
        },
      };
    },
  };
}

/** Seals and opens a short block: catches a cipher that is missing or broken before it meets a server. */
function selfTest(backend: AeadBackend, cipher: SsCipher): boolean {
  try {
    const impl = backend.cipher(cipher, Buffer.alloc(cipher === 'aes-128-gcm' ? 16 : 32, 7));
    if (!impl) return false;
    const nonce = Buffer.alloc(12, 1);
    const plain = Buffer.from('porthole self-test');
    const out: Buffer[] = [];
    impl.seal(nonce, [plain], out);
    const sealed = Buffer.concat(out);
    const opened = impl.open(nonce, [sealed.subarray(0, plain.length)], sealed.subarray(plain.length));
    const inPlace = Buffer.from(sealed);
    const openedInPlace = impl.openInPlace(nonce, inPlace.subarray(0, plain.length), inPlace.subarray(plain.length));
    return opened !== null && Buffer.concat(opened).equals(plain) && sealed.length === plain.length + TAG_LENGTH
      && openedInPlace && inPlace.subarray(0, plain.length).equals(plain);
  } catch {
    return false;
  }
}

export function backendNamed(name: BackendName): AeadBackend {
  switch (name) {
    case 'sodium': return sodiumBackend();
    case 'node': return nodeBackend();
    case 'node-boringssl': return nodeBackend(['chacha20-ietf-poly1305'], 'node:crypto (BoringSSL-like: no chacha20)');
    case 'noble': return nobleBackend();
  }
}

/** An ordered list of backends; for each cipher the first that works serves it. */
export class CipherProvider {
  readonly backends: readonly AeadBackend[];
  readonly label: string;
  private readonly chosen = new Map<SsCipher, AeadBackend | null>();

  constructor(names: readonly BackendName[] | ProfileName) {
    if (typeof names === 'string') names = PROVIDER_PROFILES[names];
    if (names.length === 0) throw new Error('a cipher provider needs at least one backend');
    this.backends = names.map(backendNamed);
    this.label = names.join(',');
  }

  /** 'chacha20-ietf-poly1305: sodium-native, aes-256-gcm: node:crypto, ...' for logs and the bench. */
  describe(ciphers: readonly SsCipher[]): string {
    return ciphers.map((c) => `${c}: ${this.backendFor(c)?.name ?? 'none'}`).join(', ');
  }

  /** The backend serving `cipher`: the first whose self-test passes (once per cipher), or null. */
  backendFor(cipher: SsCipher): AeadBackend | null {
    if (!this.chosen.has(cipher)) this.chosen.set(cipher, this.backends.find((b) => selfTest(b, cipher)) ?? null);
    return this.chosen.get(cipher) ?? null;
  }

  /** The block cipher for `cipher` under `subkey`. Throws when no backend can do it. */
  cipher(cipher: SsCipher, subkey: Buffer): AeadBlockCipher {
    const impl = this.backendFor(cipher)?.cipher(cipher, subkey);
    if (!impl) throw new Error(`no cipher library here can do ${cipher} (tried ${this.backends.map((b) => b.name).join(', ')})`);
    return impl;
  }
}

/** Parses a profile name or a comma list of backend names (PORTHOLE_SS_CRYPTO); throws a clear error on an unknown name. */
export function parseBackends(text: string): BackendName[] {
  const profile = text.trim();
  if (Object.hasOwn(PROVIDER_PROFILES, profile)) return [...PROVIDER_PROFILES[profile as ProfileName]];
  const names = text.split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) {
    if (!(BACKEND_NAMES as readonly string[]).includes(n)) throw new Error(`PORTHOLE_SS_CRYPTO: unknown cipher backend "${n}" (profiles: ${Object.keys(PROVIDER_PROFILES).join(', ')}; backends: ${BACKEND_NAMES.join(', ')})`);
  }
  return names as BackendName[];
}

let defaultProvider: CipherProvider | null = null;

/** The process-wide provider: PORTHOLE_SS_CRYPTO if set, else sodium,node,noble. */
export function getDefaultProvider(): CipherProvider {
  defaultProvider ??= new CipherProvider(process.env.PORTHOLE_SS_CRYPTO ? parseBackends(process.env.PORTHOLE_SS_CRYPTO) : DEFAULT_BACKENDS);
  return defaultProvider;
}
