// The synthetic repositories the benchmark runs on, generated once with bench/generate.mjs and
// cached under bench/.work/ (git-ignored). One repository per size holds:
//   base    the generated items, pages and assets     (first commit)
//   head    1% changed, 0.1% added, 0.1% deleted      (second commit, checked out; items, pages
//           and assets alike: pages edited or moved, asset binaries replaced or moved)
//   ten     10% changed, 0.1% added, 0.1% deleted     (same base; fetched from a second generation)
//   noop    a commit on top of head with the same tree (nothing to deploy)

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_DIR, git, runProcess } from './proc.mjs';

export const WORK_DIR = join(BENCH_DIR, '.work');
const GENERATOR = join(BENCH_DIR, 'generate.mjs');
const SEED = 1;
/** Bump when what this file builds on top of the generator changes. */
const LAYOUT = 1;

function generatorKey() {
  return createHash('sha256').update(readFileSync(GENERATOR)).update(`layout ${LAYOUT} seed ${SEED}`).digest('hex').slice(0, 16);
}

async function generate(items, out, changePercent, log) {
  const args = [GENERATOR, '--items', String(items), '--out', out, '--seed', String(SEED), '--change-percent', String(changePercent), '--add-percent', '0.1', '--delete-percent', '0.1'];
  const r = await runProcess(process.execPath, args, { measureRss: false });
  if (r.code !== 0) throw new Error(`generate.mjs failed (${r.code}):\n${r.stderr.slice(-3000)}`);
  log(`  generated ${out} (${changePercent}% change) in ${(r.wallMs / 1000).toFixed(1)} s`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

/** The repository of `items` items (generating it when missing or stale) and its revisions. */
export async function ensureRepo(items, log = () => {}) {
  mkdirSync(WORK_DIR, { recursive: true });
  const dir = join(WORK_DIR, `repo-${items}`);
  const metaFile = join(WORK_DIR, `repo-${items}.json`);
  const key = generatorKey();
  if (existsSync(metaFile) && existsSync(join(dir, '.git'))) {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8'));
    if (meta.key === key) {
      if (!meta.packed) {
        await pack(dir, log);
        meta.packed = true;
        writeFileSync(metaFile, JSON.stringify(meta, null, 2) + '\n');
      }
      return meta;
    }
  }
  log(`generating the ${items}-item repository (cached in ${dir})…`);
  rmSync(dir, { recursive: true, force: true });
  rmSync(metaFile, { force: true });
  const one = await generate(items, dir, 1, log);
  const tenDir = join(WORK_DIR, `tmp-ten-${items}`);
  rmSync(tenDir, { recursive: true, force: true });
  try {
    const ten = await generate(items, tenDir, 10, log);
    if (ten.baseCommit !== one.baseCommit) throw new Error(`the 10% generation has another base commit (${ten.baseCommit} vs ${one.baseCommit})`);
    await git(dir, ['fetch', '--quiet', '--no-tags', tenDir, `+${ten.headCommit}:refs/heads/bench-ten`]);
    const fixed = { GIT_AUTHOR_NAME: 'Ferry Bench', GIT_AUTHOR_EMAIL: 'bench@example.com', GIT_AUTHOR_DATE: '2024-01-02T00:00:00Z', GIT_COMMITTER_NAME: 'Ferry Bench', GIT_COMMITTER_EMAIL: 'bench@example.com', GIT_COMMITTER_DATE: '2024-01-02T00:00:00Z' };
    const noop = await git(dir, ['commit-tree', `${one.headCommit}^{tree}`, '-p', one.headCommit, '-m', 'No content change'], fixed);
    await git(dir, ['update-ref', 'refs/heads/bench-noop', noop]);
    const meta = {
      key,
      items,
      dir,
      base: one.baseCommit,
      head: one.headCommit,
      ten: ten.headCommit,
      noop,
      counts: {
        one: { changed: one.changed, added: one.added, deleted: one.deleted, pages: one.pages, assets: one.assets },
        ten: { changed: ten.changed, added: ten.added, deleted: ten.deleted, pages: ten.pages, assets: ten.assets },
      },
      packed: true,
    };
    await pack(dir, log);
    writeFileSync(metaFile, JSON.stringify(meta, null, 2) + '\n');
    return meta;
  } finally {
    rmSync(tenDir, { recursive: true, force: true });
  }
}

/**
 * Packs every object, as a CI clone or a fetched repository has them: the generator commits with
 * `git commit`, which leaves 100k+ loose objects, each a separate file to open and inflate. Reading
 * loose objects made every git-bound figure (and its floor) 1.5-3x slower than on a real clone.
 */
async function pack(dir, log) {
  const t0 = performance.now();
  await git(dir, ['repack', '-a', '-d', '-q']);
  await git(dir, ['prune-packed']);
  log(`  packed the objects of ${dir} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

/** Where the benchmark keeps store files it copies back before each run. */
export function storeFile(items, name) {
  const dir = join(WORK_DIR, 'stores');
  mkdirSync(dir, { recursive: true });
  return join(dir, `${items}-${name}.db`);
}

/**
 * Reads every file of the repository (working tree and .git) once, untimed, so that whichever
 * run comes first (a floor or Ferry) does not pay for cold disk reads the others do not.
 */
export function warmPageCache(meta) {
  let bytes = 0;
  const walk = (dir) => {
    for (const d of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, d.name);
      if (d.isDirectory()) {
        if (d.name !== '.ferry') walk(p);
      } else if (d.isFile()) bytes += readFileSync(p).length;
    }
  };
  walk(meta.dir);
  return bytes;
}
