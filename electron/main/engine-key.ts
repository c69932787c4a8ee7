// The key the engine process seals secrets with, kept wrapped by the OS keychain (safeStorage
// exists only in the main process; see electron/core/engine-host/secret-box.ts). Created on first
// use; null when there is no keychain or it cannot unwrap the key (secrets are then not stored).
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SecretBox } from '../../shared/api-backend.ts';

export const ENGINE_KEY_FILE = 'engine-key.sealed';

export async function engineSecretKey(box: SecretBox, dataDir: string): Promise<string | null> {
  if (!box.available) return null;
  const file = join(dataDir, ENGINE_KEY_FILE);
  let sealed: string | null = null;
  try {
    sealed = (await readFile(file, 'utf8')).trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return null;
  }
  if (sealed !== null) {
    try {
      const key = box.open(sealed);
      return /^[A-Za-z0-9+/]{43}=$/.test(key) ? key : null;
    } catch {
      return null; // another keychain (a copied profile): keep the file, store no new secrets
    }
  }
  const key = randomBytes(32).toString('base64');
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, `${box.seal(key)}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}
