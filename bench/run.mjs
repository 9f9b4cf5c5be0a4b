#!/usr/bin/env node
// Ferry's benchmark: `npm run bench` (builds dist/ first). Each figure is measured beside its floor
// (the fastest available pieces doing the same work) in the same run, and reported as a ratio.
//
//   node bench/run.mjs [--sizes 10000,100000] [--quick] [--only load,restore,diff,incremental,startup,merge]
//                      [--runs 3] [--big-runs 1] [--profile] [--out FILE]
//
// See bench/README.md for what is measured and how.

import { mkdirSync, readdirSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { describeMachine } from './lib/machine.mjs';
import { BENCH_DIR, setNodeFlags } from './lib/proc.mjs';
import { formatSummary, summarizeProfile } from './lib/profile-summary.mjs';
import { ensureRepo, warmPageCache, WORK_DIR } from './lib/repos.mjs';
import { machineSection, table } from './lib/report.mjs';
import { row, atMost } from './lib/row.mjs';
import { measureDiff } from './measures/diff.mjs';
import { measureIncremental } from './measures/incremental.mjs';
import { measureLoad } from './measures/load.mjs';
import { measureMerge } from './measures/merge.mjs';
import { measureRestore } from './measures/restore.mjs';
import { measureStartup } from './measures/startup.mjs';

const MEASURES = {
  load: { title: '1. Load + validate of the folder', run: measureLoad },
  restore: { title: '2. Full restore into a fresh SQLite store', run: measureRestore },
  diff: { title: '3. Changeset of the 1% commit', run: measureDiff },
  incremental: { title: '4. Incremental deploy of the 1% commit', run: measureIncremental },
};
const ALL = [...Object.keys(MEASURES), 'startup', 'merge'];

// `--store postgres`: the PostgreSQL store's benchmark (bench/postgres.mjs) instead.
if (process.argv.includes('--store') && process.argv[process.argv.indexOf('--store') + 1] === 'postgres') {
  const { runPostgresBench } = await import('./postgres.mjs');
  await runPostgresBench(process.argv.slice(2));
  process.exit(0);
}

const { values } = parseArgs({
  options: {
    sizes: { type: 'string' },
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    runs: { type: 'string', default: '3' },
    'big-runs': { type: 'string', default: '1' },
    profile: { type: 'boolean', default: false },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  process.stdout.write('usage: node bench/run.mjs [--sizes 10000,100000] [--quick] [--only load,restore,diff,incremental,startup,merge] [--runs 3] [--big-runs 1] [--profile] [--out FILE]\n');
  process.exit(0);
}
const sizes = (values.sizes ?? (values.quick ? '10000' : '10000,100000')).split(',').map((s) => Number(s.trim()));
if (sizes.some((s) => !Number.isInteger(s) || s < 1)) throw new Error(`--sizes: whole numbers, got ${values.sizes}`);
const only = values.only ? values.only.split(',').map((s) => s.trim()) : ALL;
for (const o of only) if (!ALL.includes(o)) throw new Error(`--only: unknown measure ${o} (${ALL.join(', ')})`);
const partial = values.quick || values.only !== undefined || values.sizes !== undefined;
// A partial run does not overwrite the full results unless asked to.
const outFile = values.out ?? (partial ? join(WORK_DIR, 'RESULTS.md') : join(BENCH_DIR, 'RESULTS.md'));
const opts = { runs: Number(values.runs), bigRuns: Number(values['big-runs']) };

const started = performance.now();
const log = (s) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${s}\n`);

const machine = await describeMachine();
log(`machine: ${machine.nproc} cores, ${machine.memGiB} GiB, node ${machine.node}, git ${machine.git}`);

const sections = [];
const raw = { machine, sizes: {} };
const bySize = {};
// Size-independent measures (startup, merge) need no generated repository.
const repoSizes = Object.keys(MEASURES).some((m) => only.includes(m)) ? sizes : [];
for (const size of repoSizes) {
  log(`=== ${size} items`);
  const meta = await ensureRepo(size, log);
  const { pages: pc, assets: ac } = meta.counts.one;
  log(`  repository ${meta.dir}: base ${meta.base.slice(0, 8)}, head ${meta.head.slice(0, 8)} (items ${meta.counts.one.changed} changed, ${meta.counts.one.added} added, ${meta.counts.one.deleted} deleted; ${pc ? `${pc.total} pages: ${pc.edited} edited, ${pc.moved} moved, ${pc.added} added, ${pc.deleted} deleted; ${ac.total} assets: ${ac.replaced} replaced, ${ac.moved} moved, ${ac.added} added, ${ac.deleted} deleted` : 'no pages or assets'}), 10% ${meta.ten.slice(0, 8)}`);
  const warmStarted = performance.now();
  const warmBytes = warmPageCache(meta);
  log(`  read the repository once to warm the page cache: ${(warmBytes / 2 ** 20).toFixed(0)} MiB in ${((performance.now() - warmStarted) / 1000).toFixed(1)} s`);
  const shared = {};
  bySize[size] = shared;
  raw.sizes[size] = { meta, measures: {} };
  for (const [name, m] of Object.entries(MEASURES)) {
    if (!only.includes(name)) continue;
    log(`${m.title} (${size} items), load average ${loadavg()[0].toFixed(2)}`);
    const loadBefore = loadavg()[0];
    let result;
    try {
      result = await m.run(meta, { ...opts, log, shared });
    } catch (e) {
      // One broken measure (a Ferry error, a missing module) must not cost the others.
      log(`  FAILED: ${e.stack ?? e}`);
      result = { rows: [row({ figure: `measure failed: ${String(e.message ?? e).split('\n')[0]}`, unit: 'ms', pass: false })], notes: [`\`\`\`\n${String(e.message ?? e).slice(0, 1500)}\n\`\`\``], raw: { error: String(e.stack ?? e) } };
    }
    result.notes.push(`1-minute load average ${loadBefore.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after (${machine.nproc} cores).`);
    raw.sizes[size].measures[name] = result.raw;
    sections.push({ title: `${m.title} — ${size.toLocaleString('en-US')} items`, result });
  }
}

