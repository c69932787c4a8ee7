// An in-memory FsView for detection fixtures: files (with content), symlinks, Windows or POSIX paths.
import type { FsView } from '../../../electron/core/browsers/host-env.ts';

export interface MemoryFsOptions {
  /** Windows: paths compare case-insensitively and use backslashes. */
  windows?: boolean;
  /** link path → target path */
  symlinks?: Record<string, string>;
}

export function memoryFs(files: Record<string, string>, options: MemoryFsOptions = {}): FsView {
  const sep = options.windows ? '\\' : '/';
  const norm = (p: string): string => {
    const s = p.replace(/[\\/]+$/, '');
    return options.windows ? s.toLowerCase() : s;
  };
  const links = new Map(Object.entries(options.symlinks ?? {}).map(([k, v]) => [norm(k), v]));
  const all = new Map<string, string>();
  for (const [p, text] of Object.entries(files)) all.set(norm(p), text);
  for (const [link, target] of links) if (all.has(norm(target))) all.set(link, all.get(norm(target)) as string);
  const display = new Map<string, string>();
  for (const p of [...Object.keys(files), ...Object.keys(options.symlinks ?? {})]) display.set(norm(p), p);

  const isDir = (p: string): boolean => {
    const prefix = `${norm(p)}${options.windows ? '\\' : '/'}`;
    return [...all.keys()].some((f) => f.startsWith(prefix));
  };
  return {
    async exists(p) {
      return all.has(norm(p)) || isDir(p);
    },
    async readText(p) {
      return all.get(norm(p));
    },
    async list(dir) {
      const prefix = `${norm(dir)}${sep}`;
      const names = new Set<string>();
      for (const f of all.keys()) {
        if (!f.startsWith(prefix)) continue;
        const original = display.get(f) ?? f;
        names.add(original.slice(prefix.length).split(sep)[0] as string);
      }
      return [...names];
    },
    async realpath(p) {
      return links.get(norm(p)) ?? p;
    },
  };
}
