// The Shadowsocks AEAD framing against an independent whole-buffer reference decoder/encoder written
// here directly on node:crypto, plus known vectors from the openssl CLI; under every cipher provider
// profile (the app's, node:crypto alone, Electron's BoringSSL without chacha20, pure JS).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SS_CIPHERS } from '../../../../shared/entry.ts';
import type { SsCipher } from '../../../../shared/entry.ts';
import { AeadOpener, AeadSealer, CHUNK_OVERHEAD, CIPHER_SPECS, deriveSubkey, evpBytesToKey, MAX_PAYLOAD, sealedLength } from './shadowsocks-aead.ts';
import { CipherProvider, PROVIDER_PROFILES } from './shadowsocks-crypto.ts';
import type { ProfileName } from './shadowsocks-crypto.ts';

const CASES = (Object.keys(PROVIDER_PROFILES) as ProfileName[]).flatMap((profile) => SS_CIPHERS.map((method) => ({ profile, method })));

const NODE_NAMES: Record<SsCipher, string> = { 'chacha20-ietf-poly1305': 'chacha20-poly1305', 'aes-256-gcm': 'aes-256-gcm', 'aes-128-gcm': 'aes-128-gcm' };

function nonceOf(counter: number): Buffer {
  const nonce = Buffer.alloc(12);
  nonce.writeUIntLE(counter, 0, 6);
  return nonce;
}

/** Reference: decodes a whole direction; returns the chunk payloads. Throws on any bad tag. */
function referenceOpen(method: SsCipher, key: Buffer, wire: Buffer): Buffer[] {
  const saltLength = key.length;
  const subkey = deriveSubkey(key, wire.subarray(0, saltLength));
  const open = (counter: number, sealed: Buffer): Buffer => {
    const d = createDecipheriv(NODE_NAMES[method] as 'aes-256-gcm', subkey, nonceOf(counter), { authTagLength: 16 });
    d.setAuthTag(sealed.subarray(sealed.length - 16));
    return Buffer.concat([d.update(sealed.subarray(0, sealed.length - 16)), d.final()]);
  };
  const chunks: Buffer[] = [];
  let at = saltLength;
  let counter = 0;
  while (at < wire.length) {
    const n = open(counter++, wire.subarray(at, at + 18)).readUInt16BE(0);
    at += 18;
    chunks.push(open(counter++, wire.subarray(at, at + n + 16)));
    at += n + 16;
  }
  if (at !== wire.length) throw new Error('trailing bytes');
  return chunks;
}

/** Reference: encodes payload chunks exactly as given (no splitting), with a fixed salt. */
function referenceSeal(method: SsCipher, key: Buffer, salt: Buffer, chunks: Buffer[]): Buffer {
  const subkey = deriveSubkey(key, salt);
  let counter = 0;
  const seal = (plain: Buffer): Buffer => {
    const c = createCipheriv(NODE_NAMES[method] as 'aes-256-gcm', subkey, nonceOf(counter++), { authTagLength: 16 });
    return Buffer.concat([c.update(plain), c.final(), c.getAuthTag()]);
  };
  const out: Buffer[] = [salt];
  for (const chunk of chunks) {
    const length = Buffer.alloc(2);
    length.writeUInt16BE(chunk.length);
    out.push(seal(length), seal(chunk));
  }
  return Buffer.concat(out);
}

/** Byte equality without vitest's slow element-wise diff of large buffers. */
function expectBytes(actual: Buffer, expected: Buffer): void {
  expect(actual.length).toBe(expected.length);
  expect(actual.equals(expected), 'same bytes').toBe(true);
}

