// Secrets in the engine process: the shell unwraps one key from the OS keychain (safeStorage) and
// the engine process seals with it. The key file holds only the keychain-sealed key.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyedSecretBox } from '../../../electron/core/engine-host/secret-box.ts';
import { ENGINE_KEY_FILE, engineSecretKey } from '../../../electron/main/engine-key.ts';
import { createSecretBox } from '../../../electron/main/secrets.ts';

const keychain = (mask: number, available = true) => createSecretBox({
  isEncryptionAvailable: () => available,
  getSelectedStorageBackend: () => 'gnome_libsecret', // a real keyring (basic_text counts as none)
  encryptString: (s: string) => Buffer.from([...Buffer.from(s)].map((b) => b ^ mask)),
  decryptString: (b: Buffer) => {
    const text = Buffer.from([...b].map((x) => x ^ mask)).toString();
    if (!/^[A-Za-z0-9+/=]+$/.test(text)) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return text;
  },
});

describe('engine secret key', () => {
  it('is made once, kept sealed by the keychain, and the same on the next start', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'porthole-key-')), 'userData');
    const key = await engineSecretKey(keychain(0x5a), dir);
    expect(key).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(readFileSync(join(dir, ENGINE_KEY_FILE), 'utf8')).not.toContain(key!);
    expect(await engineSecretKey(keychain(0x5a), dir)).toBe(key);
  });

  it('without a keychain, or with another one, there is no key (and the file is left alone)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'porthole-key-'));
    expect(await engineSecretKey(keychain(0x5a, false), dir)).toBeNull();
    await engineSecretKey(keychain(0x5a), dir);
    const before = readFileSync(join(dir, ENGINE_KEY_FILE), 'utf8');
    expect(await engineSecretKey(keychain(0x33), dir)).toBeNull();
    expect(readFileSync(join(dir, ENGINE_KEY_FILE), 'utf8')).toBe(before);
    writeFileSync(join(dir, ENGINE_KEY_FILE), 'garbage');
    expect(await engineSecretKey(keychain(0x5a), dir)).toBeNull();
  });

  it('the engine process seals and opens with it; tampering and other keys fail; no key, no secrets', () => {
    const key = Buffer.alloc(32, 7);
    const box = keyedSecretBox(key);
    const sealed = box.seal('lan-password-Ж');
    expect(sealed).not.toContain('lan-password');
    expect(box.open(sealed)).toBe('lan-password-Ж');
    expect(box.seal('x')).not.toBe(box.seal('x'));
    const raw = Buffer.from(sealed.slice(4), 'base64');
    raw[raw.length - 1]! ^= 1;
    expect(() => box.open(`sk1:${raw.toString('base64')}`)).toThrow();
    expect(() => keyedSecretBox(Buffer.alloc(32, 8)).open(sealed)).toThrow();
    const none = keyedSecretBox(null);
    expect(none.available).toBe(false);
    expect(() => none.seal('x')).toThrow(/keychain/);
  });
});
