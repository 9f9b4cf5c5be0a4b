// Shared by the probes: each probe is a short Node script that does one thing and prints one JSON
// line with its in-process work time (`ms`, after start-up and imports) and peak RSS (`maxRssKb`).

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
export const DIST = join(ROOT, 'dist', 'index.js');

/** Runs `work(params)` and prints `{ ...itsResult, maxRssKb }`. `work` returns at least `{ ms }`. */
export async function probe(work) {
  const params = JSON.parse(process.argv[2] ?? '{}');
  // Same clock as a .cpuprofile's sample times: lets a profile summary skip start-up and imports.
  const workStartUs = Number(process.hrtime.bigint() / 1000n);
  const result = await work(params);
  process.stdout.write(`${JSON.stringify({ ...result, workStartUs, maxRssKb: process.resourceUsage().maxRSS })}\n`);
}

/** A Ferry context for `cwd`; `adapter` `isomorphic` selects the isomorphic-git adapter. */
export function ferryContext(cwd, adapter) {
  const env = { ...process.env };
  if (adapter) env.FERRY_GIT_ADAPTER = adapter;
  else delete env.FERRY_GIT_ADAPTER;
  return { cwd, env, now: () => new Date() };
}
