// Strips the TypeScript types from the bench children and the code they load, into .cache/bench-js/,
// so the child processes run plain JavaScript as the shipped app does. Without this, Node's built-in
// type stripper (a WebAssembly module, ~45 MB resident) would sit in every child and inflate the
// memory figures of the bridge process.
import fs from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import path from 'node:path';

/** Source folders and files (relative to the repo root) the children need. */
const SOURCES = ['bench/children.ts', 'bench/protocol.ts', 'electron/core/bridge', 'electron/cli/command.ts', 'electron/cli/commands/bridge.ts', 'shared'];

function* tsFiles(abs: string): Generator<string> {
  const stat = fs.statSync(abs);
  if (stat.isFile()) {
    if (abs.endsWith('.ts') && !abs.endsWith('.test.ts') && !abs.endsWith('.d.ts')) yield abs;
    return;
  }
  for (const name of fs.readdirSync(abs)) yield* tsFiles(path.join(abs, name));
}

/** Compiles the sources; returns the path of the compiled bench/children.js. */
export function compileForBench(root: string): string {
  const out = path.join(root, '.cache', 'bench-js');
  fs.rmSync(out, { recursive: true, force: true });
  for (const source of SOURCES) {
    for (const file of tsFiles(path.join(root, source))) {
      const code = stripTypeScriptTypes(fs.readFileSync(file, 'utf8'), { mode: 'strip' })
        .replace(/(from\s+|import\s*\(\s*)(['"])(\.{1,2}\/[^'"]+)\.ts\2/g, '$1$2$3.js$2');
      const dest = path.join(out, path.relative(root, file)).replace(/\.ts$/, '.js');
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      fs.writeFileSync(dest, code);
    }
  }
  fs.writeFileSync(path.join(out, 'package.json'), '{ "type": "module" }\n');
  return path.join(out, 'bench', 'children.js');
}
