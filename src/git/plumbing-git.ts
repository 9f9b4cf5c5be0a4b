import { realpathSync, statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { delimiter, join } from 'node:path';
import { FerryError } from '../errors/index.js';
import { compareCodePoints } from '../model/compare.js';
import { CatFileBatch } from './cat-file-batch.js';
import { parseCommitObject } from './commit-object.js';
import { assertOid, gitError, isFullOid, missingObject, unknownRevision } from './errors.js';
import type { CommitInfo, DiffTreesOptions, GitPort, TreeDiffEntry, TreeEntry } from './git-port.js';
import { isUnderPrefix, normalizePrefix } from './prefix.js';
import { runGit, spawnGit, SpawnError, type GitRun } from './run-git.js';
import { sortByPath, SYMLINK, symlinkRefused, toDiffEntry } from './tree-entries.js';

/**
 * Git settings for every call: no optional locks (we only read, and must not fight an editor's
 * `git status`), pathspecs taken literally (a folder named `a*` is not a glob), no prompts.
 */
const GIT_ENV: Record<string, string> = {
  GIT_OPTIONAL_LOCKS: '0',
  GIT_LITERAL_PATHSPECS: '1',
  GIT_TERMINAL_PROMPT: '0',
  LC_ALL: 'C',
};

/** Settings of the process that streams one large blob (see `streamBlob`). */
const STREAM_CONFIG = ['-c', 'core.bigFileThreshold=1m', '-c', 'core.packedGitWindowSize=16m', '-c', 'core.packedGitLimit=64m'];

/** No `git` binary can be spawned; `openGit` then falls back to isomorphic-git unless plumbing was asked for. */
export class GitBinaryMissingError extends FerryError {
  constructor(cause: unknown) {
    super('FERRY_E_GIT', 'no `git` binary on PATH', {
      cause,
      hint: 'Install git, or set FERRY_GIT_ADAPTER=isomorphic to read the repository without it (slower).',
    });
    this.name = 'GitBinaryMissingError';
  }
}

/**
 * The default `GitPort`: git's own plumbing (child processes, see run-git.ts). Each question is
 * one short git process (`rev-parse`, `ls-tree`, `diff-tree`, …) and every object read goes
 * through one long-lived `git cat-file --batch`. Cost follows the change: `diff-tree` skips subtrees whose ids are equal.
 */
export async function createPlumbingGit(cwd: string): Promise<GitPort> {
  const located = await locateRepository(cwd);
  return new PlumbingGit(located);
}

async function run(cwd: string, args: readonly string[], okExitCodes: readonly number[] = [0], stdin?: string): Promise<GitRun> {
  let result: GitRun;
  try {
    result = await runGit(cwd, args, GIT_ENV, undefined, stdin);
  } catch (e) {
    if (e instanceof SpawnError && e.code === 'ENOENT') throw new GitBinaryMissingError(e);
    throw gitError(`git ${args[0]} could not be started: ${e instanceof Error ? e.message : String(e)}`, { args: [...args] });
  }
  if (!okExitCodes.includes(result.exitCode)) {
    throw gitError(`git ${args[0]} failed: ${result.stderr.trim() || `exit code ${result.exitCode}`}`, { args: [...args], exitCode: result.exitCode, stderr: result.stderr });
  }
  return result;
}

async function locateRepository(cwd: string): Promise<{ root: string; gitDir: string }> {
  // A missing cwd makes spawn fail with ENOENT too; say what is really wrong.
  if (!isDirectory(cwd)) throw gitError(`${cwd} is not a folder`, { cwd });
  // The usual case, the top level of a plain clone, without a git process (~5 ms). Anything
  // else (a subfolder, a worktree's .git file, GIT_DIR, a bare repository) asks git.
  if (!process.env.GIT_DIR && !process.env.GIT_WORK_TREE && isDirectory(join(cwd, '.git'))) {
    // Without a git process, find out here whether there is a git to run (openGit falls back).
    if (!gitOnPath()) throw new GitBinaryMissingError(new Error('git not found on PATH'));
    // As git reports it: absolute, symlinks resolved.
    const root = realpathSync.native(cwd);
    return { root, gitDir: join(root, '.git') };
  }
  // In a bare repository `--show-toplevel` fails after printing the first two answers.
  const r = await run(cwd, ['rev-parse', '--is-bare-repository', '--absolute-git-dir', '--show-toplevel'], [0, 128]);
  const lines = r.stdout.split('\n');
  if (lines[0] === 'true' && lines[1]) return { root: lines[1], gitDir: lines[1] };
  if (r.exitCode !== 0 || !lines[2]) {
    throw gitError(`${cwd} is not inside a git repository: ${r.stderr.trim()}`, { cwd });
  }
  return { root: lines[2], gitDir: lines[1] };
}

function gitOnPath(): boolean {
  const names = process.platform === 'win32' ? ['git.exe', 'git.cmd'] : ['git'];
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const name of names) {
      try {
        if (statSync(join(dir, name)).isFile()) return true;
      } catch {
        // not here
      }
    }
  }
  return false;
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

