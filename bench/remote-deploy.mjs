#!/usr/bin/env node
// Remote deploy beside local deploy: the incremental deploy of the 1% commit (`ferry deploy --env
// dev --ref head` as a CLI, wall time) onto a store holding the base commit, once with the store
// local (sqlite:) and once behind `ferry serve` on 127.0.0.1 (http://, signed sync). Same
// repository, same base store, same run; target: remote within 2x of local.
//
//   npm run build && node bench/remote-deploy.mjs [--sizes 10000,100000] [--runs 3]
//
// Uses the cached synthetic repositories of bench/run.mjs (bench/.work/). Works in a shared clone
// of them, so it never touches the stores the main benchmark copies around.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CLI, git, runCli } from './lib/proc.mjs';
import { ensureRepo, storeFile } from './lib/repos.mjs';
import { median } from './lib/stats.mjs';
import { clearDb, copyDb } from './lib/stores.mjs';
import { cliFullDeploy } from './measures/restore.mjs';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '10000,100000' }, runs: { type: 'string', default: '3' } } });
const sizes = values.sizes.split(',').map(Number);
const runs = Number(values.runs);
const SECRET = 'bench-sync-secret-0123456789abcdef-0123456789';
const log = (s) => process.stderr.write(`${s}\n`);
const deployArgs = (ref) => ['deploy', '--env', 'dev', '--ref', ref, '--actor', 'bench', '--format', 'json', '--quiet'];

function config(store) {
  return `folder: content\nenvironments:\n  - name: dev\n    store: ${store}\n`;
}

/** Starts `ferry serve` on a copy of the base store; resolves with its URL and a stop function. */
async function startInstance(cwd, db, tasks) {
  const child = spawn(process.execPath, [CLI, 'serve', '--env', 'dev', '--store', `sqlite:${db}`, '--tasks-db', tasks, '--port', '0'], {
    cwd,
    env: { ...process.env, FERRY_SYNC_SECRET: SECRET },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const first = await new Promise((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (c) => {
      buf += c;
      const nl = buf.indexOf('\n');
      if (nl !== -1) resolve(JSON.parse(buf.slice(0, nl)));
    });
    child.on('exit', (code) => reject(new Error(`ferry serve exited with ${code}`)));
  });
  child.stdout.resume();
  return {
    url: first.url,
    stop: () => new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGTERM'))),
  };
}

const rows = [];
for (const size of sizes) {
  const meta = await ensureRepo(size, log);
  const base = storeFile(size, 'base-dev');
  if (!existsSync(base)) {
    log(`  ${size}: deploying the base commit once (untimed)`);
    await cliFullDeploy(meta);
  }
  const work = mkdtempSync(join(tmpdir(), 'ferry-remote-bench-'));
  try {
    const clone = join(work, 'repo');
    await git(work, ['clone', '-q', '--shared', '--no-checkout', meta.dir, clone]);
    const localDb = join(clone, '.ferry', 'dev.db');
    const remoteDb = join(work, 'instance', 'dev.db');
    const tasks = join(work, 'instance', 'tasks.db');
    const local = [];
    const remote = [];
    for (let i = 0; i < runs; i++) {
      writeFileSync(join(clone, 'repository.config.yaml'), config('sqlite:.ferry/dev.db'));
      copyDb(base, localDb);
      local.push((await runCli(deployArgs(meta.head), { cwd: clone })).wallMs);

      copyDb(base, remoteDb);
      clearDb(tasks);
      const instance = await startInstance(clone, remoteDb, tasks);
      try {
        writeFileSync(join(clone, 'repository.config.yaml'), config(instance.url));
        const r = await runCli(deployArgs(meta.head), { cwd: clone, env: { FERRY_SYNC_SECRET: SECRET } });
        if (JSON.parse(r.stdout).status === 'error') throw new Error(r.stdout);
        remote.push(r.wallMs);
      } finally {
        await instance.stop();
      }
      log(`  ${size} run ${i + 1}: local ${local[i].toFixed(0)} ms, remote ${remote[i].toFixed(0)} ms (wall)`);
    }
    const ratio = median(remote) / median(local);
    rows.push({ size, local: median(local), remote: median(remote), ratio, pass: ratio <= 2 });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

process.stdout.write('| items | local deploy 1% (CLI wall) | remote deploy 1% via ferry serve (CLI wall) | remote ÷ local | target ≤ 2x |\n| ---: | ---: | ---: | ---: | :---: |\n');
for (const r of rows) {
  process.stdout.write(`| ${r.size} | ${r.local.toFixed(0)} ms | ${r.remote.toFixed(0)} ms | ${r.ratio.toFixed(2)}x | ${r.pass ? 'pass' : 'FAIL'} |\n`);
}