// Checks across sizes: a no-op and a changeset's memory must not grow with the repository.
if (repoSizes.length > 1) {
  const [small, big] = [Math.min(...sizes), Math.max(...sizes)];
  const s = bySize[small];
  const b = bySize[big];
  const rows = [];
  if (s.noop && b.noop) {
    const flat = (v, f) => v <= f * 1.25 || v - f <= 50;
    rows.push(row({ figure: `no-op, deployed commit again, CLI wall: ${big} vs ${small} items`, value: b.noop.again, unit: 'ms', floor: `${small} items`, floorValue: s.noop.again, target: 'flat (≤ 1.25x or +50 ms)', pass: flat(b.noop.again, s.noop.again) }));
    rows.push(row({ figure: `no-op, new commit same content, CLI wall: ${big} vs ${small} items`, value: b.noop.sameTree, unit: 'ms', floor: `${small} items`, floorValue: s.noop.sameTree, target: 'flat (≤ 1.25x or +50 ms)', pass: flat(b.noop.sameTree, s.noop.sameTree) }));
  }
  if (s.diff && b.diff) {
    rows.push(row({ figure: `changeset peak RSS, ${big} items 1% (${b.diff.files.one} files) vs ${small} items 10% (${s.diff.files.ten} files)`, value: b.diff.rss.one, unit: 'kb', floor: `${small} items, 10%`, floorValue: s.diff.rss.ten, target: 'follows the change (≤ 1.25x)', pass: atMost(b.diff.rss.one / s.diff.rss.ten, 1.25) }));
    rows.push(row({ figure: `changeset peak RSS, no change: ${big} vs ${small} items`, value: b.diff.rss.none, unit: 'kb', floor: `${small} items`, floorValue: s.diff.rss.none, target: 'flat (≤ 1.25x)', pass: atMost(b.diff.rss.none / s.diff.rss.none, 1.25) }));
    rows.push(row({ figure: `changeset peak RSS, ${big} items: 10% vs 1%`, value: b.diff.rss.ten, unit: 'kb', floor: '1%', floorValue: b.diff.rss.one, target: 'grows with the change', pass: b.diff.rss.ten > b.diff.rss.one }));
  }
  if (rows.length) sections.push({ title: `Across sizes (${small.toLocaleString('en-US')} vs ${big.toLocaleString('en-US')} items)`, result: { rows, notes: [] } });
}

