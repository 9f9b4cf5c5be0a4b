// Lint keeps the architecture honest: the pure core (errors, model, format, config, diff,
// validate, plan, report, merge) may not import adapters, Node I/O modules or drivers; the shells
// (cli, github as the Actions wrapper, transport/server) sit side by side over the library and
// never import one another; the library (api/, src/index.ts) imports no shell. Import cycles are
// checked by dpdm in `npm run lint`.
import tseslint from 'typescript-eslint';

const ioModules = [
  'node:fs', 'node:fs/promises', 'fs', 'fs/promises', 'node:child_process', 'child_process',
  'node:net', 'node:http', 'node:https', 'http', 'https', 'net', 'node:worker_threads',
  'better-sqlite3', 'pg', 'execa', 'isomorphic-git',
];
const shellMessage = 'Shells sit side by side over the library (src/api, src/index.ts): a shell never imports another one. Wire them in src/cli/bin.ts.';
const cliFolder = { group: ['**/cli/**', '**/cli/*'], message: shellMessage };
const githubFolder = { group: ['**/github/**', '**/github/*'], message: shellMessage };
const serverFolder = { group: ['**/transport/server/**', '**/transport/server/*'], message: 'Reach the server through the transport library surface (src/transport/index.ts).' };
const shellRule = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });
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
  {
    files: ['src/cli/**/*.ts'],
    // bin.ts is the composition root: it wires the GitHub Actions reporter into the CLI.
    ignores: ['src/cli/bin.ts', 'src/**/*.test.ts'],
    rules: shellRule(githubFolder, serverFolder),
  },
  {
    files: ['src/github/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: shellRule(cliFolder, serverFolder),
  },
  {
    files: ['src/transport/server/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: shellRule(cliFolder, githubFolder),
  },
  {
    // The library: what programs that embed Ferry load. It never loads a shell (nor commander).
    files: ['src/index.ts', 'src/api/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: shellRule(cliFolder, githubFolder, serverFolder),
  },
);
