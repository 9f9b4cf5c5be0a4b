// 6. The merge driver: `ferry merge-file` on a 100 KB rich-text item (issue 16: under 50 ms).
// Size-independent: it needs no generated repository.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeObjectText } from '../../dist/index.js';
import { runCli, runProbe, runProcess } from '../lib/proc.mjs';
import { mergeInputs } from '../probes/merge-inputs.mjs';
import { row, below } from '../lib/row.mjs';
import { med } from '../lib/stats.mjs';

export async function measureMerge({ runs, log }) {
  const probe = await runProbe('ferry-merge', { iterations: 30 });
  const { base, ours, theirs, path } = mergeInputs(encodeObjectText);
  const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-merge-'));
  const cli = [];
  const bare = [];
  try {
    for (let i = 0; i < Math.max(runs, 3); i++) {
      writeFileSync(join(dir, 'base.yaml'), base);
      writeFileSync(join(dir, 'ours.yaml'), ours);
      writeFileSync(join(dir, 'theirs.yaml'), theirs);
      cli.push(await runCli(['merge-file', 'base.yaml', 'ours.yaml', 'theirs.yaml', '--path', path], { cwd: dir }));
      bare.push(await runProcess(process.execPath, ['-e', '0']));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  log(`  merge: ${probe.ms.toFixed(1)} ms in-process (floor ${probe.floorMs.toFixed(1)} ms, first call ${probe.coldMs.toFixed(1)} ms), CLI wall ${med(cli, 'wallMs').toFixed(0)} ms`);
  const kb = Math.round(probe.bytes / 1024);
  return {
    rows: [
      row({ figure: `merge a ${kb} KB rich-text item, in-process (median of 30)`, value: probe.ms, unit: 'ms', floor: 'js-yaml ×3 + node-diff3 of the body + js-yaml dump', floorValue: probe.floorMs, target: '< 50 ms', pass: below(probe.ms, 50) }),
      row({ figure: `merge a ${kb} KB rich-text item, first call in a process`, value: probe.coldMs, unit: 'ms', target: 'reported' }),
      row({ figure: '`ferry merge-file` of it, process wall', value: med(cli, 'wallMs'), unit: 'ms', floor: '`node -e 0`', floorValue: med(bare, 'wallMs'), target: 'reported' }),
    ],
    notes: ['Ours edits a paragraph near the start and the title; theirs one near the end and adds a variant: a clean merge.'],
    raw: { probe, cli: cli.map((r) => r.wallMs) },
  };
}
