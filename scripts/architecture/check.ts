// `npm run lint` (after ESLint): checks the tree against the architecture rules in ./rules.ts with
// dependency-cruiser, in two passes: every file against the per-file rules, then product code
// alone against the folder-cycle rule. Prints each violation with its rule; exits 1 on any.
// `checkArchitecture(dir)` is what test/architecture/lint-rules.test.ts runs on a planted copy.
import { cruise } from 'dependency-cruiser';
import type { ICruiseOptions, ICruiseResult, IConfiguration, IViolation } from 'dependency-cruiser';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CRUISE_ROOTS, EXCLUDE, PRODUCT_EXCLUDE, PRODUCT_ROOTS, folderRules, moduleRules } from './rules.ts';

export interface Violation {
  rule: string;
  from: string;
  to: string;
  /** The folders of a loop, for no-folder-cycle. */
  cycle?: string[];
}

async function run(baseDir: string, roots: string[], ruleSet: IConfiguration, exclude: string): Promise<IViolation[]> {
  const options: ICruiseOptions = {
    baseDir,
    validate: true,
    ruleSet: ruleSet as ICruiseOptions['ruleSet'],
    exclude: { path: exclude },
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    outputType: 'json',
  };
  const present = roots.filter((root) => existsSync(join(baseDir, root)));
  const { output } = await cruise(present, options, { conditionNames: ['import', 'require', 'node', 'default', 'types'] });
  const result = (typeof output === 'string' ? JSON.parse(output) : output) as ICruiseResult;
  return result.summary.violations.filter((violation) => violation.rule.severity === 'error');
}

/** Every architecture violation in the tree at `baseDir`. */
export async function checkArchitecture(baseDir: string): Promise<Violation[]> {
  const perFile = await run(baseDir, CRUISE_ROOTS, moduleRules, EXCLUDE);
  const folders = await run(baseDir, PRODUCT_ROOTS, folderRules, `${EXCLUDE}|${PRODUCT_EXCLUDE}`);
  return [...perFile, ...folders].map((violation) => ({
    rule: violation.rule.name,
    from: violation.from,
    to: violation.to,
    ...(violation.cycle ? { cycle: violation.cycle.map((step) => step.name) } : {}),
  }));
}

function describe(violation: Violation): string {
  const target = violation.cycle ? [violation.from, ...violation.cycle].join(' → ') : `${violation.from} → ${violation.to}`;
  return `  ${violation.rule}: ${target}`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
  const violations = await checkArchitecture(root);
  for (const violation of violations) console.error(describe(violation));
  if (violations.length > 0) {
    const rules = [...moduleRules.forbidden ?? [], ...moduleRules.required ?? [], ...folderRules.forbidden ?? []];
    console.error('');
    for (const name of new Set(violations.map((violation) => violation.rule))) {
      console.error(`${name}: ${rules.find((rule) => rule.name === name)?.comment ?? ''}`);
    }
    console.error(`\n${violations.length} architecture violation(s); the rules and why: scripts/architecture/rules.ts, docs/architecture.md`);
    process.exitCode = 1;
  } else {
    console.log('architecture: layers, module DAG, folder cycles and test placement all hold');
  }
}
