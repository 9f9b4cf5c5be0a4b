// Running the things we time as separate processes: probes (a Node script timing one in-process
// call and printing a JSON line) and whole CLI runs (wall time and peak RSS of the process).

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
export const ROOT = dirname(BENCH_DIR);
export const CLI = join(ROOT, 'dist', 'cli', 'bin.js');
const TIME = '/usr/bin/time';
export const HAS_GNU_TIME = existsSync(TIME);

/** Extra node flags for every child (e.g. `--cpu-prof --cpu-prof-dir=…` when profiling). */
let nodeFlags = [];
export function setNodeFlags(flags) {
  nodeFlags = flags;
}

/**
 * Runs a command to its end. Resolves with wall time (ms, measured here around the whole process),
 * exit code, stdout, stderr, and the peak RSS (KiB) `/usr/bin/time -v` saw when it is present.
 */
export async function runProcess(cmd, args, { cwd = ROOT, env = process.env, input, measureRss = true } = {}) {
  let timeFile;
  let file = cmd;
  let argv = args;
  if (measureRss && HAS_GNU_TIME) {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-'));
    timeFile = join(dir, 'time.txt');
    file = TIME;
    argv = ['-v', '-o', timeFile, cmd, ...args];
  }
  const started = performance.now();
  const child = spawn(file, argv, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  const out = [];
  const err = [];
  child.stdout.on('data', (b) => out.push(b));
  child.stderr.on('data', (b) => err.push(b));
  child.stdin.end(input);
  const code = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c) => resolve(c));
  });
  const wallMs = performance.now() - started;
  let maxRssKb;
  if (timeFile) {
    const text = readFileSync(timeFile, 'utf8');
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(text);
    if (m) maxRssKb = Number(m[1]);
    rmSync(dirname(timeFile), { recursive: true, force: true });
  }
  return { code, wallMs, maxRssKb, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

/** `ferry …` as a user runs it: a whole `node dist/cli/bin.js` process. Fails on an unexpected exit code. */
export async function runCli(args, { cwd, env = {}, okCodes = [0] } = {}) {
  const r = await runProcess(process.execPath, [...nodeFlags, CLI, ...args], { cwd, env: { ...process.env, ...env } });
  if (!okCodes.includes(r.code)) {
    throw new Error(`ferry ${args.join(' ')} exited with ${r.code}\n${r.stderr.slice(-2000)}\n${r.stdout.slice(-1000)}`);
  }
  return r;
}

/**
 * Runs `bench/probes/<name>.mjs` with one JSON argument; the probe prints one JSON line (its last
 * line of stdout) with at least `ms` (in-process work time) and `maxRssKb`.
 */
export async function runProbe(name, params, { env = {} } = {}) {
  const script = join(BENCH_DIR, 'probes', `${name}.mjs`);
  const r = await runProcess(process.execPath, [...nodeFlags, script, JSON.stringify(params)], { env: { ...process.env, ...env } });
  if (r.code !== 0) throw new Error(`probe ${name} exited with ${r.code}\n${r.stderr.slice(-3000)}`);
  const last = r.stdout.trim().split('\n').pop();
  let result;
  try {
    result = JSON.parse(last);
  } catch {
    throw new Error(`probe ${name} printed no JSON result:\n${r.stdout.slice(-1000)}\n${r.stderr.slice(-1000)}`);
  }
  return { ...result, wallMs: r.wallMs, processRssKb: r.maxRssKb };
}

/** A short-lived `git` command, its stdout as a string. */
export async function git(cwd, args, env = {}) {
  const r = await runProcess('git', args, { cwd, env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', ...env }, measureRss: false });
  if (r.code !== 0) throw new Error(`git ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout.trim();
}