class PlumbingGit implements GitPort {
  readonly adapter = 'plumbing' as const;
  readonly root: string;
  private readonly batch: CatFileBatch;

  constructor(located: { root: string; gitDir: string }) {
    this.root = located.root;
    this.batch = new CatFileBatch(this.root, GIT_ENV);
  }

  private git(args: readonly string[], ok?: readonly number[]): Promise<GitRun> {
    return run(this.root, args, ok);
  }

  async resolveRevision(rev: string): Promise<string> {
    if (rev === '' || rev.includes('\n') || rev.includes('\0')) throw unknownRevision(rev);
    const r = await this.git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], [0, 1, 128]);
    const sha = r.stdout.trim();
    if (r.exitCode !== 0 || !isFullOid(sha)) throw unknownRevision(rev);
    return sha;
  }

  /** Full shas go straight to git (saving a spawn); anything else is resolved first, for a clear error. */
  private async commitArg(rev: string): Promise<string> {
    return isFullOid(rev) ? rev : this.resolveRevision(rev);
  }

  /** When git refused a full sha, say which revision was unknown rather than git's raw message. */
  private async explainFailure(revs: readonly string[], error: unknown): Promise<never> {
    for (const rev of revs) await this.resolveRevision(rev);
    throw error;
  }

  async mergeBase(a: string, b: string): Promise<string> {
    const [ca, cb] = await Promise.all([this.commitArg(a), this.commitArg(b)]);
    const r = await this.git(['merge-base', ca, cb], [0, 1, 128]).catch((e) => this.explainFailure([a, b], e));
    if (r.exitCode === 128) await this.explainFailure([a, b], gitError(`git merge-base failed: ${r.stderr.trim()}`));
    const sha = r.stdout.trim();
    if (r.exitCode !== 0 || !sha) throw unknownRevision(`${a}...${b}`, 'no common ancestor');
    return sha;
  }

  async listTree(commit: string, prefix: string): Promise<TreeEntry[]> {
    const rev = await this.commitArg(commit);
    const p = normalizePrefix(prefix);
    const args = ['ls-tree', '-r', '-z', '--full-tree', rev];
    if (p) args.push('--', p);
    const r = await this.git(args).catch((e) => this.explainFailure([commit], e));
    return parseLsTree(r.stdout, p);
  }

  async diffTrees(base: string, head: string, prefix: string, opts: DiffTreesOptions = {}): Promise<TreeDiffEntry[]> {
    const [b, h] = await Promise.all([this.commitArg(base), this.commitArg(head)]);
    const p = normalizePrefix(prefix);
    const args = ['diff-tree', '-r', '--no-renames', '--no-commit-id', '-z', b, h];
    if (p) args.push('--', p);
    const prefetch = opts.prefetch;
    if (!prefetch) {
      const r = await this.git(args).catch((e) => this.explainFailure([base, head], e));
      return parseDiffTree(r.stdout, p);
    }
    // Streamed: blobs the caller wants next are asked of cat-file while git is still diffing.
    const parser = new DiffTreeStream(p);
    let parseError: unknown;
    const r = await runGit(this.root, args, GIT_ENV, (chunk) => {
      try {
        const oids: string[] = [];
        for (const e of parser.push(chunk)) oids.push(...prefetch(e));
        if (oids.length) this.batch.prefetch(oids);
      } catch (e) {
        parseError ??= e;
      }
    }).catch((e) => {
      if (e instanceof SpawnError && e.code === 'ENOENT') throw new GitBinaryMissingError(e);
      throw e;
    });
    if (r.exitCode !== 0) await this.explainFailure([base, head], gitError(`git diff-tree failed: ${r.stderr.trim() || `exit code ${r.exitCode}`}`, { args, exitCode: r.exitCode, stderr: r.stderr }));
    if (parseError) throw parseError;
    return sortByPath(parser.end());
  }

  async readBlobs(oids: readonly string[]): Promise<Map<string, Uint8Array>> {
    const objects = await this.batch.read(oids);
    const out = new Map<string, Uint8Array>();
    for (const [oid, o] of objects) {
      if (o.type !== 'blob') throw gitError(`git object ${oid} is a ${o.type}, not a blob`, { oid });
      out.set(oid, o.bytes);
    }
    return out;
  }

  async blobSizes(oids: readonly string[]): Promise<Map<string, number>> {
    const unique = [...new Set(oids)];
    const out = new Map<string, number>();
    if (!unique.length) return out;
    for (const oid of unique) assertOid(oid);
    // One short process for all of them: `--batch-check` reads object headers only.
    const r = await run(this.root, ['cat-file', '--batch-check'], [0], unique.join('\n') + '\n');
    for (const line of r.stdout.split('\n')) {
      if (!line) continue;
      const [oid, type, size] = line.split(' ');
      if (type === 'missing') throw missingObject(oid);
      if (type !== 'blob') throw gitError(`git object ${oid} is a ${type}, not a blob`, { oid });
      out.set(oid, Number(size));
    }
    return out;
  }

  async *streamBlob(oid: string): AsyncIterable<Uint8Array> {
    assertOid(oid);
    // Its own process: the shared `--batch` reader would have to hold the whole blob. `cat-file
    // blob` inflates the whole object in memory; `-p` on a blob streams it (the same bytes) when it
    // is loose or packed whole above core.bigFileThreshold, and small pack windows keep git's own
    // mapping of the pack from growing with the blob (bench/asset-rss.mjs measures it).
    const child = spawnGit(this.root, [...STREAM_CONFIG, 'cat-file', '-p', oid], GIT_ENV);
    child.stdin.end();
    const stderr: Buffer[] = [];
    child.stderr.on('data', (b: Buffer) => stderr.push(b));
    const exited = new Promise<number>((resolve, reject) => {
      child.on('error', (e) => reject((e as { code?: string }).code === 'ENOENT' ? new GitBinaryMissingError(e) : gitError(`git cat-file could not be started: ${e.message}`)));
      child.on('close', (code) => resolve(code ?? -1));
    });
    exited.catch(() => undefined);
    try {
      for await (const chunk of child.stdout) yield chunk as Buffer;
      const code = await exited;
      if (code !== 0) {
        const text = Buffer.concat(stderr).toString('utf8').trim();
        throw /could not get object info|not a valid object|bad file/i.test(text) ? missingObject(oid) : gitError(`git cat-file blob ${oid} failed: ${text || `exit code ${code}`}`, { oid });
      }
    } finally {
      // The consumer stopped early (an error downstream): do not leave git writing into a full pipe.
      if (child.exitCode === null) child.kill();
    }
  }

  async commitInfo(rev: string): Promise<CommitInfo> {
    const sha = await this.resolveRevision(rev);
    const o = (await this.batch.read([sha])).get(sha)!;
    return parseCommitObject(sha, o.bytes);
  }

  async tagsPointingAt(commit: string): Promise<string[]> {
    const sha = await this.commitArg(commit);
    const r = await this.git(['for-each-ref', `--points-at=${sha}`, '--format=%(refname)', 'refs/tags/']).catch((e) =>
      this.explainFailure([commit], e),
    );
    return r.stdout
      .split('\n')
      .filter((l) => l.startsWith('refs/tags/'))
      .map((l) => l.slice('refs/tags/'.length))
      .sort(compareCodePoints);
  }

  async countCommits(from: string, to: string): Promise<number> {
    const [f, t] = await Promise.all([from === '' ? '' : this.commitArg(from), this.commitArg(to)]);
    const range = f === '' ? t : `${f}..${t}`;
    const r = await this.git(['rev-list', '--count', range]).catch((e) => this.explainFailure(from === '' ? [to] : [from, to], e));
    return Number(r.stdout.trim());
  }

  async workingTreeChanges(prefix: string): Promise<string[]> {
    const r = await this.git(['status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames', '--', prefix === '' ? '.' : prefix], [0, 128]);
    // 128: no working tree (a bare repository), nothing to compare.
    if (r.exitCode !== 0) return [];
    return r.stdout
      .split('\0')
      .filter((e) => e.length > 3)
      .map((e) => e.slice(3))
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  async isAncestor(a: string, b: string): Promise<boolean> {
    const [ca, cb] = await Promise.all([this.commitArg(a), this.commitArg(b)]);
    const r = await this.git(['merge-base', '--is-ancestor', ca, cb], [0, 1, 128]);
    if (r.exitCode === 128) await this.explainFailure([a, b], gitError(`git merge-base failed: ${r.stderr.trim()}`));
    return r.exitCode === 0;
  }

  close(): Promise<void> {
    return this.batch.close();
  }
}

