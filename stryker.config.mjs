// Mutation testing of the trust and safety core (`npm run mutate`; not part of `npm test`).
// Only these modules are mutated, and only the fast in-process tests that describe their behaviour
// run against the mutants (test/mutation/vitest.config.ts). `npm run mutate -- --mutate <file>`
// runs one module; the incremental file (reports/stryker-incremental.json, not committed) lets a
// re-run test only the mutants whose code or tests changed.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'vitest',
  vitest: { configFile: 'test/mutation/vitest.config.ts', related: true },
  checkers: ['typescript'],
  tsconfigFile: 'test/mutation/tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  mutate: [
    // List verification and state: rollback, freeze, floors.
    'electron/core/lists/verify.ts',
    'electron/core/catalog/state-store.ts',
    // Codes, roots and thresholds.
    'electron/core/codes/codes.ts',
    'electron/core/lists/roots.ts',
    'electron/core/lists/signed.ts',
    // Bridge auth and the loopback exemption.
    'electron/core/bridge/auth.ts',
    // Probe classification.
    'electron/core/probe/classify.ts',
    'electron/core/probe/tcp-check.ts',
    'electron/core/net/errno.ts',
    // Selection policy.
    'electron/core/selection/policy.ts',
    'electron/core/selection/rank.ts',
    // System-proxy ownership.
    'electron/core/browsers/system-proxy/manager.ts',
    'electron/core/browsers/system-proxy/state-machine.ts',
    'electron/core/browsers/system-proxy/journal.ts',
  ],
  ignoreStatic: true,
  concurrency: 2,
  timeoutMS: 20000,
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress-append-only', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportMutants: false, reportScoreTable: true },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  thresholds: { high: 90, low: 80, break: null },
};
