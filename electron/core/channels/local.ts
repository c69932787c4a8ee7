// Local sources: a file or a folder (a USB stick). Pasted text and dropped files go to the
// catalog's import (catalog/import.ts).
import { createHash } from 'node:crypto';
import { open, readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { candidatesDetail, candidatesFromBytes, dedupe } from '../lists/candidates.ts';
import { classifyError, formatBytes, startFetch, tooLarge } from './result.ts';
import type { Channel, ChannelFetchOptions, ChannelFetchResult, ChannelSettings } from './types.ts';

/** The files a folder channel reads. */
const LIST_EXTENSIONS = ['.signed', '.porthole', '.txt', '.html', '.htm'];
/** Sub-folder depth searched below the chosen folder (a stick with a 'porthole' folder). */
const MAX_DEPTH = 1;
/** Entries looked at in all, listed or not, so a huge folder cannot stall the fetch. */
const MAX_ENTRIES = 2_000;

interface FoundFile {
  path: string;
  size: number;
  mtimeMs: number;
}

/** Reads a file, refusing it past `maxBytes` without reading the rest. */
async function readCapped(path: string, maxBytes: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(Math.min(maxBytes + 1, (await fh.stat()).size + 1));
    let filled = 0;
    for (;;) {
      if (filled === buf.length) throw tooLarge(maxBytes);
      const { bytesRead } = await fh.read(buf, filled, buf.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled > maxBytes) throw tooLarge(maxBytes);
    return buf.subarray(0, filled);
  } finally {
    await fh.close();
  }
}

async function listFolder(root: string, maxFiles: number, signal: AbortSignal): Promise<{ files: FoundFile[]; skipped: number }> {
  const files: FoundFile[] = [];
  let seen = 0;
  let skipped = 0;
  const walk = async (dir: string, depth: number): Promise<void> => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      signal.throwIfAborted();
      if (++seen > MAX_ENTRIES) return;
      if (e.name.startsWith('.')) continue;
      const path = join(dir, e.name);
      if (e.isDirectory() && depth < MAX_DEPTH) await walk(path, depth + 1);
      else if (e.isFile() && LIST_EXTENSIONS.includes(extname(e.name).toLowerCase())) {
        if (files.length >= maxFiles) skipped++;
        else {
          const st = await stat(path);
          files.push({ path, size: st.size, mtimeMs: st.mtimeMs });
        }
      }
    }
  };
  await walk(root, 0);
  return { files, skipped };
}

function etagOf(files: FoundFile[]): string {
  const h = createHash('sha256');
  for (const f of files) h.update(`${f.path}\0${f.size}\0${f.mtimeMs}\n`);
  return `W/"${h.digest('base64url').slice(0, 16)}"`;
}

export class FileChannel implements Channel {
  readonly spec: string;
  readonly path: string;
  readonly settings: ChannelSettings;
  constructor(path: string, settings: ChannelSettings) {
    this.path = path;
    this.spec = `file:${path}`;
    this.settings = settings;
  }

  async fetch(opts: ChannelFetchOptions): Promise<ChannelFetchResult> {
    const done = startFetch(this.spec);
    try {
      const st = await stat(this.path);
      if (st.isFile()) {
        const etag = etagOf([{ path: this.path, size: st.size, mtimeMs: st.mtimeMs }]);
        if (opts.etag === etag) return done({ status: 'not-modified', blobs: [], etag });
        if (st.size > opts.maxBytes) throw tooLarge(opts.maxBytes);
        const found = candidatesFromBytes(await readCapped(this.path, opts.maxBytes));
        const detail = candidatesDetail(found);
        return done({ status: 'ok', blobs: found.blobs, etag, ...(detail ? { detail } : {}) });
      }
      if (!st.isDirectory()) return done({ status: 'error', detail: 'not a file or folder', blobs: [] });
      const { files, skipped } = await listFolder(this.path, this.settings.maxFiles, opts.signal);
      const etag = etagOf(files);
      if (opts.etag === etag) return done({ status: 'not-modified', blobs: [], etag });
      const notes: string[] = [];
      const blobs: Uint8Array[] = [];
      for (const f of files) {
        opts.signal.throwIfAborted();
        if (f.size > opts.maxBytes) {
          notes.push(`${basename(f.path)}: over ${formatBytes(opts.maxBytes)}`);
          continue;
        }
        try {
          const found = candidatesFromBytes(await readCapped(f.path, opts.maxBytes));
          blobs.push(...found.blobs);
          if (found.damaged > 0) notes.push(`${basename(f.path)}: ${candidatesDetail({ blobs: [], damaged: found.damaged })}`);
        } catch (err) {
          notes.push(`${basename(f.path)}: ${classifyError(err).detail}`);
        }
      }
      if (skipped > 0) notes.push(`${skipped} more files not read (limit ${this.settings.maxFiles})`);
      const unique = dedupe(blobs);
      if (unique.length === 0) notes.unshift(`no signed list or armored block in ${files.length} files`);
      return done({ status: 'ok', blobs: unique, etag, ...(notes.length ? { detail: notes.join('; ') } : {}) });
    } catch (err) {
      return done({ ...classifyError(err, opts.signal), blobs: [] });
    }
  }
}