if (only.includes('startup')) {
  log('5. Node start-up');
  const loadBefore = loadavg()[0];
  let result;
  try {
    result = await measureStartup({ ...opts, log });
  } catch (e) {
    log(`  FAILED: ${e.stack ?? e}`);
    result = { rows: [row({ figure: `measure failed: ${String(e.message ?? e).split('\n')[0]}`, unit: 'ms', pass: false })], notes: [], raw: { error: String(e.stack ?? e) } };
  }
  result.notes.push(`1-minute load average ${loadBefore.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after (${machine.nproc} cores).`);
  raw.startup = result.raw;
  sections.push({ title: '5. Node start-up', result });
}

if (only.includes('merge')) {
  log('6. Merge driver');
  let result;
  try {
    result = await measureMerge({ ...opts, log });
  } catch (e) {
    log(`  FAILED: ${e.stack ?? e}`);
    result = { rows: [row({ figure: `measure failed: ${String(e.message ?? e).split('\n')[0]}`, unit: 'ms', pass: false })], notes: [], raw: { error: String(e.stack ?? e) } };
  }
  raw.merge = result.raw;
  sections.push({ title: '6. Merge driver (`ferry merge-file`)', result });
}

// Profile what missed its target (one more run of the same thing under --cpu-prof).
const profiles = [];
if (values.profile) {
  for (const sec of sections) {
    for (const r of sec.result.rows) {
      if (r.pass !== false || !r.profile) continue;
      const dir = join(WORK_DIR, 'profiles', `${Date.now()}`);
      mkdirSync(dir, { recursive: true });
      log(`profiling: ${sec.title}: ${r.figure}`);
      setNodeFlags([`--cpu-prof`, `--cpu-prof-dir=${dir}`]);
      let result;
      try {
        result = await r.profile();
      } finally {
        setNodeFlags([]);
      }
      const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
      for (const f of files) {
        // A probe says when its work started: leave out start-up and imports.
        const summary = summarizeProfile(JSON.parse(readFileSync(join(dir, f), 'utf8')), { fromUs: result?.workStartUs });
        profiles.push({ title: `${sec.title}: ${r.figure}${result?.workStartUs ? ' (work only)' : ' (whole process)'}`, file: join(dir, f), summary });
      }
    }
  }
}

// ---------------------------------------------------------------------------------- report
const misses = sections.flatMap((s) => s.result.rows.filter((r) => r.pass === false).map((r) => `- ${s.title}: ${r.figure}`));
let md = `# Ferry benchmark results\n\nWritten by \`npm run bench\` (\`bench/run.mjs${process.argv.slice(2).length ? ' ' + process.argv.slice(2).join(' ') : ''}\`) in ${((performance.now() - started) / 60000).toFixed(1)} min. `;
md += 'Every floor was measured in the same run as the figure beside it; the ratio is Ferry ÷ floor. ';
md += `Times are medians of ${opts.runs} runs (the ${'100,000'}-item full restore and full snapshot load: ${opts.bigRuns} run); each run is a fresh \`node\` process. `;
md += '"In-process" is the work time of the library call inside the process (after start-up and imports); "CLI wall" is the whole `node dist/cli/bin.js` process as a user runs it. ';
md += 'Targets (../shared/notes/performance-floors.md) are set for 100k items; the 10k rows are held to the same absolute bars, while targets about scaling (share of a full load, ratio to a full redeploy) are reported without a verdict at 10k, where fixed costs dominate.\n\n';
md += `## Machine\n\n${machineSection(machine)}\n\n`;
md += `## Summary\n\n${misses.length ? `Missed targets:\n\n${misses.join('\n')}\n` : 'Every figure met its target.\n'}\n`;
for (const s of sections) {
  md += `## ${s.title}\n\n${table(s.result.rows)}\n`;
  if (s.result.notes.length) md += `\n${s.result.notes.map((n) => `- ${n}`).join('\n')}\n`;
  md += '\n';
}
if (profiles.length) {
  md += '## CPU profiles of the misses\n\n';
  for (const p of profiles) md += `### ${p.title}\n\n\`${p.file}\`\n\n\`\`\`\n${formatSummary({ ...p.summary, total: p.summary.total.filter((t) => /\sdist\//.test(t.name)) }, 15)}\`\`\`\n\n`;
}
const analysis = join(BENCH_DIR, 'ANALYSIS.md');
if (existsSync(analysis)) md += readFileSync(analysis, 'utf8');

mkdirSync(WORK_DIR, { recursive: true });
const rawFile = join(WORK_DIR, `results-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(rawFile, JSON.stringify(raw, null, 1) + '\n');
writeFileSync(outFile, md);
process.stdout.write(md);
log(`wrote ${outFile} (raw figures: ${rawFile})`);
