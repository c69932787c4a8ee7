// SecretBox over Electron's safeStorage (OS keychain / DPAPI / libsecret). Sealed values are
// base64 with a version prefix, so a future format can be told apart. On Linux without a
// keyring safeStorage falls back to 'basic_text' (a key built into Chromium, no protection):
// that counts as no keychain, so secrets go to owner-only files instead of pretend-sealed ones.
import type { SafeStorage } from 'electron';
import type { SecretBox } from '../../shared/api-backend.ts';

const PREFIX = 'ss1:';

type Storage = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'> & Partial<Pick<SafeStorage, 'getSelectedStorageBackend'>>;

/** Linux backends that do not protect anything. */
const WEAK_BACKENDS = new Set(['basic_text', 'unknown']);

export function keychainUsable(safeStorage: Storage, platform: NodeJS.Platform = process.platform): boolean {
  if (!safeStorage.isEncryptionAvailable()) return false;
  if (platform !== 'linux') return true;
  const backend = safeStorage.getSelectedStorageBackend?.();
  return backend !== undefined && !WEAK_BACKENDS.has(backend);
}

export function createSecretBox(safeStorage: Storage, platform: NodeJS.Platform = process.platform): SecretBox {
  return {
    get available() {
      return keychainUsable(safeStorage, platform);
    },
    seal(plain: string): string {
      if (!keychainUsable(safeStorage, platform)) throw new Error('no OS keychain: secret not stored');
      return PREFIX + safeStorage.encryptString(plain).toString('base64');
    },
    open(sealed: string): string {
      if (!sealed.startsWith(PREFIX)) throw new Error('not a sealed secret');
      return safeStorage.decryptString(Buffer.from(sealed.slice(PREFIX.length), 'base64'));
    },
  };
}
