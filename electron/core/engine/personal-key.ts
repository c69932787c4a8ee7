// This install's own publisher key, used to sign codes when a person shares servers with
// family. Made on first use in the data dir (mode 0600); recipients see its fingerprint words.
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { SecretKey } from '../crypto/ed25519.ts';
import { createSimplePublisher, KEY_FILE, readSecretKey } from '../lists/keyfiles.ts';

export async function personalKey(dataDir: string): Promise<SecretKey> {
  const dir = join(dataDir, 'my-key');
  const file = join(dir, KEY_FILE);
  if (await access(file).then(() => true, () => false)) return readSecretKey(file);
  return (await createSimplePublisher(dir, 'Shared by a Porthole user')).key;
}
