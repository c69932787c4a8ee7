// porthole:// links and .porthole files handed to the app (command line, second instance, macOS
// open-url/open-file) become import requests. Nothing is imported without going through the UI.
import { open } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { MAX_IMPORT_TEXT } from '../../shared/api.ts';

export const LINK_SCHEME = 'porthole';

export function isPortholeLink(arg: string): boolean {
  return /^porthole:\/\/\S+$/i.test(arg) && arg.length <= MAX_IMPORT_TEXT;
}

export function isPortholeFile(arg: string): boolean {
  return /\.porthole$/i.test(arg) && !arg.startsWith('-');
}

/**
 * A file named on a command line as a path or, as file managers do (%U in a desktop entry), as a
 * file:// URL; the local path of a .porthole file, or null.
 */
export function portholeFilePath(arg: string): string | null {
  if (/^file:\/\//i.test(arg)) {
    try {
      const path = fileURLToPath(arg);
      return isPortholeFile(path) ? path : null;
    } catch {
      return null; // a remote host (file://server/…) or a malformed URL
    }
  }
  return isPortholeFile(arg) ? arg : null;
}

/** Reads at most MAX_IMPORT_TEXT bytes of a .porthole file as text; null if unreadable or binary. */
export async function readPortholeFile(path: string): Promise<string | null> {
  let handle;
  try {
    handle = await open(path, 'r');
    const info = await handle.stat();
    if (!info.isFile() || info.size === 0 || info.size > MAX_IMPORT_TEXT) return null;
    const buf = Buffer.alloc(info.size);
    await handle.read(buf, 0, info.size, 0);
    const text = buf.toString('utf8');
    return text.includes('\0') || text.includes('\uFFFD') ? null : text;
  } catch {
    return null;
  } finally {
    await handle?.close();
  }
}

export interface ImportArg {
  text: string;
  origin: 'link' | 'file';
}

/** Import requests found in a command line (first launch or a second instance's argv). */
export async function importsFromArgv(argv: readonly string[], readFile = readPortholeFile): Promise<ImportArg[]> {
  const out: ImportArg[] = [];
  for (const arg of argv.slice(1)) {
    const file = isPortholeLink(arg) ? null : portholeFilePath(arg);
    if (isPortholeLink(arg)) out.push({ text: arg, origin: 'link' });
    else if (file) {
      const text = await readFile(file);
      if (text) out.push({ text, origin: 'file' });
    }
  }
  return out;
}
