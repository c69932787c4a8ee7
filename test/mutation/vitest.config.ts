// The tests that `npm run mutate` (stryker.config.mjs) runs against each mutant of the trust and
// safety core: in-process tests of its behaviour, fast enough to run hundreds of times. They are
// ordinary tests too (vitest.config.ts includes them in `npm test`).
import { defineConfig } from 'vitest/config';

export const MUTATION_TESTS = [
  // List verification and state (rollback, freeze, floors); roots and thresholds.
  'test/trust/list-import.test.ts',
  'test/trust/verify-roots.test.ts',
  'electron/core/lists/verify.test.ts',
  'electron/core/lists/roots.test.ts',
  'electron/core/catalog/state-store.test.ts',
  // Codes.
  'test/foundation/codes.test.ts',
  'test/trust/code-rules.test.ts',
  'test/foundation/code-problems.test.ts',
  'test/foundation/codes-new-kinds.test.ts',
  'electron/core/codes/codes.test.ts',
  // Probe classification.
  'test/probe/classify.test.ts',
  'test/probe/tcp-check.test.ts',
  'electron/core/net/errno.test.ts',
  // Bridge auth and the loopback exemption.
  'test/bridge/auth-lan.test.ts',
  'test/bridge/auth.test.ts',
  'electron/core/bridge/auth.test.ts',
  // Selection policy.
  'electron/core/selection/policy.test.ts',
  'electron/core/selection/rank.test.ts',
  'electron/core/selection/selection.test.ts',
  // System-proxy ownership.
  'test/browsers/system-proxy-ownership.test.ts',
  'test/browsers/system-proxy-manager.test.ts',
  'electron/core/browsers/system-proxy/journal.test.ts',
];

export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: MUTATION_TESTS,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
