/**
 * The git commands that change a repository or read its porcelain, beside the read-only GitPort:
 * what `ferry release` needs (status, tags, an annotated tag, push). Through git's own binary, as
 * the plumbing reader: a release runs a handful of short processes, none on a hot path.
 */
import { FerryError } from '../errors/index.js';
import { compareCodePoints } from '../model/index.js';
import { runGit, SpawnError, type GitRun } from './run-git.js';

/** The git write port: one repository, its working tree and its refs. */
export interface GitWriter {
  readonly root: string;
  /** Files with uncommitted changes (staged, unstaged or untracked) below `folder` ('' for all), as `git status --porcelain` names them. */
  dirtyFiles(folder: string): Promise<string[]>;
  /** Tags whose commit is reachable from `commit` (it included), sorted by code point. */
  tagsMergedInto(commit: string): Promise<string[]>;
  tagExists(name: string): Promise<boolean>;
  /** Whether `name` is a valid tag name (`git check-ref-format`). */
  isValidTagName(name: string): Promise<boolean>;
  /** Creates an annotated tag; the message is kept verbatim (git would strip `#` lines otherwise). */
  createAnnotatedTag(name: string, commit: string, message: string): Promise<void>;
  /** Pushes one tag to `remote`. */
  pushTag(name: string, remote?: string): Promise<void>;
}

const ENV = { GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', GIT_OPTIONAL_LOCKS: '0' };

async function git(cwd: string, args: readonly string[], input?: string): Promise<GitRun> {
  try {
    return await runGit(cwd, args, ENV, undefined, input);
  } catch (e) {
    if (e instanceof SpawnError && e.code === 'ENOENT') throw new FerryError('FERRY_E_GIT', 'git is not installed (or not on PATH): releases need the git command', { cause: e });
    throw e;
  }
}

function failed(what: string, r: { stderr: string }): FerryError {
  return new FerryError('FERRY_E_GIT', `${what}: ${r.stderr.trim() || 'git failed'}`);
}

/** The git writer of the repository at `root`. */
export function createGitWriter(root: string): GitWriter {
  return {
    root,
    async dirtyFiles(folder) {
      const r = await git(root, ['status', '--porcelain', '--untracked-files=all', '--', folder === '' ? '.' : folder]);
      if (r.exitCode !== 0) throw failed('git status failed', r);
      return r.stdout.split('\n').filter(Boolean).map((line) => line.slice(3));
    },
    async tagsMergedInto(commit) {
      const r = await git(root, ['tag', '--list', '--merged', commit]);
      if (r.exitCode !== 0) throw failed('git tag --merged failed', r);
      return r.stdout.split('\n').filter(Boolean).sort(compareCodePoints);
    },
    async tagExists(name) {
      return (await git(root, ['rev-parse', '--verify', '--quiet', `refs/tags/${name}`])).exitCode === 0;
    },
    async isValidTagName(name) {
      if (!name || name.startsWith('-')) return false;
      return (await git(root, ['check-ref-format', `refs/tags/${name}`])).exitCode === 0;
    },
    async createAnnotatedTag(name, commit, message) {
      const r = await git(root, ['tag', '--annotate', '--cleanup=verbatim', '--file=-', name, commit], message);
      if (r.exitCode !== 0) {
        throw new FerryError('FERRY_E_GIT', `git tag ${name} failed: ${r.stderr.trim()}`, {
          hint: /tell me who you are|user\.email|user\.name/i.test(r.stderr)
            ? 'Set a tagger identity: `git config user.name "…"` and `git config user.email "…"` (in Actions, e.g. github-actions[bot]).'
            : undefined,
        });
      }
    },
    async pushTag(name, remote = 'origin') {
      const r = await git(root, ['push', remote, `refs/tags/${name}:refs/tags/${name}`]);
      if (r.exitCode !== 0) {
        throw new FerryError('FERRY_E_GIT', `git push ${remote} ${name} failed: ${r.stderr.trim()}`, {
          hint: `The tag was created locally; push it later with \`git push ${remote} ${name}\` (in Actions the job needs \`permissions: contents: write\`).`,
        });
      }
    },
  };
}
