// Strips the TypeScript types from the bench children and the code they load, into .cache/bench-js/,
// so the child processes run plain JavaScript as the shipped app does. Without this, Node's built-in
// type stripper (a WebAssembly module, ~45 MB resident) would sit in every child and inflate the
// memory figures of the bridge process. The files are found by following the relative imports (static
// and dynamic) from the entry points, so moving code between folders needs no change here.
import fs from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import path from 'node:path';

/** Entry points (relative to the repo root); what they import, transitively, comes along. */
const ENTRIES = ['bench/children.ts'];
const RELATIVE_IMPORT = /(from\s+|import\s*\(\s*)(['"])(\.{1,2}\/[^'"]+)\.ts\2/g;

/** Compiles the sources; returns the path of the compiled bench/children.js. */
export function compileForBench(root: string): string {
  const out = path.join(root, '.cache', 'bench-js');
  fs.rmSync(out, { recursive: true, force: true });
  const todo = ENTRIES.map((e) => path.join(root, e));
  const done = new Set<string>();
  while (todo.length > 0) {
    const file = todo.pop() as string;
    if (done.has(file)) continue;
    done.add(file);
    const source = fs.readFileSync(file, 'utf8');
    for (const m of source.matchAll(RELATIVE_IMPORT)) todo.push(path.resolve(path.dirname(file), `${m[3] as string}.ts`));
    const code = stripTypeScriptTypes(source, { mode: 'strip' }).replace(RELATIVE_IMPORT, '$1$2$3.js$2');
    const dest = path.join(out, path.relative(root, file)).replace(/\.ts$/, '.js');
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.writeFileSync(dest, code);
  }
  fs.writeFileSync(path.join(out, 'package.json'), '{ "type": "module" }\n');
  return path.join(out, 'bench', 'children.js');
}
