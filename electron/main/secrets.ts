// SecretBox over Electron's safeStorage (OS keychain / DPAPI / libsecret). Sealed values are
// base64 with a version prefix, so a future format can be told apart.
import type { SafeStorage } from 'electron';
import type { SecretBox } from '../../shared/api-engine.ts';

const PREFIX = 'ss1:';

export function createSecretBox(safeStorage: Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'>): SecretBox {
  return {
    get available() {
      return safeStorage.isEncryptionAvailable();
    },
    seal(plain: string): string {
      if (!safeStorage.isEncryptionAvailable()) throw new Error('no OS keychain: secret not stored');
      return PREFIX + safeStorage.encryptString(plain).toString('base64');
    },
    open(sealed: string): string {
      if (!sealed.startsWith(PREFIX)) throw new Error('not a sealed secret');
      return safeStorage.decryptString(Buffer.from(sealed.slice(PREFIX.length), 'base64'));
    },
  };
}
