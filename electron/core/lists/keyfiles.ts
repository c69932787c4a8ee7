// Publisher key files: a secret key (mode 0600, never printed) and the public
// publisher file (the root chain), plus the last version signed, kept beside the key.
import { PortholeError } from '../../../shared/errors.ts';
import { readFile, chmod } from 'node:fs/promises';
import { dirname, join, basename, resolve } from 'node:path';
import { z } from 'zod';
import { PublisherFileSchema, type PublisherFile, type Signed } from '../../../shared/list-format.ts';
import { generateKey, keyIdOf, type SecretKey } from '../crypto/ed25519.ts';
import { writeFileAtomic } from '../fs/atomic.ts';
import { newRoot, signRoot, verifyRootChain, type RootChain } from './roots.ts';
import { parseJsonWith } from './signed.ts';

const SecretKeyFileSchema = z.strictObject({
  format: z.literal('porthole-secret-key/1'),
  keyId: z.string(),
  publicKey: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  seed: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
});

export const KEY_FILE = 'publisher.key';
export const PUB_FILE = 'publisher.pub';

async function writeSecretKey(file: string, key: SecretKey): Promise<void> {
  const body = JSON.stringify({ format: 'porthole-secret-key/1', keyId: keyIdOf(key.publicKey), publicKey: key.publicKey, seed: key.seed }, null, 2);
  await writeFileAtomic(file, `${body}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
}

export async function readSecretKey(file: string): Promise<SecretKey> {
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new PortholeError('malformed', `cannot read key ${resolve(file)}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
  });
  const parsed = parseJsonWith(text, SecretKeyFileSchema, `key file ${basename(file)}`);
  return { publicKey: parsed.publicKey, seed: parsed.seed };
}

function publisherFile(chain: Signed[]): PublisherFile {
  return { format: 'porthole-publisher/1', roots: chain };
}

export async function writePublisherFile(file: string, chain: Signed[]): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(publisherFile(chain), null, 2)}\n`);
}

export function parsePublisherFile(text: string | Uint8Array): RootChain {
  const parsed = parseJsonWith(text, PublisherFileSchema, 'publisher file');
  return verifyRootChain(parsed.roots);
}

export async function readPublisherFile(file: string): Promise<RootChain> {
  const text = await readFile(file).catch((err: NodeJS.ErrnoException) => {
    throw new PortholeError('malformed', `cannot read ${resolve(file)}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
  });
  return parsePublisherFile(text);
}

/** keygen: one key that is root (threshold 1) and list-signing key at once. */
export async function createSimplePublisher(dir: string, name?: string): Promise<{ key: SecretKey; chain: RootChain }> {
  const key = generateKey();
  const root = newRoot({ rootKeys: [key.publicKey], threshold: 1, listKeys: [key.publicKey], ...(name ? { name } : {}) });
  const chain = [signRoot(root, [key])];
  await writeSecretKey(join(dir, KEY_FILE), key);
  await writePublisherFile(join(dir, PUB_FILE), chain);
  return { key, chain: verifyRootChain(chain) };
}

// The last version signed with a key, kept beside it so a publisher cannot roll back by mistake.
const SignedVersionsSchema = z.record(z.string(), z.number().int());

function versionsFile(keyFile: string): string {
  return join(dirname(keyFile), `${basename(keyFile).replace(/\.key$/, '')}.versions.json`);
}

export async function lastSignedVersion(keyFile: string, publisher: string): Promise<number | undefined> {
  const text = await readFile(versionsFile(keyFile), 'utf8').catch(() => null);
  if (!text) return undefined;
  return parseJsonWith(text, SignedVersionsSchema, 'versions file')[publisher];
}

export async function recordSignedVersion(keyFile: string, publisher: string, version: number): Promise<void> {
  const file = versionsFile(keyFile);
  const text = await readFile(file, 'utf8').catch(() => null);
  const all = text ? parseJsonWith(text, SignedVersionsSchema, 'versions file') : {};
  all[publisher] = version;
  await writeFileAtomic(file, `${JSON.stringify(all, null, 2)}\n`);
}
