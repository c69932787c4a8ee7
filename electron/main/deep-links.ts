// porthole:// links and .porthole files handed to the app (command line, second instance, macOS
// open-url/open-file) become import requests. Nothing is imported without going through the UI.
import { open } from 'node:fs/promises';
import { MAX_IMPORT_TEXT } from '../../shared/api.ts';

export const LINK_SCHEME = 'porthole';

export function isPortholeLink(arg: string): boolean {
  return /^porthole:\/\/\S+$/i.test(arg) && arg.length <= MAX_IMPORT_TEXT;
}

export function isPortholeFile(arg: string): boolean {
  return /\.porthole$/i.test(arg) && !arg.startsWith('-');
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
    if (isPortholeLink(arg)) out.push({ text: arg, origin: 'link' });
    else if (isPortholeFile(arg)) {
      const text = await readFile(arg);
      if (text) out.push({ text, origin: 'file' });
    }
  }
  return out;
}