describe('key derivation', () => {
  it('EVP_BytesToKey matches openssl enc -md md5 -nosalt -P', () => {
    // openssl enc -aes-256-cbc -k porthole-pass -nosalt -md md5 -P
    expect(evpBytesToKey('porthole-pass', 32).toString('hex')).toBe('4065adb45d08b2dd4ba6a2c9a0e9dc36813c1a21ff1e26c6a49dc47f7ed3af49');
    expect(evpBytesToKey('porthole-pass', 16).toString('hex')).toBe('4065adb45d08b2dd4ba6a2c9a0e9dc36');
  });

  it('the subkey is HKDF-SHA1(key, salt, "ss-subkey") as openssl kdf computes it', () => {
    const key = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');
    const salt = Buffer.from('202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f', 'hex');
    expect(deriveSubkey(key, salt).toString('hex')).toBe('a4c3fd751f89596fa35314637662a00db30339ceeff662c094023a217a476417');
  });
});

describe.each(CASES)('AEAD framing with $method, provider $profile', ({ profile, method }) => {
  const spec = CIPHER_SPECS[method];
  const key = evpBytesToKey('correct horse', spec.keyLength);
  const provider = new CipherProvider(profile);
  const sealerOf = (k: Buffer = key): AeadSealer => new AeadSealer(spec, k, undefined, provider);
  const openerOf = (k: Buffer = key): AeadOpener => new AeadOpener(spec, k, provider);

  it('seals into chunks of at most 0x3FFF bytes that the reference decodes', () => {
    const sealer = sealerOf();
    const payload = randomBytes(MAX_PAYLOAD * 3 + 5);
    // Parts that straddle chunk boundaries.
    const parts = [payload.subarray(0, 7), payload.subarray(7, 20_000), payload.subarray(20_000)];
    const wire = sealer.seal(parts);
    expect(wire.length).toBe(sealedLength(payload.length, spec.saltLength));
    expectBytes(wire.subarray(0, spec.saltLength), sealer.salt);
    const chunks = referenceOpen(method, key, wire);
    expect(chunks.map((c) => c.length)).toEqual([MAX_PAYLOAD, MAX_PAYLOAD, MAX_PAYLOAD, 5]);
    expectBytes(Buffer.concat(chunks), payload);
  });

  it('keeps the nonce counter across calls and sends the salt once', () => {
    const sealer = sealerOf();
    const a = Buffer.from('first');
    const b = randomBytes(MAX_PAYLOAD + 1);
    const wire = Buffer.concat([sealer.seal([a]), sealer.seal([]), sealer.seal([b])]);
    expectBytes(Buffer.concat(referenceOpen(method, key, wire)), Buffer.concat([a, b]));
  });

  it('opens what the reference seals, fed in every split, byte by byte too', () => {
    const salt = randomBytes(spec.saltLength);
    const chunks = [Buffer.from('GET / HTTP/1.1\r\n'), randomBytes(MAX_PAYLOAD), Buffer.alloc(0), randomBytes(1)];
    const wire = referenceSeal(method, key, salt, chunks);
    const expected = Buffer.concat(chunks);
    const opener = openerOf();
    const out: Buffer[] = [];
    for (let i = 0; i < wire.length; i++) out.push(...opener.open(wire.subarray(i, i + 1)));
    expectBytes(Buffer.concat(out), expected);
    expect(opener.midChunk).toBe(false);
    for (const cut of [1, spec.saltLength, spec.saltLength + 17, spec.saltLength + 18, 100, wire.length - 1]) {
      const o = openerOf();
      // Copies: open() decrypts in place, and `wire` is fed again on the next turn.
      const got = [...o.open(Buffer.from(wire.subarray(0, cut))), ...o.open(Buffer.from(wire.subarray(cut)))];
      expectBytes(Buffer.concat(got), expected);
    }
  });

  it('opens the chunks wholly inside one arrival in place, as one view of it', () => {
    const sealer = sealerOf();
    const head = randomBytes(MAX_PAYLOAD + 100);
    const tail = randomBytes(3 * MAX_PAYLOAD);
    const wire = Buffer.concat([sealer.seal([head]), sealer.seal([tail])]);
    const opener = openerOf();
    // The cut falls inside the second chunk: it is finished from the next arrival, then 3 whole chunks.
    const cut = spec.saltLength + MAX_PAYLOAD + CHUNK_OVERHEAD + 50;
    const first = opener.open(Buffer.from(wire.subarray(0, cut)));
    const rest = Buffer.from(wire.subarray(cut));
    const second = opener.open(rest);
    expectBytes(Buffer.concat([...first, ...second]), Buffer.concat([head, tail]));
    expect(second).toHaveLength(2);
    expect((second[1] as Buffer).buffer).toBe(rest.buffer);
    expect((second[1] as Buffer).length).toBe(3 * MAX_PAYLOAD);
    expect(opener.midChunk).toBe(false);
  });

  it('round-trips sealer to opener', () => {
    const sealer = sealerOf();
    const opener = openerOf();
    const data = randomBytes(100_000);
    expectBytes(Buffer.concat(opener.open(sealer.seal([data]))), data);
    expect(opener.buffered).toBe(0);
  });

  it('reports a stream cut in the middle of a chunk', () => {
    const opener = openerOf();
    const wire = sealerOf().seal([Buffer.from('hello')]);
    expect(opener.open(wire.subarray(0, wire.length - 3))).toEqual([]);
    expect(opener.midChunk).toBe(true);
  });

  it('rejects a length above 0x3FFF even when correctly sealed', () => {
    const wire = referenceSeal(method, key, randomBytes(spec.saltLength), [Buffer.alloc(MAX_PAYLOAD + 1)]);
    expect(() => openerOf().open(wire)).toThrow(/exceeds 0x3FFF/);
  });

  it('detects tampering with the length, the payload, the tags and the salt', () => {
    const wire = sealerOf().seal([Buffer.from('attack at dawn')]);
    const s = spec.saltLength;
    for (const at of [0, s, s + 1, s + 17, s + 18, s + 20, wire.length - 1]) {
      const bad = Buffer.from(wire);
      bad[at] = (bad[at] ?? 0) ^ 0x01;
      const opener = openerOf();
      expect(() => opener.open(bad), `bit flipped at ${at}`).toThrow(expect.objectContaining({ name: 'PortholeError', code: 'auth' }));
      // and it stays failed
      expect(() => opener.open(Buffer.alloc(0))).toThrow(expect.objectContaining({ name: 'PortholeError', code: 'auth' }));
    }
  });

  it('a long stream (AES: length blocks past the first ones take the shortcut) matches the reference both ways, and a late length tag is checked', () => {
    const salt = randomBytes(spec.saltLength);
    const chunks = Array.from({ length: 150 }, (_, i) => randomBytes(1 + ((i * 7919) % MAX_PAYLOAD)));
    const reference = referenceSeal(method, key, salt, chunks);
    const sealer = new AeadSealer(spec, key, salt, provider);
    // One seal per chunk (the salt comes with the first), so the sealer cuts exactly where the reference does.
    expectBytes(Buffer.concat(chunks.map((c) => sealer.seal([c]))), reference);
    const opened = openerOf().open(Buffer.from(reference));
    expectBytes(Buffer.concat(opened), Buffer.concat(chunks));
    // Flip a bit in the tag of chunk 120's length block.
    let at = spec.saltLength;
    for (let i = 0; i < 120; i++) at += 2 + 16 + (chunks[i] as Buffer).length + 16;
    const bad = Buffer.from(reference);
    bad[at + 5] = (bad[at + 5] ?? 0) ^ 0x10;
    expect(() => openerOf().open(bad)).toThrow(/length chunk failed authentication/);
  });

  it('fails authentication with the wrong password', () => {
    const wire = sealerOf().seal([Buffer.from('secret')]);
    expect(() => openerOf(evpBytesToKey('wrong', spec.keyLength)).open(wire)).toThrow(/failed authentication/);
  });
});
