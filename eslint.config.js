// Lint keeps the architecture honest: the pure core (errors, model, format, config, diff,
// validate, plan, report, merge) may not import adapters, Node I/O modules or drivers.
import tseslint from 'typescript-eslint';

const ioModules = [
  'node:fs', 'node:fs/promises', 'fs', 'fs/promises', 'node:child_process', 'child_process',
  'node:net', 'node:http', 'node:https', 'http', 'https', 'net', 'node:worker_threads',
  'better-sqlite3', 'pg', 'execa', 'simple-git', 'isomorphic-git', 'fast-glob',
];
const adapterFolders = ['**/git/**', '**/snapshot/**', '**/store/**', '**/restore/**', '**/transport/**', '**/github/**', '**/cli/**', '**/demo/**', '**/cache/**'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench/**', 'test/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['src/{errors,model,format,config,diff,validate,plan,report,merge}/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ioModules.map((name) => ({ name, message: 'The core is pure: pass adapters in, do not import I/O.' })),
        patterns: [{ group: adapterFolders, message: 'The core may not import adapters or shells.' }],
      }],
      'no-restricted-globals': ['error', { name: 'process', message: 'The core takes env/clock as arguments.' }],
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'Inject the clock.' }],
    },
  },
);
