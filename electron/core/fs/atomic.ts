// Crash-safe file writes and reads with a previous-good-copy fallback.
//
// write: temp file in the same folder → fsync → copy the current file to FILE.bak when it
// is still valid → rename temp over FILE → fsync the folder. A crash at any point leaves
// FILE or FILE.bak holding a complete, valid version.
import { PortholeError } from '../../../shared/errors.ts';
import { constants } from 'node:fs';
import { copyFile, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';

export async function writeFileAtomic(file: string, data: string | Uint8Array, options: { mode?: number; backup?: (current: Buffer) => boolean } = {}): Promise<void> {
  const dir = dirname(file);
  await mkdir(dir, { recursive: true, mode: 0o700 }); // folders it creates are this user's alone
  const tmp = join(dir, `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(tmp, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, options.mode ?? 0o644);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.backup) {
      const current = await readFile(file).catch(() => null);
      if (current && options.backup(current)) await copyFile(file, `${file}.bak`);
    }
    await rename(tmp, file);
    await syncDir(dir);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw new PortholeError('storage', `could not write ${resolve(file)}: ${describeFsError(err)}`, { cause: err });
  }
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, constants.O_RDONLY).catch(() => null);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // Some filesystems do not support fsync on directories.
  } finally {
    await handle.close();
  }
}

export type ReadOutcome<T> =
  | { state: 'missing' }
  | { state: 'ok'; value: T }
  | { state: 'recovered'; value: T; problem: string }
  | { state: 'corrupt'; problem: string };

/**
 * Reads FILE with `parse`; when FILE is missing or does not parse, falls back to FILE.bak.
 * `parse` throws on anything invalid.
 */
export async function readWithRecovery<T>(file: string, parse: (data: Buffer) => T): Promise<ReadOutcome<T>> {
  const main = await readFile(file).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? null : Promise.reject(err)));
  let problem: string | undefined;
  if (main) {
    try {
      return { state: 'ok', value: parse(main) };
    } catch (err) {
      problem = `${basename(file)} is corrupt (${err instanceof Error ? err.message : String(err)})`;
    }
  }
  const backup = await readFile(`${file}.bak`).catch(() => null);
  if (backup) {
    try {
      const value = parse(backup);
      return { state: 'recovered', value, problem: problem ?? `${basename(file)} was missing` };
    } catch {
      // fall through
    }
  }
  if (problem) return { state: 'corrupt', problem };
  return { state: 'missing' };
}

export function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ENOSPC': return 'the disk is full';
    case 'EACCES':
    case 'EPERM': return 'permission denied';
    case 'EROFS': return 'the disk is read-only';
    case 'EDQUOT': return 'the disk quota is exceeded';
    default: return e?.message ?? String(err);
  }
}
