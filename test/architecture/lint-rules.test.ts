// The architecture lint fails on each kind of planted violation, with the rule meant for it:
// a copy of the tree gets planted files (core importing cli, shared importing core, renderer
// importing electron, a folder cycle, misplaced tests, ...) and scripts/architecture/check.ts runs
// on it; ESLint's own layering rules are checked on the same imports as virtual files.
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkArchitecture } from '../../scripts/architecture/check.ts';
import type { Violation } from '../../scripts/architecture/check.ts';
import { CRUISE_ROOTS, MODULE_DEPS, MODULES } from '../../scripts/architecture/rules.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TARGET = 'export const planted = 1;\n';

/** Files that only exist to be imported, so the plants do not depend on where real code sits. */
const TARGETS = [
  'electron/cli/planted-target.ts',
  'electron/main/planted-target.ts',
  'electron/core/lists/planted-target.ts',
  'electron/core/probe/planted-target.ts',
  'shared/planted-target.ts',
  'test/helpers/planted-target.ts',
  'test/peers/planted-target.ts',
];

/** Each planted file, what it imports, and the one rule it must break. */
const PLANTS: { file: string; imports: string[]; rule: string }[] = [
  { file: 'electron/core/lists/planted-up.ts', imports: ['../../cli/planted-target.ts'], rule: 'modules-import-down' },
  { file: 'electron/core/engine/planted-up.ts', imports: ['../../cli/planted-target.ts'], rule: 'engine-imports-down' },
  { file: 'electron/core/fs/planted-up.ts', imports: ['../lists/planted-target.ts'], rule: 'base-imports-shared-only' },
  { file: 'shared/planted-core.ts', imports: ['../electron/core/lists/planted-target.ts'], rule: 'shared-is-pure' },
  { file: 'shared/planted-node.ts', imports: ['node:fs'], rule: 'shared-is-pure' },
  { file: 'renderer/src/planted-electron.ts', imports: ['electron'], rule: 'renderer-imports-shared-only' },
  { file: 'renderer/src/planted-core.ts', imports: ['../../electron/core/lists/planted-target.ts'], rule: 'renderer-imports-shared-only' },
  { file: 'electron/preload/planted-core.ts', imports: ['../core/lists/planted-target.ts'], rule: 'preload-imports-shared-only' },
  { file: 'electron/core/bridge/planted-electron.ts', imports: ['electron'], rule: 'core-no-electron' },
  { file: 'electron/cli/planted-main.ts', imports: ['../main/planted-target.ts'], rule: 'apps-stay-apart' },
  { file: 'electron/core/bridge/planted-sideways.ts', imports: ['../probe/planted-target.ts'], rule: 'module-dag' },
  { file: 'electron/core/lists/planted-sideways.ts', imports: ['../probe/planted-target.ts'], rule: 'module-dag' },
  { file: 'electron/core/misc/planted-homeless.ts', imports: ['../../../shared/planted-target.ts'], rule: 'core-is-layered' },
  { file: 'electron/core/probe/planted-helper.ts', imports: ['../../../test/helpers/planted-target.ts'], rule: 'src-never-imports-tests' },
  { file: 'test/planted-root.test.ts', imports: ['vitest'], rule: 'test-placement' },
  { file: 'test/helpers/planted-helper.test.ts', imports: ['vitest'], rule: 'test-placement' },
  { file: 'bench/planted-bench.test.ts', imports: ['vitest'], rule: 'test-placement' },
  { file: 'electron/core/lists/planted-stray.test.ts', imports: ['vitest', '../../../shared/planted-target.ts'], rule: 'unit-test-beside-its-code' },
  { file: 'electron/core/lists/planted-peer.test.ts', imports: ['vitest', './planted-target.ts', '../../../test/peers/planted-target.ts'], rule: 'unit-test-no-peers' },
  { file: 'electron/core/lists/planted-cli.test.ts', imports: ['vitest', './planted-target.ts', '../../../test/helpers/cli.ts'], rule: 'unit-test-no-peers' },
];

