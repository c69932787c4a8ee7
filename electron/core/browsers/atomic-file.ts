// Crash-safe writes for browser profiles and the system-proxy journal, on top of core/fs/atomic.ts.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic as writeAtomic } from '../fs/atomic.ts';

/** Temp file → fsync → rename over `file` → fsync the folder. */
export function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  return writeAtomic(file, data, { mode });
}

/** Makes an unlink in `dir` durable (best effort). */
export async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, constants.O_RDONLY).catch(() => null);
  if (!fh) return;
  try {
    await fh.sync();
  } catch {
    // Some filesystems (and Windows) refuse fsync on folders.
  } finally {
    await fh.close();
  }
}

/** Temp files that a crash during writeFileAtomic can leave behind for `file`. */
export function isTempOf(file: string, name: string): boolean {
  return name.startsWith(`.${path.basename(file)}.`) && name.endsWith('.tmp');
}