/**
 * `<mode> SP <type> SP <oid> TAB <path> NUL` records; gitlinks (submodules) are not files;
 * symlinks (mode 120000) are refused (FERRY_E_SYMLINK).
 * Written for 100k-entry trees: one split, no regexes, no per-record arrays.
 */
export function parseLsTree(out: string, prefix: string): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (const rec of out.split('\0')) {
    const tab = rec.indexOf('\t');
    if (tab === -1) continue;
    const s1 = rec.indexOf(' ');
    // The type follows the mode: keep `blob`, skip `tree` (not with -r) and `commit` (gitlinks).
    if (!rec.startsWith('blob ', s1 + 1)) continue;
    const path = rec.slice(tab + 1);
    if (!isUnderPrefix(path, prefix)) continue;
    if (rec.startsWith(SYMLINK)) throw symlinkRefused(path);
    entries.push({ path, oid: rec.slice(s1 + 6, tab) });
  }
  return sortByPath(entries);
}

/** parseDiffTree over output that arrives in chunks: `push` returns the records a chunk completed. */
export class DiffTreeStream {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  private readonly all: TreeDiffEntry[] = [];

  constructor(private readonly prefix: string) {}

  push(chunk: Buffer): TreeDiffEntry[] {
    const text = this.pending + this.decoder.write(chunk);
    // A record is `:meta NUL path NUL`; anything else (not printed for two trees) is one field.
    let pos = 0;
    let complete = 0;
    for (;;) {
      const a = text.indexOf('\0', pos);
      if (a < 0) break;
      if (text[pos] !== ':') {
        pos = complete = a + 1;
        continue;
      }
      const b = text.indexOf('\0', a + 1);
      if (b < 0) break;
      pos = complete = b + 1;
    }
    this.pending = text.slice(complete);
    if (complete === 0) return [];
    const done = parseDiffTree(text.slice(0, complete), this.prefix, false);
    this.all.push(...done);
    return done;
  }