/** A loop between two folders of the engine layer, made of four files so no module loop exists. */
const LOOP = [
  { file: 'electron/core/engine-host/planted-loop-a.ts', imports: ['../ui-server/planted-loop-b.ts'] },
  { file: 'electron/core/ui-server/planted-loop-b.ts', imports: [] },
  { file: 'electron/core/ui-server/planted-loop-c.ts', imports: ['../engine-host/planted-loop-d.ts'] },
  { file: 'electron/core/engine-host/planted-loop-d.ts', imports: [] },
];

function plant(base: string, file: string, imports: string[]): void {
  mkdirSync(dirname(join(base, file)), { recursive: true });
  const body = imports.map((from) => `import ${JSON.stringify(from)};\n`).join('');
  writeFileSync(join(base, file), `// planted by lint-rules.test.ts\n${body}${TARGET}`);
}

describe('architecture lint on a planted copy of the tree', () => {
  let base = '';
  let violations: Violation[] = [];

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'porthole-arch-'));
    for (const root of CRUISE_ROOTS) cpSync(join(ROOT, root), join(base, root), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(base, 'node_modules'), 'dir');
    for (const file of TARGETS) plant(base, file, []);
    for (const { file, imports } of [...PLANTS, ...LOOP]) plant(base, file, imports);
    violations = await checkArchitecture(base);
  }, 240_000);

  afterAll(() => {
    if (base) rmSync(base, { recursive: true, force: true });
  });

  it.each(PLANTS)('$file breaks $rule', ({ file, rule }) => {
    const rules = new Set(violations.filter((violation) => violation.from === file).map((violation) => violation.rule));
    expect([...rules]).toEqual([rule]);
  });

  it('a loop between two folders breaks no-folder-cycle, in both directions', () => {
    const loops = violations.filter((violation) => violation.rule === 'no-folder-cycle');
    const pairs = loops.map((violation) => `${violation.from} → ${violation.to}`);
    expect(pairs).toContain('electron/core/engine-host → electron/core/ui-server');
    expect(pairs).toContain('electron/core/ui-server → electron/core/engine-host');
    for (const { file } of LOOP) expect(violations.filter((violation) => violation.from === file)).toEqual([]);
  });

  it('no file but the plants breaks a rule (the plants add folder loops, so those are left to `npm run lint`)', () => {
    const others = violations.filter((violation) => violation.rule !== 'no-folder-cycle' && !violation.from.includes('planted-'));
    expect(others).toEqual([]);
  });
});

describe('the module DAG', () => {
  it('names only core modules and has no loop', () => {
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (name: string, path: string[]): void => {
      expect(state.get(name), `loop: ${[...path, name].join(' → ')}`).not.toBe('visiting');
      if (state.get(name) === 'done') return;
      state.set(name, 'visiting');
      for (const next of MODULE_DEPS[name] ?? []) {
        expect(MODULES).toContain(next);
        visit(next, [...path, name]);
      }
      state.set(name, 'done');
    };
    for (const name of MODULES) visit(name, []);
  });
});

describe("ESLint's layering rules on virtual files", () => {
  const eslint = new ESLint({ cwd: ROOT });
  const cases = [
    { file: 'renderer/src/planted.ts', code: "import { ipcRenderer } from 'electron';\nexport const planted = ipcRenderer;\n" },
    { file: 'renderer/src/planted.ts', code: "import { readFileSync } from 'node:fs';\nexport const planted = readFileSync;\n" },
    { file: 'shared/planted.ts', code: "import { readFileSync } from 'node:fs';\nexport const planted = readFileSync;\n" },
    { file: 'electron/core/lists/planted.ts', code: "import { app } from 'electron';\nexport const planted = app;\n" },
  ];

  it.each(cases)('$file: $code', async ({ file, code }) => {
    const [result] = await eslint.lintText(code, { filePath: join(ROOT, file) });
    expect(new Set(result?.messages.map((message) => message.ruleId))).toEqual(new Set(['no-restricted-imports']));
  });

  it('the same import is fine where the layer allows it', async () => {
    const [result] = await eslint.lintText("import { app } from 'electron';\nexport const planted = app;\n", { filePath: join(ROOT, 'electron/main/planted.ts') });
    expect(result?.messages).toEqual([]);
  });
});
