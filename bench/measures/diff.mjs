// 3. Changeset of the 1% commit: in-process diffRevisions and `ferry diff --format json` vs
// `git diff-tree` + one `git cat-file --batch` of the changed blobs; the isomorphic-git adapter
// beside them; peak RSS for no change, 1% and 10% (it must follow the change).

import { runCli, runProbe } from '../lib/proc.mjs';
import { row, atMost, below, scaleTarget } from '../lib/row.mjs';
import { med } from '../lib/stats.mjs';

export async function measureDiff(meta, { runs, bigRuns, log, shared }) {
  const params = (head, adapter) => ({ root: meta.dir, base: meta.base, head, adapter });
  const floors = [];
  const plumbing = [];
  const cli = [];
  const iso = [];
  for (let i = 0; i < runs; i++) {
    floors.push(await runProbe('floor-diff', { repo: meta.dir, base: meta.base, head: meta.head, folder: 'content' }));
    plumbing.push(await runProbe('ferry-diff', params(meta.head)));
    cli.push(await runCli(['diff', meta.base, meta.head, '--format', 'json'], { cwd: meta.dir }));
    iso.push(await runProbe('ferry-diff', params(meta.head, 'isomorphic')));
    log(`  diff run ${i + 1}: ferry ${plumbing[i].ms.toFixed(0)} ms, CLI ${cli[i].wallMs.toFixed(0)} ms, isomorphic ${iso[i].ms.toFixed(0)} ms, floor ${floors[i].ms.toFixed(0)} ms (${floors[i].paths} paths, ${floors[i].blobs} blobs)`);
  }
  // Peak RSS as the change grows: nothing (head → a commit with the same tree), 1%, 10%.
  const none = await runProbe('ferry-diff', { root: meta.dir, base: meta.head, head: meta.noop });
  const tenFloor = await runProbe('floor-diff', { repo: meta.dir, base: meta.base, head: meta.ten, folder: 'content' });
  const ten = await runProbe('ferry-diff', params(meta.ten));
  const tenCli = await runCli(['diff', meta.base, meta.ten, '--format', 'json'], { cwd: meta.dir });
  const tenIso = await runProbe('ferry-diff', params(meta.ten, 'isomorphic'));
  log(`  diff 10%: ferry ${ten.ms.toFixed(0)} ms, CLI ${tenCli.wallMs.toFixed(0)} ms, isomorphic ${tenIso.ms.toFixed(0)} ms, floor ${tenFloor.ms.toFixed(0)} ms; RSS none/1%/10% ${[none, plumbing[0], ten].map((r) => (r.maxRssKb / 1024).toFixed(0)).join('/')} MiB`);

  // The full snapshot load the changeset must stay far below.
  const loads = [];
  for (let i = 0; i < (meta.items >= 100_000 ? bigRuns : runs); i++) loads.push(await runProbe('ferry-load-commit', { root: meta.dir, rev: meta.head }));
  log(`  full snapshot load of the head commit: ${med(loads, 'ms').toFixed(0)} ms`);

  const value = med(plumbing, 'ms');
  const floorValue = med(floors, 'ms');
  const cliWall = med(cli, 'wallMs');
  const loadMs = med(loads, 'ms');
  const share = (value / loadMs) * 100;
  const floorLabel = `diff-tree + cat-file --batch (${floors[0].paths} paths, ${floors[0].blobs} blobs)`;
  shared.diff = { rss: { none: none.maxRssKb, one: med(plumbing, 'maxRssKb'), ten: ten.maxRssKb }, files: { one: plumbing[0].filesRead, ten: ten.filesRead } };
  return {
    rows: [
      row({ figure: 'changeset 1%, in-process (diffRevisions)', value, unit: 'ms', floor: floorLabel, floorValue, target: '≤ 150 ms', pass: atMost(value, 150), profile: () => runProbe('ferry-diff', params(meta.head)) }),
      row({ figure: '`ferry diff base head --format json`, CLI wall', value: cliWall, unit: 'ms', floor: 'same floor, whole process wall', floorValue: med(floors, 'wallMs'), target: '≤ 0.5 s', pass: atMost(cliWall, 500), profile: () => runCli(['diff', meta.base, meta.head, '--format', 'json'], { cwd: meta.dir }) }),
      row({ figure: 'changeset 1% vs full snapshot load of the head commit', value: share, unit: '%', floor: `readSnapshot of the commit: ${Math.round(loadMs)} ms`, ...scaleTarget(meta, '< 10%', below(share, 10)), profile: () => runProbe('ferry-diff', params(meta.head)) }),
      row({ figure: 'changeset 1%, isomorphic-git adapter, in-process', value: med(iso, 'ms'), unit: 'ms', floor: 'same floor', floorValue, target: 'reported' }),
      row({ figure: 'changeset 10%, in-process', value: ten.ms, unit: 'ms', floor: `same, 10% (${tenFloor.paths} paths, ${tenFloor.blobs} blobs)`, floorValue: tenFloor.ms, target: 'reported' }),
      row({ figure: 'changeset 10%, CLI wall', value: tenCli.wallMs, unit: 'ms', floor: 'same, whole process wall', floorValue: tenFloor.wallMs, target: 'reported' }),
      row({ figure: 'changeset 10%, isomorphic-git, in-process', value: tenIso.ms, unit: 'ms', floor: 'same, 10%', floorValue: tenFloor.ms, target: 'reported' }),
      row({ figure: 'peak RSS, changeset of no change (in-process)', value: none.maxRssKb, unit: 'kb', target: 'baseline' }),
      row({ figure: `peak RSS, changeset 1% (${plumbing[0].filesRead} files read)`, value: med(plumbing, 'maxRssKb'), unit: 'kb', target: 'follows the change' }),
      row({ figure: `peak RSS, changeset 10% (${ten.filesRead} files read)`, value: ten.maxRssKb, unit: 'kb', target: 'follows the change' }),
      row({ figure: 'peak RSS, changeset 1%, `ferry diff` CLI', value: med(cli, 'maxRssKb'), unit: 'kb', target: 'reported' }),
      row({ figure: 'peak RSS, changeset 10%, `ferry diff` CLI', value: tenCli.maxRssKb, unit: 'kb', target: 'reported' }),
      row({ figure: 'peak RSS, changeset 1%, isomorphic-git', value: med(iso, 'maxRssKb'), unit: 'kb', target: 'reported' }),
      row({ figure: 'peak RSS, changeset 10%, isomorphic-git', value: tenIso.maxRssKb, unit: 'kb', target: 'reported' }),
    ],
    notes: [],
    raw: { floors, plumbing, iso, cli: cli.map(({ wallMs, maxRssKb }) => ({ wallMs, maxRssKb })), none, ten, tenIso, tenFloor, tenCli: { wallMs: tenCli.wallMs, maxRssKb: tenCli.maxRssKb }, loads },
  };
}
