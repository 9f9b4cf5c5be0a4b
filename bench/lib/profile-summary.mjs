// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self and total time per function and
// self time per file, optionally only for samples after a given time (skipping start-up).
//
//   node bench/lib/profile-summary.mjs FILE.cpuprofile [--top 25] [--after-ms 400] [--match dist/]

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** The project root (`…/bench/lib/` two levels up), cut off file paths: any checkout, any worktree. */
const ROOT_PREFIX = fileURLToPath(new URL('../../', import.meta.url));
const relative = (path) => (path.startsWith(ROOT_PREFIX) ? path.slice(ROOT_PREFIX.length) : path);

/**
 * @param {object} profile parsed .cpuprofile
 * @param {{ afterMs?: number, fromUs?: number }} [opts] skip samples before `afterMs` into the
 *   profile, or before `fromUs` (a `process.hrtime` time in µs, the profile's own clock)
 */
export function summarizeProfile(profile, opts = {}) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map();
  let t = profile.startTime;
  const startAt = Math.max(profile.startTime + (opts.afterMs ?? 0) * 1000, opts.fromUs ?? 0);
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    t += dt;
    if (t < startAt) continue;
    const id = profile.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
  }
  const label = (n) => {
    const f = n.callFrame;
    let url = f.url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, 'node_modules/');
    url = relative(url);
    return `${f.functionName || '(anonymous)'} ${url ? `${url}:${f.lineNumber + 1}` : ''}`.trim();
  };
  const fileOf = (n) => relative(n.callFrame.url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\/([^/]+).*$/, 'node_modules/$1')) || `(${n.callFrame.functionName || 'native'})`;
  const self = new Map();
  const total = new Map();
  const byFile = new Map();
  let all = 0;
  for (const [id, us] of selfUs) {
    all += us;
    const n = nodes.get(id);
    const key = label(n);
    self.set(key, (self.get(key) ?? 0) + us);
    byFile.set(fileOf(n), (byFile.get(fileOf(n)) ?? 0) + us);
    // Total time: each distinct function on the stack once.
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const k = label(nodes.get(cur));
      if (seen.has(k)) continue;
      seen.add(k);
      total.set(k, (total.get(k) ?? 0) + us);
    }
  }
  const sorted = (m) => [...m].sort((a, b) => b[1] - a[1]).map(([name, us]) => ({ name, ms: us / 1000 }));
  return { totalMs: all / 1000, self: sorted(self), total: sorted(total), byFile: sorted(byFile) };
}

export function formatSummary(s, top = 20) {
  const rows = (list) => list.slice(0, top).map((r) => `  ${r.ms.toFixed(1).padStart(9)} ms  ${r.name}`).join('\n');
  return `sampled ${s.totalMs.toFixed(0)} ms\nself time by function:\n${rows(s.self)}\ntotal time by function:\n${rows(s.total)}\nself time by file:\n${rows(s.byFile)}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '20' }, 'after-ms': { type: 'string', default: '0' } } });
  for (const file of positionals) {
    const s = summarizeProfile(JSON.parse(readFileSync(file, 'utf8')), { afterMs: Number(values['after-ms']) });
    process.stdout.write(`${file}\n${formatSummary(s, Number(values.top))}`);
  }
}
