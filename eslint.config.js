// Lint rules, including the layering rules of DEVELOPERS.md:
//   electron/core and shared never import 'electron';
//   shared and renderer never import Node built-ins.
// The layers, the module DAG, folder cycles and where tests live are checked by dependency-cruiser
// (scripts/architecture/, run by `npm run lint` after ESLint; docs/architecture.md).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const noElectron = { name: 'electron', message: 'electron/core and shared stay plain Node: no electron imports.' };
const noNode = nodeBuiltins.map((name) => ({ name, message: 'shared/ and renderer/ are pure TS: no Node built-ins.' }));

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.cache/**', 'release/**', 'test-results/**', 'renderer/dist/**', '.stryker-tmp*/**', 'reports/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['electron/core/**', 'electron/cli/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron] }] },
  },
  {
    files: ['shared/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron, ...noNode], patterns: [{ group: ['node:*'], message: 'shared/ is pure TS: no Node built-ins.' }] }] },
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noElectron, ...noNode],
        patterns: [{ group: ['node:*', '**/electron/**'], message: 'renderer/ talks only to the typed Api in shared/.' }],
      }],
    },
  },
);
