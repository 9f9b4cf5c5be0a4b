// 4. Incremental deploy of the 1% commit onto a store holding the base commit, in-process and as a
// CLI, vs diff-tree + cat-file + parse + raw upserts in one transaction; the ratio to a full
// redeploy; no-op deploys (the deployed commit again, and a new commit with the same content).

import { existsSync } from 'node:fs';
import { storeFile } from '../lib/repos.mjs';
import { runCli, runProbe } from '../lib/proc.mjs';
import { row, atMost, below, scaleTarget } from '../lib/row.mjs';
import { med } from '../lib/stats.mjs';
import { copyDb, envDb } from '../lib/stores.mjs';
import { cliFullDeploy, ferryFullDeploy, floorRestore } from './restore.mjs';

const deployArgs = (ref) => ['deploy', '--env', 'dev', '--ref', ref, '--actor', 'bench', '--quiet'];

function incrementalProbe(meta, baseStore) {
  copyDb(baseStore, envDb(meta));
  return runProbe('ferry-deploy', { root: meta.dir, env: 'dev', ref: meta.head });
}

function incrementalCli(meta, baseStore) {
  copyDb(baseStore, envDb(meta));
  return runCli(deployArgs(meta.head), { cwd: meta.dir });
}

export async function measureIncremental(meta, { runs, log, shared }) {
  const baseStore = storeFile(meta.items, 'base-dev');
  const floorBase = storeFile(meta.items, 'floor-base');
  if (!existsSync(baseStore)) {
    log('  no stored base deployment yet: deploying the base commit once (untimed)');
    await cliFullDeploy(meta);
  }
  if (!existsSync(floorBase)) await floorRestore(meta);
  if (shared.fullDeployMs === undefined) {
    log('  full redeploy not measured in this run: measuring it once for the ratio');
    shared.fullDeployMs = (await ferryFullDeploy(meta)).ms;
  }

  const floorWork = storeFile(meta.items, 'floor-work');
  const floors = [];
  const ferry = [];
  const cli = [];
  for (let i = 0; i < runs; i++) {
    copyDb(floorBase, floorWork);
    floors.push(await runProbe('floor-incremental', { repo: meta.dir, base: meta.base, head: meta.head, folder: 'content', db: floorWork }));
    copyDb(baseStore, envDb(meta));
    const f = await runProbe('ferry-deploy', { root: meta.dir, env: 'dev', ref: meta.head });
    if (f.status !== 'succeeded') throw new Error(`incremental deploy ended ${f.status} with ${f.errors} error(s)`);
    ferry.push(f);
    copyDb(baseStore, envDb(meta));
    cli.push(await runCli(deployArgs(meta.head), { cwd: meta.dir }));
    log(`  incremental run ${i + 1}: ferry ${f.ms.toFixed(0)} ms work, CLI ${cli[i].wallMs.toFixed(0)} ms wall, floor ${floors[i].ms.toFixed(0)} ms work / ${floors[i].wallMs.toFixed(0)} ms wall (${floors[i].upserts} upserts, ${floors[i].deletes} deletes)`);
  }
  // The store now holds the head commit: keep it for the no-op deploys.
  const headStore = storeFile(meta.items, 'head-dev');
  copyDb(envDb(meta), headStore);

  const again = [];
  const sameTree = [];
  const sameTreeWork = [];
  const noopFloors = [];
  for (let i = 0; i < runs; i++) {
    copyDb(headStore, envDb(meta));
    noopFloors.push(await runProbe('floor-noop', { repo: meta.dir, rev: meta.head, db: envDb(meta) }));
    again.push(await runCli(deployArgs(meta.head), { cwd: meta.dir }));
    copyDb(headStore, envDb(meta));
    sameTree.push(await runCli(deployArgs(meta.noop), { cwd: meta.dir }));
    copyDb(headStore, envDb(meta));
    sameTreeWork.push(await runProbe('ferry-deploy', { root: meta.dir, env: 'dev', ref: meta.noop }));
    log(`  no-op run ${i + 1}: same commit ${again[i].wallMs.toFixed(0)} ms, new commit same content ${sameTree[i].wallMs.toFixed(0)} ms wall / ${sameTreeWork[i].ms.toFixed(0)} ms work (${sameTreeWork[i].status}), floor ${noopFloors[i].wallMs.toFixed(0)} ms wall`);
  }

  const work = med(ferry, 'ms');
  const wall = med(cli, 'wallMs');
  const speedup = shared.fullDeployMs / work;
  const noopAgain = med(again, 'wallMs');
  const noopSame = med(sameTree, 'wallMs');
  shared.noop = { again: noopAgain, sameTree: noopSame, sameTreeWork: med(sameTreeWork, 'ms') };
  const floorLabel = `diff-tree + cat-file + js-yaml + raw upserts, 1 tx (${floors[0].upserts} up, ${floors[0].deletes} del${floors[0].binaries ? `, ${floors[0].binaries} binaries` : ''})`;
  return {
    rows: [
      row({ figure: 'incremental deploy 1%, in-process work', value: work, unit: 'ms', floor: floorLabel, floorValue: med(floors, 'ms'), target: '≤ 0.65 s', pass: atMost(work, 650), profile: () => incrementalProbe(meta, baseStore) }),
      row({ figure: 'incremental deploy 1%, `ferry deploy` CLI wall', value: wall, unit: 'ms', floor: 'same floor, whole process wall', floorValue: med(floors, 'wallMs'), target: '< 1.1 s', pass: below(wall, 1100), profile: () => incrementalCli(meta, baseStore) }),
      row({ figure: 'full redeploy ÷ incremental (in-process work)', value: speedup, unit: 'x', floor: `full ${Math.round(shared.fullDeployMs)} ms ÷ incremental ${Math.round(work)} ms`, ...scaleTarget(meta, '≥ 20x', speedup >= 20), profile: () => incrementalProbe(meta, baseStore) }),
      row({ figure: 'peak RSS, incremental deploy CLI', value: med(cli, 'maxRssKb'), unit: 'kb', floor: 'floor process', floorValue: med(floors, 'processRssKb'), target: 'reported' }),
      row({ figure: 'no-op: redeploy of the deployed commit, CLI wall', value: noopAgain, unit: 'ms', floor: 'rev-parse + open store + read a row, process wall', floorValue: med(noopFloors, 'wallMs'), target: '< 0.5 s', pass: below(noopAgain, 500), profile: () => runCli(deployArgs(meta.head), { cwd: meta.dir }) }),
      row({ figure: 'no-op: new commit, same content, CLI wall', value: noopSame, unit: 'ms', floor: 'same floor', floorValue: med(noopFloors, 'wallMs'), target: '< 0.5 s', pass: below(noopSame, 500), profile: () => (copyDb(headStore, envDb(meta)), runCli(deployArgs(meta.noop), { cwd: meta.dir })) }),
      row({ figure: 'no-op: new commit, same content, in-process work', value: med(sameTreeWork, 'ms'), unit: 'ms', floor: 'same floor, work', floorValue: med(noopFloors, 'ms'), target: 'reported' }),
    ],
    notes: [],
    raw: { floors, ferry, cli: cli.map(({ wallMs, maxRssKb }) => ({ wallMs, maxRssKb })), again: again.map((r) => r.wallMs), sameTree: sameTree.map((r) => r.wallMs), sameTreeWork, noopFloors },
  };
}
