// The folder the person ran the command in. `npm run cli` starts the CLI in the repository
// root (and scripts/dev changes to it as well), so relative paths would resolve against the
// wrong folder: npm says where it was started (INIT_CWD), scripts/dev where it was (PORTHOLE_CWD).
import { resolve } from 'node:path';

export function userCwd(env: NodeJS.ProcessEnv, cwd: string): string {
  const event = env.npm_lifecycle_event;
  if (event !== 'cli' && event !== 'demo') return cwd;
  const init = env.INIT_CWD;
  // npm was started in another folder than the repository root: that folder is the person's.
  if (init && resolve(init) !== resolve(cwd)) return init;
  return env.PORTHOLE_CWD || init || cwd;
}
