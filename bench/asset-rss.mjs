#!/usr/bin/env node
// Peak RSS of deploying one large asset vs one small one: a repository holding a single asset of
// 1 MB, then of 200 MB, deployed as a CLI process (`ferry deploy --env dev`), measured with GNU
// time's maximum resident set size (the largest of ferry and the git processes it runs). Three
// paths: the binary as a plain git blob onto a local SQLite store; the binary in Git LFS (a clone
// that did not smudge: git holds the pointer, the object is in .git/lfs/objects); and the plain blob
// pushed to `ferry serve` on 127.0.0.1 (the instance's peak measured too). Target (issue 17): the
// 200 MB deploy stays within 100 MB of the 1 MB one on every path.
//
//   npm run build && node bench/asset-rss.mjs [--sizes 1,200] [--keep]
//
// Needs /usr/bin/time and git-lfs. Everything is written to a temp folder and removed afterwards.

import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync, openSync, writeSync, closeSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const CLI = join(ROOT, 'dist', 'cli', 'bin.js');
const SECRET = 'bench-sync-secret-0123456789abcdef-0123456789';
const { values } = parseArgs({ options: { sizes: { type: 'string', default: '1,200' }, keep: { type: 'boolean', default: false } } });
const sizesMb = values.sizes.split(',').map(Number);
const log = (s) => process.stderr.write(`${s}\n`);
const GIT_ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'b@example.com', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'b@example.com' };
const git = (cwd, ...args) => execFileSync('git', args, { cwd, env: GIT_ENV, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 26 }).toString().trim();

/** Writes `mb` MiB of random bytes in 1 MiB pieces (never all in memory) and returns their sha256. */
function writeRandom(path, mb) {
  const hash = createHash('sha256');
  const fd = openSync(path, 'w');
  for (let i = 0; i < mb; i++) {
    const chunk = randomBytes(1024 * 1024);
    hash.update(chunk);
    writeSync(fd, chunk);
  }
  closeSync(fd);
  return hash.digest('hex');
}

function makeRepo(base, mb, lfs) {
  const dir = join(base, `${lfs ? 'lfs' : 'git'}-${mb}mb`);
  mkdirSync(join(dir, 'content', 'assets', 'media'), { recursive: true });
  mkdirSync(join(dir, 'content', 'languages'), { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'gc.auto', '0');
  writeFileSync(join(dir, 'repository.config.yaml'), 'folder: content\nassets:\n  maxSize: 1GB\n  extensions: [mp4]\nenvironments:\n  - name: dev\n    store: ${FERRY_STORE_DEV:-sqlite:.ferry/dev.db}\n');
  writeFileSync(join(dir, '.gitignore'), '.ferry/\n');
  writeFileSync(join(dir, 'content/languages/en-US.yaml'), 'kind: language\ncodeName: en-US\ndisplayName: English\nisDefault: true\n');
  writeFileSync(join(dir, 'content/assets/media/_folder.yaml'), 'kind: assetFolder\nguid: 0b7a6f4e-2c1d-4e3f-8a9b-1c2d3e4f5a60\ncodeName: media\ndisplayName: Media\n');
  const sha = writeRandom(join(dir, 'content/assets/media/clip.mp4'), mb);
  writeFileSync(
    join(dir, 'content/assets/media/clip.yaml'),
    `kind: asset\nguid: 0b7a6f4e-2c1d-4e3f-8a9b-1c2d3e4f5a61\ncodeName: clip\nfolder: media\nfileName: clip.mp4\nmediaType: video/mp4\nsize: ${mb * 1024 * 1024}\nsha256: ${sha}\n`,
  );
  if (lfs) {
    git(dir, 'config', 'filter.lfs.clean', 'git-lfs clean -- %f');
    git(dir, 'config', 'filter.lfs.smudge', 'git-lfs smudge -- %f');
    git(dir, 'config', 'filter.lfs.process', 'git-lfs filter-process');
    writeFileSync(join(dir, '.gitattributes'), '*.mp4 filter=lfs diff=lfs merge=lfs -text\n');
  }
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'asset');
  // Packed, as a clone (a CI checkout) has it; a loose object is read through one whole-file mmap.
  git(dir, 'repack', '-adq');
  // The deploy reads git objects only: drop the working copy of the binary (as a CI clone without LFS smudge has a pointer).
  rmSync(join(dir, 'content/assets/media/clip.mp4'));
  return dir;
}

