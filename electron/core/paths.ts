// Where Porthole keeps its data, and where the embedded bootstrap files are.
import { homedir } from 'node:os';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** --data-dir, then PORTHOLE_DATA_DIR, then the platform's per-user data folder. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (flag) return flag;
  if (env.PORTHOLE_DATA_DIR) return env.PORTHOLE_DATA_DIR;
  const home = env.HOME ?? homedir();
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Porthole');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Porthole');
  return join(env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'porthole');
}

/** The embedded bootstrap publisher and list (build/bootstrap), overridable for packaging. */
export function bootstrapDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PORTHOLE_BOOTSTRAP_DIR) return env.PORTHOLE_BOOTSTRAP_DIR;
  // From the sources (electron/core) or from the build (dist/electron/core).
  const fromSources = fileURLToPath(new URL('../../build/bootstrap/', import.meta.url));
  const fromBuild = fileURLToPath(new URL('../../../build/bootstrap/', import.meta.url));
  return existsSync(join(fromSources, 'publisher.pub')) ? fromSources : fromBuild;
}
