import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fnv1a32, kdf16 } from './vmess-aead.ts';
import { BodyOpener, BodySealer, MAX_CHUNK_PAYLOAD } from './vmess-body.ts';
import type { BodyOptions } from './vmess-body.ts';

const variants: BodyOptions[] = (['aes-128-gcm', 'chacha20-poly1305', 'none'] as const).map((security) => ({
  security, key: randomBytes(16), iv: randomBytes(16), masking: true, padding: security !== 'none',
}));

describe('VMess body chunks', () => {
  it.each(variants)('round-trips $security in arbitrary pieces and ends on the end chunk', (options) => {
    const sealer = new BodySealer(options);
    const opener = new BodyOpener(options);
    const payload = randomBytes(3 * MAX_CHUNK_PAYLOAD + 123);
    const wire: Buffer[] = [];
    sealer.seal([payload.subarray(0, 1000), payload.subarray(1000)], wire);
    sealer.sealChunk(Buffer.alloc(0), wire);
    const all = Buffer.concat(wire);
    const got: Buffer[] = [];
    let end = false;
    for (let i = 0; i < all.length; i += 777) {
      const r = opener.open(all.subarray(i, i + 777));
      got.push(...r.plain);
      end ||= r.end;
    }
    expect(Buffer.concat(got).equals(payload)).toBe(true);
    expect(end).toBe(true);
  });

  it('refuses a tampered chunk', () => {
    const options = variants[0] as BodyOptions;
    const wire: Buffer[] = [];
    new BodySealer(options).seal([Buffer.from('hello world')], wire);
    const all = Buffer.concat(wire);
    all[4] = (all[4] ?? 0) ^ 1;
    expect(() => new BodyOpener(options).open(all)).toThrow(/authentication/);
  });

  it('has the reference FNV-1a and a 16-byte KDF', () => {
    expect(fnv1a32(Buffer.from('a'))).toBe(0xe40c292c);
    expect(fnv1a32(Buffer.alloc(0))).toBe(0x811c9dc5);
    expect(kdf16(Buffer.from('k'), 'x', 'y')).toHaveLength(16);
  });
});
