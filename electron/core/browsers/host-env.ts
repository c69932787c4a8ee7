// The injected view of the machine that detection and the system-proxy code read:
// platform, environment variables, a read-only filesystem view and the process runner.
import { access, readFile, readdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { Runner } from './runner.ts';

export type HostPlatform = 'win32' | 'darwin' | 'linux';

export interface FsView {
  /** Whether a file or directory exists at the path. */
  exists(p: string): Promise<boolean>;
  /** The file's text, or undefined when it cannot be read. */
  readText(p: string): Promise<string | undefined>;
  /** Entry names in a directory; [] when it is missing. */
  list(dir: string): Promise<string[]>;
  /** Resolves symlinks when the view can; otherwise returns the path unchanged. */
  realpath(p: string): Promise<string>;
}

export interface HostEnv {
  platform: HostPlatform;
  env: Record<string, string | undefined>;
  fs: FsView;
  runner: Runner;
}

export const realFs: FsView = {
  async exists(p) {
    try {
      await access(p);
      return true;
    } catch {
      return false;
    }
  },
  async readText(p) {
    try {
      return await readFile(p, 'utf8');
    } catch {
      return undefined;
    }
  },
  async list(dir) {
    try {
      return await readdir(dir);
    } catch {
      return [];
    }
  },
  async realpath(p) {
    try {
      return await realpath(p);
    } catch {
      return p;
    }
  },
};

export function hostPlatform(platform: NodeJS.Platform = process.platform): HostPlatform {
  if (platform === 'win32' || platform === 'darwin') return platform;
  return 'linux';
}

/** Path functions of the platform being looked at (not necessarily the one running). */
export function pathsFor(platform: HostPlatform): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix;
}

export function homeDir(host: Pick<HostEnv, 'platform' | 'env'>): string | undefined {
  return host.platform === 'win32' ? (host.env.USERPROFILE ?? host.env.HOMEDRIVE) : host.env.HOME;
}

/** Finds an executable by name on PATH (Windows: PATHEXT is tried too). */
export async function findOnPath(host: Pick<HostEnv, 'platform' | 'env' | 'fs'>, name: string): Promise<string | undefined> {
  const p = pathsFor(host.platform);
  const pathVar = host.env.PATH ?? host.env.Path ?? '';
  const dirs = pathVar.split(host.platform === 'win32' ? ';' : ':').filter(Boolean);
  const exts = host.platform === 'win32' && !p.extname(name) ? (host.env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of dirs) {
    for (const ext of exts) {
      const candidate = p.join(dir, name + ext.toLowerCase());
      if (await host.fs.exists(candidate)) return candidate;
    }
  }
  return undefined;
}