/** Runs `node args` under GNU time; resolves with its exit code, peak RSS in MB and stdout/stderr. */
function timed(args, opts) {
  return new Promise((resolve) => {
    const child = spawn('/usr/bin/time', ['-f', 'FERRY_MAXRSS_KB=%M', process.execPath, ...args], { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('close', (code) => {
      const m = /FERRY_MAXRSS_KB=(\d+)/.exec(err);
      resolve({ code, rssMb: m ? Number(m[1]) / 1024 : NaN, out, err, child });
    });
    opts.onChild?.(child);
  });
}

async function deployLocal(dir) {
  const r = await timed([CLI, 'deploy', '--env', 'dev', '--actor', 'bench', '--format', 'json'], { cwd: dir, env: GIT_ENV });
  if (r.code !== 0) throw new Error(`deploy failed in ${dir}:\n${r.out}\n${r.err}`);
  return { client: r.rssMb };
}

async function deployRemote(dir) {
  let serveChild;
  let url;
  const listening = new Promise((resolveUrl) => {
    void timed([CLI, 'serve', '--env', 'dev', '--store', `sqlite:${join(dir, '.ferry', 'instance.db')}`, '--port', '0'], {
      cwd: dir,
      env: { ...GIT_ENV, FERRY_SYNC_SECRET: SECRET },
      onChild: (c) => {
        serveChild = c;
        c.stdout.on('data', (chunk) => {
          const m = /"url":"(http:[^"]+)"/.exec(String(chunk));
          if (m && !url) resolveUrl((url = m[1]));
        });
      },
    }).then((r) => (serveResult = r));
  });
  let serveResult;
  await listening;
  const r = await timed([CLI, 'deploy', '--env', 'dev', '--actor', 'bench', '--format', 'json'], { cwd: dir, env: { ...GIT_ENV, FERRY_STORE_DEV: url, FERRY_SYNC_SECRET: SECRET } });
  // GNU time runs the instance: stop its child (the node process, by its pid), then wait for the report.
  const nodePid = Number(execFileSync('pgrep', ['-P', String(serveChild.pid)]).toString().trim().split('\n')[0]);
  process.kill(nodePid, 'SIGTERM');
  while (!serveResult) await new Promise((res) => setTimeout(res, 50));
  if (r.code !== 0) throw new Error(`remote deploy failed in ${dir}:\n${r.out}\n${r.err}`);
  return { client: r.rssMb, instance: serveResult.rssMb };
}

const base = mkdtempSync(join(tmpdir(), 'ferry-asset-rss-'));
const rows = [];
try {
  for (const mb of sizesMb) {
    for (const lfs of [false, true]) {
      log(`building a repository with one ${mb} MB asset${lfs ? ' in Git LFS' : ''}…`);
      const dir = makeRepo(base, mb, lfs);
      rows.push({ path: lfs ? 'Git LFS → SQLite' : 'git blob → SQLite', mb, ...(await deployLocal(dir)) });
      if (!lfs) rows.push({ path: 'git blob → ferry serve', mb, ...(await deployRemote(dir)) });
      if (!values.keep) rmSync(dir, { recursive: true, force: true });
    }
  }
} finally {
  if (!values.keep) rmSync(base, { recursive: true, force: true });
}

const fmt = (n) => (Number.isFinite(n) ? `${n.toFixed(0)} MB` : '—');
const lines = ['| path | asset | peak RSS, deploying CLI | peak RSS, instance |', '| --- | --- | --- | --- |'];
for (const r of rows) lines.push(`| ${r.path} | ${r.mb} MB | ${fmt(r.client)} | ${fmt(r.instance)} |`);
const small = Math.min(...sizesMb);
const large = Math.max(...sizesMb);
lines.push('');
for (const path of [...new Set(rows.map((r) => r.path))]) {
  const a = rows.find((r) => r.path === path && r.mb === small);
  const b = rows.find((r) => r.path === path && r.mb === large);
  if (!a || !b || a === b) continue;
  const d = b.client - a.client;
  const di = (b.instance ?? 0) - (a.instance ?? 0);
  lines.push(`- ${path}: ${large} MB costs ${d.toFixed(0)} MB more peak RSS than ${small} MB${b.instance !== undefined ? ` (instance: ${di.toFixed(0)} MB)` : ''}: ${Math.max(d, di) <= 100 ? 'within' : 'OVER'} the 100 MB target`);
}
process.stdout.write(lines.join('\n') + '\n');
