// The engine process's SecretBox. The OS keychain (Electron safeStorage) exists only in the
// shell's main process and the SecretBox interface is synchronous, so the shell unwraps one random
// key from the keychain and hands it to the engine process, which seals with AES-256-GCM.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretBox } from '../../../shared/api-backend.ts';

const PREFIX = 'sk1:';

export function keyedSecretBox(key: Buffer | null): SecretBox {
  if (key && key.length !== 32) throw new Error('secret key must be 32 bytes');
  return {
    available: key !== null,
    seal(plain: string): string {
      if (!key) throw new Error('no OS keychain: secret not stored');
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    },
    open(sealed: string): string {
      if (!key) throw new Error('no OS keychain: cannot open a sealed secret');
      if (!sealed.startsWith(PREFIX)) throw new Error('not a sealed secret');
      const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64');
      if (raw.length < 28) throw new Error('sealed secret is cut short');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}
