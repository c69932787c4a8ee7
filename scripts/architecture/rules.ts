// The architecture as dependency-cruiser rules (run by scripts/architecture/check.ts in `npm run lint`).
// Layers, lowest first; imports point down, never up:
//   shared  <-  core base (fs, crypto, net, paths.ts)  <-  core modules  <-  engine layer  <-  cli, main
//   preload -> shared only;  renderer -> shared only (the typed Api): never electron, Node or core.
// Core modules use each other only along the DAG in MODULE_DEPS; no import cycle between folders;
// unit tests live beside their code, integration tests in test/<module>/.
// docs/architecture.md draws this; test/architecture/lint-rules.test.ts plants each violation.
import type { IConfiguration, IForbiddenRuleType, IRegularForbiddenRuleType, IRequiredRuleType } from 'dependency-cruiser';

const CORE = 'electron/core';
/** Core base utilities every module may use. */
export const BASE = ['fs', 'crypto', 'net'];
/**
 * Core modules, each with the other core modules it may import: a new edge is a decision, made
 * here. Must stay a DAG (the planted-violation test checks it), so a loop between two modules is
 * always a lint error. Selection reads probe results by their shape; the prober ranks with it.
 * Channels turn the bytes they fetched into candidate blobs with the list format (lists/candidates.ts).
 * The catalog hands each server set to the selection through a sink it declares (live.ts): no edge.
 */
export const MODULE_DEPS: Record<string, string[]> = {
  lists: [],
  codes: ['lists'],
  channels: ['lists'],
  catalog: ['lists', 'codes', 'channels'],
  bridge: [],
  selection: [],
  probe: ['bridge', 'selection'],
  browsers: [],
};
export const MODULES = Object.keys(MODULE_DEPS);
/** The engine layer: the core Engine and its Api adapter, the engine's host process, the local UI server. */
export const ENGINE = ['engine', 'engine-host', 'ui-server'];

/**
 * What today's tree still violates because another part of issue 10 is moving that code right
 * now; each entry goes when that part lands. `from` is a path regex exempted from `rule`
 * (for no-folder-cycle: the folder, and `to` the folder it may still loop with).
 */
export const PENDING: { rule: string; from: string; to?: string; part: string }[] = [];

const any = (names: string[]): string => `(${names.join('|')})`;
const coreDir = (names: string[]): string => `^${CORE}/${any(names)}/`;
const TEST = '\\.test\\.tsx?$';
const SRC = '^(electron|shared|renderer)/';
const OUTSIDE_SRC = '^(test|bench|scripts|bin|build)/';
const BASE_PATH = `${coreDir(BASE)}|^${CORE}/paths\\.ts$`;
const MODULE_PATH = coreDir(MODULES);
const ENGINE_PATH = coreDir(ENGINE);
const APPS_PATH = '^electron/(cli|main)/';
const UI_PATH = '^(electron/preload|renderer)/';
const ELECTRON_PKG = '^electron$|node_modules/electron/';
const BUILD_CONFIG = '(^|/)vite\\.config\\.ts$';
/** Test helpers that start processes (the real CLI, `porthole up`) or network namespaces. */
const INTEGRATION_HELPERS = ['cli', 'up-process', 'lan'];
/** Folders under test/ that hold helpers, peers and fixtures rather than tests. */
const TEST_SUPPORT = ['helpers', 'peers', 'fixtures'];

function pendingFor(rule: string): string[] {
  return PENDING.filter((entry) => entry.rule === rule).map((entry) => entry.from);
}

function rule(name: string, comment: string, from: { path: string; pathNot?: string }, to: IRegularForbiddenRuleType['to']): IRegularForbiddenRuleType {
  const exempt = [...(from.pathNot ? [from.pathNot] : []), ...pendingFor(name)];
  return { name, comment, severity: 'error', from: { path: from.path, ...(exempt.length ? { pathNot: exempt.join('|') } : {}) }, to };
}

/**
 * A rule per core module: its code imports only the modules MODULE_DEPS lists for it. Its unit
 * tests are leaves and may borrow another module's types for fixtures (the layer rules still hold).
 */
const moduleDag = MODULES.map((name) => {
  const others = MODULES.filter((other) => other !== name && !(MODULE_DEPS[name] ?? []).includes(other));
  const allowed = (MODULE_DEPS[name] ?? []).join(', ') || 'no other core module';
  return rule('module-dag', `${CORE}/${name}/ may import only ${allowed} (MODULE_DEPS).`, { path: `^${CORE}/${name}/`, pathNot: TEST }, { path: coreDir(others) });
});

function unitTestBeside(module: string, to: string): IRequiredRuleType {
  return {
    name: 'unit-test-beside-its-code',
    comment: 'a unit test beside the code imports code of its own folder (or the folder above); otherwise it belongs in test/<module>/.',
    severity: 'error',
    module: { path: module },
    to: { path: to },
  };
}