  /** Every record, in git's order; call after the process ended. */
  end(): TreeDiffEntry[] {
    this.pending += this.decoder.end();
    if (this.pending) this.all.push(...parseDiffTree(this.pending, this.prefix, false));
    this.pending = '';
    return this.all;
  }
}

/** `:<old mode> <new mode> <old oid> <new oid> <status> NUL <path> NUL` records (no renames, so one path). */
export function parseDiffTree(out: string, prefix: string, sorted = true): TreeDiffEntry[] {
  const entries: TreeDiffEntry[] = [];
  let i = 0;
  while (i < out.length) {
    const metaEnd = out.indexOf('\0', i);
    if (metaEnd === -1) break;
    const meta = out.slice(i, metaEnd);
    const pathEnd = out.indexOf('\0', metaEnd + 1);
    const path = out.slice(metaEnd + 1, pathEnd === -1 ? out.length : pathEnd);
    i = pathEnd === -1 ? out.length : pathEnd + 1;
    if (!meta.startsWith(':')) continue;
    const [oldMode, newMode, oldOid, newOid, status] = meta.slice(1).split(' ');
    if (!isUnderPrefix(path, prefix)) continue;
    const entry = toDiffEntry(status, path, oldMode, newMode, oldOid, newOid);
    if (entry) entries.push(entry);
  }
  return sorted ? sortByPath(entries) : entries;
}
