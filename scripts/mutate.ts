// `npm run mutate`: Stryker over the trust and safety core (stryker.config.mjs), then the mutation
// score per module of that core and the wall time. Extra arguments go to Stryker, e.g.
// `npm run mutate -- --mutate electron/core/bridge/auth.ts` for one module while developing.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The modules of the trust and safety core, as the README reports them. */
export const MODULES: Record<string, string[]> = {
  'list verification and state (rollback, freeze, floors)': ['electron/core/lists/verify.ts', 'electron/core/catalog/state-store.ts'],
  'codes': ['electron/core/codes/codes.ts'],
  'roots and thresholds': ['electron/core/lists/roots.ts', 'electron/core/lists/signed.ts'],
  'bridge auth and the loopback exemption': ['electron/core/bridge/auth.ts'],
  'probe classification': ['electron/core/probe/classify.ts', 'electron/core/probe/tcp-check.ts', 'electron/core/net/errno.ts'],
  'selection policy': ['electron/core/selection/policy.ts', 'electron/core/selection/rank.ts'],
  'system-proxy ownership': ['electron/core/browsers/system-proxy/manager.ts', 'electron/core/browsers/system-proxy/state-machine.ts', 'electron/core/browsers/system-proxy/journal.ts'],
};

interface Report {
  files: Record<string, { mutants: { status: string }[] }>;
}

const DETECTED = new Set(['Killed', 'Timeout']);
const COUNTED = new Set(['Killed', 'Timeout', 'Survived', 'NoCoverage']);

/** Mutation score as Stryker computes it: detected / (detected + survived + no coverage). */
export function scoreOf(statuses: string[]): { detected: number; counted: number; score: number | null } {
  const counted = statuses.filter((s) => COUNTED.has(s)).length;
  const detected = statuses.filter((s) => DETECTED.has(s)).length;
  return { detected, counted, score: counted === 0 ? null : (100 * detected) / counted };
}

function main(): number {
  const root = process.cwd();
  const started = Date.now();
  const run = spawnSync(join(root, 'node_modules', '.bin', 'stryker'), ['run', ...process.argv.slice(2)], { stdio: 'inherit' });
  const minutes = (Date.now() - started) / 60_000;
  if (run.status !== 0) return run.status ?? 1;
  const report = JSON.parse(readFileSync(join(root, 'reports', 'mutation', 'mutation.json'), 'utf8')) as Report;
  const byFile = new Map(Object.entries(report.files).map(([f, v]) => [f.replace(`${root}/`, ''), v.mutants.map((m) => m.status)]));
  const rows: string[] = [];
  const all: string[] = [];
  for (const [name, files] of Object.entries(MODULES)) {
    const statuses = files.flatMap((f) => byFile.get(f) ?? []);
    if (statuses.length === 0) continue;
    all.push(...statuses);
    const s = scoreOf(statuses);
    rows.push(`${s.score === null ? '   n/a' : `${s.score.toFixed(1).padStart(5)} %`}  ${String(s.detected).padStart(4)}/${String(s.counted).padEnd(4)}  ${name}`);
  }
  const total = scoreOf(all);
  console.log(`\nMutation score per module of the trust and safety core (killed or timed out / all that ran):\n${rows.join('\n')}`);
  console.log(`${total.score === null ? '   n/a' : `${total.score.toFixed(1).padStart(5)} %`}  ${String(total.detected).padStart(4)}/${String(total.counted).padEnd(4)}  all of the above`);
  console.log(`wall time: ${minutes.toFixed(1)} min`);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = main();
