// The embedded bootstrap list (build/bootstrap/list.signed): accepted into the cache at
// start-up when it is newer than what the client holds, so a fresh install works offline.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClientStores } from './open.ts';
import { acceptList, type ListOutcome } from './accept.ts';
import { bootstrapDir } from '../paths.ts';

export async function loadBootstrapList(stores: ClientStores, dir = bootstrapDir()): Promise<ListOutcome | null> {
  const bytes = await readFile(join(dir, 'list.signed')).catch(() => null);
  if (!bytes) return null;
  return acceptList(stores, bytes, {});
}
