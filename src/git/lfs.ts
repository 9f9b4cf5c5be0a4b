import { statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { FerryError } from '../errors/index.js';
import { runGit, SpawnError, type GitRun } from './run-git.js';

/**
 * The Git LFS objects of one repository: the local LFS store (`.git/lfs/objects/ab/cd/<sha256>`,
 * or wherever `lfs.storage` moved it) and the LFS remote they are fetched from. Asset binaries
 * tracked by LFS are pointer files in git; their real bytes are these objects.
 */
export interface LfsObjects {
  /** Path of the local object with this sha256 when the LFS store has it, with exactly this size. */
  localPath(sha256: string, size: number): Promise<string | undefined>;
  /**
   * Downloads the objects of exactly these paths at a commit (`git lfs fetch <remote> <commit>
   * --include=…`). Objects the remote lacks stay missing: check with `localPath` afterwards.
   */
  fetch(commit: string, paths: readonly string[]): Promise<void>;
  /** The LFS endpoint objects come from (no credentials), or a sentence saying there is none. */
  remote(): Promise<string>;
}

/** Settings for every `git lfs` call: never prompt for credentials in CI. */
const LFS_ENV: Record<string, string> = { GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };

/**
 * `git lfs` for the repository whose work tree (or git dir) is `root`. Nothing runs until an
 * object is asked for, so passing it to every deploy costs nothing without LFS pointers.
 *
 * @example
 * await deploy({ ...options, lfs: createLfsObjects(repo.root) });
 */
export function createLfsObjects(root: string): LfsObjects {
  let env: Promise<{ mediaDir: string; endpoint?: string }> | undefined;
  const lfsEnv = () => (env ??= readLfsEnv(root));

  return {
    async localPath(sha256, size) {
      const path = join((await lfsEnv()).mediaDir, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
      try {
        const st = statSync(path);
        return st.isFile() && st.size === size ? path : undefined;
      } catch {
        return undefined;
      }
    },
    async fetch(commit, paths) {
      if (!paths.length) return;
      const remote = await remoteName(root);
      if (!remote) return;
      // `--include` takes comma-separated patterns; asset paths hold no commas or glob characters.
      const r = await lfs(root, ['fetch', remote, commit, `--include=${paths.join(',')}`]);
      // Exit 2 is "some objects failed": the caller names those that are still missing.
      if (r.exitCode !== 0 && r.exitCode !== 2) {
        throw lfsError(`git lfs fetch failed: ${r.stderr.trim() || `exit code ${r.exitCode}`}`, { stderr: r.stderr });
      }
    },
    async remote() {
      const endpoint = (await lfsEnv()).endpoint;
      return endpoint ? stripCredentials(endpoint) : '(no LFS remote: the repository has no remote)';
    },
  };
}

async function readLfsEnv(root: string): Promise<{ mediaDir: string; endpoint?: string }> {
  const r = await lfs(root, ['env']);
  if (r.exitCode !== 0) throw lfsError(`git lfs env failed: ${r.stderr.trim() || `exit code ${r.exitCode}`}`, { stderr: r.stderr });
  const values = new Map<string, string>();
  for (const line of r.stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0 && !values.has(line.slice(0, eq))) values.set(line.slice(0, eq), line.slice(eq + 1));
  }
  const mediaDir = values.get('LocalMediaDir');
  if (!mediaDir || !isAbsolute(mediaDir)) throw lfsError(`git lfs env named no local object folder (LocalMediaDir) for ${root}`);
  const endpoint = values.get('Endpoint')?.replace(/ \(auth=[^)]*\)$/, '');
  return { mediaDir, ...(endpoint ? { endpoint } : {}) };
}

/** The remote `git lfs fetch` talks to: `origin` when there is one, else the first remote. */
async function remoteName(root: string): Promise<string | undefined> {
  const r = await git(root, ['remote']);
  const names = r.stdout.split('\n').filter(Boolean);
  return names.includes('origin') ? 'origin' : names[0];
}

async function lfs(root: string, args: readonly string[]): Promise<GitRun> {
  const r = await git(root, ['lfs', ...args]);
  if (r.exitCode !== 0 && /'lfs' is not a git command|git-lfs: not found|cannot run git-lfs/i.test(r.stderr)) {
    throw lfsError('git lfs is not installed: the repository holds Git LFS pointers, and their objects are read with `git lfs`', {}, 'Install Git LFS (`apt-get install git-lfs`, `brew install git-lfs`; actions/checkout: `lfs: true`), then run again.');
  }
  return r;
}

async function git(root: string, args: readonly string[]): Promise<GitRun> {
  try {
    return await runGit(root, args, LFS_ENV);
  } catch (e) {
    throw lfsError(`git ${args[0]} could not be started: ${e instanceof SpawnError ? e.message : String(e)}`);
  }
}

function stripCredentials(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//');
}

function lfsError(message: string, data: Record<string, unknown> = {}, hint?: string): FerryError {
  return new FerryError('FERRY_E_LFS', message, { data, ...(hint ? { hint } : {}) });
}
