// Where the engine process's code is: child.ts next to this file in the sources, child.js once
// built (dist/electron/core/engine-host/child.js, inside app.asar in the packaged app).
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CHILD_ENTRY = fileURLToPath(new URL(`./child${extname(fileURLToPath(import.meta.url))}`, import.meta.url));
