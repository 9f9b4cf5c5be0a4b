// What the figures were measured on.

import { readFileSync } from 'node:fs';
import { cpus, totalmem, freemem, loadavg } from 'node:os';
import { join } from 'node:path';
import { ROOT, runProcess } from './proc.mjs';

const version = (pkg) => {
  try {
    return JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  } catch {
    return '?';
  }
};

export async function describeMachine() {
  const out = async (cmd, args) => (await runProcess(cmd, args, { measureRss: false })).stdout.trim();
  return {
    date: await out('date', ['-u']),
    nproc: await out('nproc', []),
    cpu: cpus()[0]?.model ?? '?',
    memGiB: (totalmem() / 1024 ** 3).toFixed(1),
    freeGiB: (freemem() / 1024 ** 3).toFixed(1),
    load: loadavg().map((l) => l.toFixed(2)).join(' '),
    os: await out('uname', ['-srm']),
    node: process.version,
    git: (await out('git', ['--version'])).replace(/^git version /, ''),
    commit: `${await out('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD'])}${(await out('git', ['-C', ROOT, 'status', '--porcelain', '--', 'src'])) ? ' + uncommitted changes in src/' : ''}`,
    libs: ['better-sqlite3', 'js-yaml', 'yaml', 'ajv', 'isomorphic-git', 'execa'].map((p) => `${p} ${version(p)}`).join(', '),
  };
}
