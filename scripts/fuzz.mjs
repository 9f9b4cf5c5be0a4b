#!/usr/bin/env node
// `npm run fuzz -- --runs N --seed S [--configs Full/tree-diff/sqlite,…] [--all-configs] [--project default|postgres]`: a soak of
// the differential deploy test (test/differential/). N generated edit sequences in all, split over
// the three restore modes' test files; each sequence is checked in one configuration of its mode
// drawn with it (all four with --all-configs). A failure prints the shrunk sequence as a replay
// script: keep it as a named case in test/differential/regressions.ts. Both vitest projects run the
// same sequences (targets on SQLite, then on PostgreSQL) unless --project picks one.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const value = (name, fallback) => {
  const i = args.indexOf(name);
  if (i === -1) return fallback;
  const v = args[i + 1];
  if (v === undefined || v.startsWith('--')) {
    console.error(`fuzz: ${name} needs a value`);
    process.exit(2);
  }
  return v;
};
for (const a of args) {
  if (a.startsWith('--') && !['--runs', '--seed', '--configs', '--all-configs', '--project'].includes(a)) {
    console.error(`fuzz: unknown option ${a} (known: --runs N, --seed S, --configs A,B, --all-configs, --project default|postgres)`);
    process.exit(2);
  }
}
const runs = Number(value('--runs', '300'));
const seed = Number(value('--seed', String(Date.now() % 2 ** 31)));
if (!Number.isInteger(runs) || runs < 1) (console.error('fuzz: --runs must be a positive integer'), process.exit(2));
if (!Number.isInteger(seed)) (console.error('fuzz: --seed must be an integer'), process.exit(2));
const configs = value('--configs', undefined);
const project = value('--project', undefined);
if (project !== undefined && !['default', 'postgres'].includes(project)) (console.error('fuzz: --project must be default or postgres'), process.exit(2));

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
console.log(`fuzz: ${runs} sequences, seed ${seed}${configs ? `, configs ${configs}` : ''}${project ? `, project ${project}` : ''} (replay: npm run fuzz -- --runs ${runs} --seed ${seed})`);
const r = spawnSync('npx', ['vitest', 'run', 'test/integration/differential-deploy', '-t', 'generated sequences', ...(project ? ['--project', project] : [])], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    FERRY_FUZZ_RUNS: String(Math.ceil(runs / 3)),
    FERRY_FUZZ_SEED: String(seed),
    FERRY_FUZZ_SAMPLE: args.includes('--all-configs') ? '0' : '1',
    ...(configs ? { FERRY_DIFF_CONFIGS: configs } : {}),
  },
});
process.exit(r.status ?? 1);
