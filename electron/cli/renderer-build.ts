// Finds the built renderer for `up --ui`, building it with Vite first when a checkout has none.
import { PortholeError } from '../../shared/errors.ts';
import { spawn } from 'node:child_process';
import { access } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const RENDERER_DIR = fileURLToPath(new URL('../../dist/renderer/', import.meta.url));

export async function ensureRenderer(log: (line: string) => void): Promise<string> {
  if (await access(`${RENDERER_DIR}index.html`).then(() => true, () => false)) return RENDERER_DIR;
  log('building the UI once (vite build)…');
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, [fileURLToPath(new URL('../../node_modules/vite/bin/vite.js', import.meta.url)), 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'error'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', () => resolve(null));
    child.on('close', resolve);
  });
  if (code !== 0 || !(await access(`${RENDERER_DIR}index.html`).then(() => true, () => false))) {
    throw new PortholeError('other', 'the UI is not built and could not be built: run `npm run build:renderer`');
  }
  return RENDERER_DIR;
}
