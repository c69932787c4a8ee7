// The cipher provider: every backend seals the same bytes as the others (so each can talk to any
// server), BoringSSL's missing chacha20 is detected and served by the fallback, and the choice is
// what the app and PORTHOLE_SS_CRYPTO say.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SS_CIPHERS } from '../../../../shared/entry.ts';
import type { SsCipher } from '../../../../shared/entry.ts';
import { CipherProvider, loadSodium, nobleBackend, nodeBackend, parseBackends, sodiumBackend, TAG_LENGTH } from './shadowsocks-crypto.ts';
import type { AeadBackend } from './shadowsocks-crypto.ts';

const keyLength = (c: SsCipher): number => (c === 'aes-128-gcm' ? 16 : 32);

function sealWith(backend: AeadBackend, cipher: SsCipher, key: Buffer, nonce: Buffer, plain: Buffer[]): Buffer {
  const impl = backend.cipher(cipher, key);
  if (!impl) throw new Error(`${backend.name} cannot do ${cipher}`);
  const out: Buffer[] = [];
  impl.seal(nonce, plain, out);
  return Buffer.concat(out);
}

describe('sodium-native', () => {
  it('loads here from its prebuilt binary (a dependency of the app, never compiled)', () => {
    expect(loadSodium().error).toBeNull();
    expect(loadSodium().lib).not.toBeNull();
  });
});

describe.each(SS_CIPHERS)('every backend agrees on %s', (cipher) => {
  const backends = [nodeBackend(), nobleBackend(), ...(cipher === 'chacha20-ietf-poly1305' ? [sodiumBackend()] : [])];
  const key = randomBytes(keyLength(cipher));
  const nonce = randomBytes(12);
  const plain = randomBytes(16_383);
  const pieces = [plain.subarray(0, 5), plain.subarray(5, 9000), plain.subarray(9000)];

  it('the same ciphertext and tag, from whole and split plaintext', () => {
    const reference = sealWith(nodeBackend(), cipher, key, nonce, [plain]);
    expect(reference.length).toBe(plain.length + TAG_LENGTH);
    for (const b of backends) {
      expect(sealWith(b, cipher, key, nonce, [plain]).equals(reference), b.name).toBe(true);
      expect(sealWith(b, cipher, key, nonce, pieces).equals(reference), `${b.name} split`).toBe(true);
    }
  });

  it('each opens what every other sealed, and refuses a flipped bit, a wrong nonce or key', () => {
    for (const sealer of backends) {
      const sealed = sealWith(sealer, cipher, key, nonce, [plain]);
      const body = sealed.subarray(0, plain.length);
      const tag = sealed.subarray(plain.length);
      for (const opener of backends) {
        const impl = opener.cipher(cipher, key);
        const opened = impl?.open(nonce, [body.subarray(0, 100), body.subarray(100)], tag);
        expect(opened && Buffer.concat(opened).equals(plain), `${sealer.name} -> ${opener.name}`).toBe(true);
        const bad = Buffer.from(body);
        bad[77] = (bad[77] ?? 0) ^ 1;
        expect(impl?.open(nonce, [bad], tag), `${opener.name} tampered`).toBeNull();
        expect(impl?.open(randomBytes(12), [body], tag), `${opener.name} nonce`).toBeNull();
        expect(opener.cipher(cipher, randomBytes(keyLength(cipher)))?.open(nonce, [body], tag), `${opener.name} key`).toBeNull();
      }
    }
  });

  it('an empty plaintext seals to a bare tag and opens to nothing', () => {
    for (const b of backends) {
      const sealed = sealWith(b, cipher, key, nonce, [Buffer.alloc(0)]);
      expect(sealed.length).toBe(TAG_LENGTH);
      expect(b.cipher(cipher, key)?.open(nonce, [], sealed)).toEqual([]);
    }
  });
});

describe('choosing a backend', () => {
  it('the app default: sodium-native for chacha20, node:crypto for AES-GCM', () => {
    const p = new CipherProvider('auto');
    expect(p.backendFor('chacha20-ietf-poly1305')?.name).toBe('sodium-native');
    expect(p.backendFor('aes-256-gcm')?.name).toBe('node:crypto');
    expect(p.backendFor('aes-128-gcm')?.name).toBe('node:crypto');
  });

  it('a BoringSSL-like node:crypto refuses chacha20 the way Electron does, and the fallback serves it', () => {
    const alone = new CipherProvider(['node-boringssl']);
    expect(alone.backendFor('chacha20-ietf-poly1305')).toBeNull();
    expect(() => alone.cipher('chacha20-ietf-poly1305', randomBytes(32))).toThrow(/no cipher library here can do chacha20-ietf-poly1305/);
    expect(alone.backendFor('aes-256-gcm')?.name).toMatch(/^node:crypto/);
    const app = new CipherProvider('boringssl');
    expect(app.backendFor('chacha20-ietf-poly1305')?.name).toBe('@noble/ciphers');
    expect(app.backendFor('aes-256-gcm')?.name).toMatch(/^node:crypto/);
    expect(new CipherProvider(['node-boringssl', 'sodium', 'noble']).backendFor('chacha20-ietf-poly1305')?.name).toBe('sodium-native');
  });

  it('profiles and backend lists parse; an unknown name is a clear error', () => {
    expect(parseBackends('boringssl')).toEqual(['node-boringssl', 'noble']);
    expect(parseBackends(' node , noble ')).toEqual(['node', 'noble']);
    expect(() => parseBackends('node,openssl3')).toThrow(/unknown cipher backend "openssl3".*profiles: auto/);
  });

  it('PORTHOLE_SS_CRYPTO sets the process-wide provider', () => {
    const here = path.dirname(fileURLToPath(import.meta.url));
    const script = `import { getDefaultProvider } from ${JSON.stringify(path.join(here, 'shadowsocks-crypto.ts'))};
      process.stdout.write(getDefaultProvider().describe(['chacha20-ietf-poly1305', 'aes-256-gcm']));`;
    const run = (env: Record<string, string>): string => execFileSync(process.execPath, ['--disable-warning=ExperimentalWarning', '--input-type=module', '-e', script], {
      env: { ...process.env, ...env }, encoding: 'utf8',
    });
    expect(run({ PORTHOLE_SS_CRYPTO: 'boringssl' })).toBe('chacha20-ietf-poly1305: @noble/ciphers, aes-256-gcm: node:crypto (BoringSSL-like: no chacha20)');
    expect(run({ PORTHOLE_SS_CRYPTO: '' })).toBe('chacha20-ietf-poly1305: sodium-native, aes-256-gcm: node:crypto');
  });
});