/** Rules checked on every file, tests included. */
export const moduleRules: IConfiguration = {
  forbidden: [
    rule('shared-is-pure', 'shared/ is pure TS used by every layer: it imports only shared/ and npm packages, never Node or electron.',
      { path: '^shared/' }, { path: `^(electron|renderer|test|bench|scripts|bin|build)/|${ELECTRON_PKG}` }),
    rule('shared-is-pure', 'shared/ is pure TS: no Node built-ins.', { path: '^shared/' }, { dependencyTypes: ['core'] }),
    rule('base-imports-shared-only', 'core base (fs, crypto, net, paths.ts) imports only shared/ and other base utilities.',
      { path: BASE_PATH }, { path: `${MODULE_PATH}|${ENGINE_PATH}|${APPS_PATH}|${UI_PATH}` }),
    rule('modules-import-down', 'core modules import shared/, core base and other modules, never the engine layer, cli, main or the UI.',
      { path: MODULE_PATH }, { path: `${ENGINE_PATH}|${APPS_PATH}|${UI_PATH}` }),
    ...moduleDag,
    rule('engine-imports-down', 'engine, engine-host and ui-server never import cli, main, preload or renderer.',
      { path: ENGINE_PATH }, { path: `${APPS_PATH}|${UI_PATH}` }),
    rule('core-is-layered', `every file under ${CORE}/ is in a base, module or engine folder (or is paths.ts): add new folders to scripts/architecture/rules.ts.`,
      { path: `^${CORE}/`, pathNot: `${BASE_PATH}|${MODULE_PATH}|${ENGINE_PATH}` }, {}),
    rule('core-no-electron', 'electron/core and electron/cli stay plain Node: no electron imports.',
      { path: `^${CORE}/|^electron/cli/` }, { path: ELECTRON_PKG }),
    rule('apps-stay-apart', 'cli and main are separate front doors: neither imports the other, nor preload or renderer.',
      { path: '^electron/cli/' }, { path: `^electron/main/|${UI_PATH}` }),
    rule('apps-stay-apart', 'cli and main are separate front doors: neither imports the other, nor preload or renderer.',
      { path: '^electron/main/' }, { path: `^electron/cli/|${UI_PATH}` }),
    rule('preload-imports-shared-only', 'preload exposes the typed Api from shared/ and nothing else of ours.',
      { path: '^electron/preload/', pathNot: BUILD_CONFIG }, { path: `^(electron/(core|cli|main)|renderer)/|${OUTSIDE_SRC}` }),
    rule('renderer-imports-shared-only', 'renderer/ talks only to the typed Api in shared/: no electron, no core.',
      { path: '^renderer/', pathNot: BUILD_CONFIG }, { path: `^electron/|${OUTSIDE_SRC}|${ELECTRON_PKG}` }),
    rule('renderer-imports-shared-only', 'renderer/ is browser code: no Node built-ins.',
      { path: '^renderer/', pathNot: BUILD_CONFIG }, { dependencyTypes: ['core'] }),
    rule('src-never-imports-tests', 'product code never imports tests, test helpers, benches or scripts.',
      { path: SRC, pathNot: TEST }, { path: `${OUTSIDE_SRC}|${TEST}` }),
    rule('unit-test-no-peers', 'a unit test beside its code starts no real peer, CLI process or network namespace: that is an integration test, for test/<module>/.',
      { path: `${SRC}.*${TEST}` }, { path: `^test/peers/|^test/helpers/${any(INTEGRATION_HELPERS)}\\.ts$` }),
    rule('test-placement', 'tests live beside their code (unit) or in test/<module>/ (integration), nowhere else.',
      { path: TEST, pathNot: `${SRC}|^test/(?!${any(TEST_SUPPORT)}/)[^/]+/` }, { path: '(^|/)vitest(/|$)' }),
  ],
  required: [
    // A unit test beside the code imports code of its own folder, or of the folder above (the
    // module's front door, e.g. shared/links/links.test.ts tests shared/proxy-link.ts).
    unitTestBeside(`^((?:electron|shared|renderer)(?:/[^/]+)*?/)([^/]+/)[^/]+${TEST}`, '^$1($2)?[^/]+(?<!\\.test)\\.tsx?$'),
    unitTestBeside(`^((?:electron|shared|renderer)/)[^/]+${TEST}`, '^$1[^/]+(?<!\\.test)\\.tsx?$'),
  ],
};

/**
 * Checked on product code only (tests and their helpers left out: a test importing a helper that
 * imports product code is no architectural loop). Sub-folders of one module may use each other.
 */
function folderCycleRules(): IForbiddenRuleType[] {
  const pending = PENDING.filter((entry) => entry.rule === 'no-folder-cycle');
  const base = {
    name: 'no-folder-cycle',
    comment: 'folders depend on each other along a DAG: no import cycle between two folders (sub-folders of one module excepted).',
    severity: 'error' as const,
    scope: 'folder' as const,
  };
  const MODULE_FOLDER = '^(electron/core/[^/]+|electron/[^/]+|shared|renderer)';
  return [
    {
      ...base,
      from: { path: MODULE_FOLDER, ...(pending.length ? { pathNot: pending.map((entry) => `^${entry.from}$`).join('|') } : {}) },
      to: { circular: true, pathNot: '^$1(/|$)' },
    },
    ...pending.map((entry) => ({
      ...base,
      from: { path: `^(${entry.from})$` },
      to: { circular: true, pathNot: `^$1(/|$)|^${entry.to}(/|$)` },
    })),
  ];
}
export const folderRules: IConfiguration = { forbidden: folderCycleRules() };

/** Where the rules look: sources, tests, benches, scripts. */
export const CRUISE_ROOTS = ['electron', 'shared', 'renderer', 'test', 'bench', 'scripts', 'bin'];
/** Product code only, for the folder-cycle pass. */
export const PRODUCT_ROOTS = ['electron', 'shared', 'renderer'];
export const PRODUCT_EXCLUDE = `${TEST}|${BUILD_CONFIG}`;
/** Build output and tool caches (anchored: npm packages have dist/ folders too, and must stay in view). */
export const EXCLUDE = '^(dist|renderer/dist|release|reports|test-results|\\.cache)/|^\\.stryker-tmp';
