// Probe: Ferry's merge driver on a 100 KB rich-text item, in-process (work time, no start-up),
// beside its floor: js-yaml parsing the three versions, node-diff3 merging the body's lines and
// js-yaml writing the result once. Prints one JSON line.
import { performance } from 'node:perf_hooks';
import { CORE_SCHEMA, dump, load } from 'js-yaml';
import { diff3Merge } from 'node-diff3';
import { encodeObjectText, mergeContentFile } from '../../dist/index.js';
import { mergeInputs } from './merge-inputs.mjs';

const { iterations = 30 } = JSON.parse(process.argv[2] ?? '{}');
const { base, ours, theirs, path, bytes } = mergeInputs(encodeObjectText);

const coldStart = performance.now();
const first = mergeContentFile({ base, ours, theirs, path });
const coldMs = performance.now() - coldStart;
if (!first.clean) throw new Error(`the bench merge conflicted: ${JSON.stringify(first.conflicts)}`);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ferry = [];
const floor = [];
for (let i = 0; i < iterations; i++) {
  let t = performance.now();
  mergeContentFile({ base, ours, theirs, path });
  ferry.push(performance.now() - t);
  t = performance.now();
  const [b, o, th] = [base, ours, theirs].map((x) => load(x, { schema: CORE_SCHEMA }));
  const lines = (v) => v.variants['en-US'].fields.body.split('\n');
  const merged = diff3Merge(lines(o), lines(b), lines(th)).flatMap((r) => r.ok ?? []);
  o.variants['en-US'].fields.body = merged.join('\n');
  dump(o, { schema: CORE_SCHEMA, lineWidth: -1 });
  floor.push(performance.now() - t);
}
process.stdout.write(`${JSON.stringify({ ms: median(ferry), floorMs: median(floor), coldMs, bytes, maxRssKb: Math.round(process.resourceUsage().maxRSS) })}\n`);
