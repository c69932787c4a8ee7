#!/usr/bin/env node
// Installed entry point (and `npm run cli`): runs the built CLI (dist/), or the TypeScript
// sources in a checkout, which need Node 22.18 or newer; an older Node gets one clear line.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

process.env.PORTHOLE_CLI_MAIN = '1';
const built = fileURLToPath(new URL('../dist/electron/cli/porthole.js', import.meta.url));
if (!existsSync(built)) {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 22 || (major === 22 && minor < 18)) {
    process.stderr.write(`porthole: this checkout runs on Node 22.18 or newer, and this is Node ${process.versions.node}.\n` +
      'Run it through scripts/dev, which fetches Node 22 once: scripts/dev npm run cli -- <command> …\n');
    process.exit(1);
  }
}
await import(existsSync(built) ? built : '../electron/cli/porthole.ts');
