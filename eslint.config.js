// Lint keeps the architecture honest: the pure core (errors, model, format, config, diff,
// validate, plan, report, merge) may not import adapters, Node I/O modules or drivers.
//
// Plans are decided in plan/, read and written in restore/ (src/restore/README.md):
// - plan/ is core, so it may not import restore/ (nor any adapter): decisions are functions of values.
// - restore/'s planning files (compute-plan, gather-*, validation-snapshot) may not import the path
//   layout (format/layout.ts): which path is what, and so which files a plan reads, re-validates or
//   treats as changed binaries, is decided by plan/head-reads.ts, which they call.
// - nowhere outside format/layout.ts does code test a path by a kind's folder name
//   (`p.includes('/assets/')`, `p.startsWith(`${x}content-types/`)`): classifyPath says what a path is.
// A rule cannot follow a folder name through a variable; review catches the rest.
//
// The shells (cli, github as the Actions wrapper, transport/server) sit side by side over the
// library and never import one another; the library (api/, src/index.ts) imports no shell.
// Import cycles are checked by dpdm in `npm run lint`.
import tseslint from 'typescript-eslint';

const ioModules = [
  'node:fs', 'node:fs/promises', 'fs', 'fs/promises', 'node:child_process', 'child_process',
  'node:net', 'node:http', 'node:https', 'http', 'https', 'net', 'node:worker_threads',
  'better-sqlite3', 'pg', 'execa', 'isomorphic-git',
];
const kindFolderTest = '/(^|\\/)(languages|workspaces|channels|content-types|assets|items|pages)\\//';
const pathTestMethods = 'CallExpression[callee.property.name=/^(includes|startsWith|endsWith)$/]';

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
    files: ['src/restore/{compute-plan,gather-*,gathered,validation-snapshot}.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/format/layout*', '**/format/index*', '**/format'], message: 'Which path is what is a planning decision: call plan/head-reads.ts.' }],
      }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.test.ts', 'src/**/test-support/**', 'src/format/layout.ts'],
    rules: {
      'no-restricted-syntax': ['error',
        { selector: `${pathTestMethods} > Literal[value=${kindFolderTest}]`, message: 'Classify paths with classifyPath (format/layout.ts), not by folder name.' },
        { selector: `${pathTestMethods} > TemplateLiteral > TemplateElement[value.raw=${kindFolderTest}]`, message: 'Classify paths with classifyPath (format/layout.ts), not by folder name.' },
      ],
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
