// 2. Full restore of the base commit into a fresh SQLite store (`ferry deploy --env dev`), in-process
// and as a CLI, vs read + parse + raw prepared upserts in one transaction.

import { storeFile } from '../lib/repos.mjs';
import { runCli, runProbe } from '../lib/proc.mjs';
import { row, atMost, below } from '../lib/row.mjs';
import { med } from '../lib/stats.mjs';
import { clearDb, copyDb, envDb } from '../lib/stores.mjs';

const GIB_KB = 1024 * 1024;

/** Runs the floor restore; its database stays at `storeFile(items, 'floor-base')` for the incremental floor. */
export function floorRestore(meta) {
  return runProbe('floor-restore', { repo: meta.dir, commit: meta.base, folder: 'content', db: storeFile(meta.items, 'floor-base') });
}

/** A fresh in-process full deploy of the base commit. */
export async function ferryFullDeploy(meta) {
  clearDb(envDb(meta));
  const r = await runProbe('ferry-deploy', { root: meta.dir, env: 'dev', ref: meta.base });
  if (r.status !== 'succeeded') throw new Error(`full deploy ended ${r.status} with ${r.errors} error(s)`);
  return r;
}

/** A fresh CLI full deploy of the base commit; the store is kept as `storeFile(items, 'base-dev')`. */
export async function cliFullDeploy(meta) {
  clearDb(envDb(meta));
  const r = await runCli(['deploy', '--env', 'dev', '--ref', meta.base, '--actor', 'bench', '--quiet'], { cwd: meta.dir });
  copyDb(envDb(meta), storeFile(meta.items, 'base-dev'));
  return r;
}

export async function measureRestore(meta, { runs, bigRuns, log, shared }) {
  const n = meta.items >= 100_000 ? bigRuns : runs;
  const floors = [];
  const ferry = [];
  const cli = [];
  for (let i = 0; i < n; i++) {
    floors.push(await floorRestore(meta));
    ferry.push(await ferryFullDeploy(meta));
    cli.push(await cliFullDeploy(meta));
    log(`  restore run ${i + 1}: ferry ${ferry[i].ms.toFixed(0)} ms work, CLI ${cli[i].wallMs.toFixed(0)} ms wall, floor ${floors[i].ms.toFixed(0)} ms work / ${floors[i].wallMs.toFixed(0)} ms wall`);
  }
  const work = med(ferry, 'ms');
  const wall = med(cli, 'wallMs');
  const rss = med(cli, 'maxRssKb');
  shared.fullDeployMs = work;
  return {
    rows: [
      row({ figure: `full restore, ${meta.items} items, in-process work`, value: work, unit: 'ms', floor: `ls-tree + cat-file --batch + js-yaml + raw upserts, 1 tx (${floors[0].rows} YAML rows, ${floors[0].binaries ?? 0} binaries)`, floorValue: med(floors, 'ms'), target: '≤ 20 s (stretch ≤ 10 s)', pass: atMost(work, 20_000), profile: () => ferryFullDeploy(meta) }),
      row({ figure: 'full restore, `ferry deploy` CLI wall', value: wall, unit: 'ms', floor: 'same floor, whole process wall', floorValue: med(floors, 'wallMs'), target: '≤ 20 s (stretch ≤ 10 s)', pass: atMost(wall, 20_000), profile: () => cliFullDeploy(meta) }),
      row({ figure: 'peak RSS, `ferry deploy` CLI', value: rss, unit: 'kb', floor: 'floor process', floorValue: med(floors, 'processRssKb') ?? med(floors, 'maxRssKb'), target: '< 1 GiB', pass: below(rss, GIB_KB), profile: () => cliFullDeploy(meta) }),
      row({ figure: 'peak RSS, in-process deploy', value: med(ferry, 'maxRssKb'), unit: 'kb', target: '< 1 GiB', pass: below(med(ferry, 'maxRssKb'), GIB_KB) }),
    ],
    notes: [],
    raw: { floors, ferry, cli: cli.map(({ wallMs, maxRssKb }) => ({ wallMs, maxRssKb })) },
  };
}
