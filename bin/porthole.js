#!/usr/bin/env node
// Installed entry point: runs the built CLI (dist/), or the TypeScript sources in a checkout.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

process.env.PORTHOLE_CLI_MAIN = '1';
const built = fileURLToPath(new URL('../dist/electron/cli/porthole.js', import.meta.url));
await import(existsSync(built) ? built : '../electron/cli/porthole.ts');
