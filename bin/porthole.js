#!/usr/bin/env node
// Entry point of `porthole` (and `npm run cli`). In a checkout it runs the TypeScript sources,
// which need Node 22.18 or newer (an older Node gets one clear line), so a dist/ left by a build
// never shadows the code being run. An installed package without the sources runs the built CLI.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

process.env.PORTHOLE_CLI_MAIN = '1';
const source = new URL('../electron/cli/porthole.ts', import.meta.url);
const built = new URL('../dist/electron/cli/porthole.js', import.meta.url);
if (existsSync(fileURLToPath(source))) {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 22 || (major === 22 && minor < 18)) {
    process.stderr.write(`porthole: this checkout runs on Node 22.18 or newer, and this is Node ${process.versions.node}.\n` +
      'Run it through scripts/dev, which fetches Node 22 once: scripts/dev npm run cli -- <command> …\n');
    process.exit(1);
  }
  await import(source.href);
} else {
  await import(built.href);
}
