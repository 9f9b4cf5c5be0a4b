/**
 * Real git repositories in temp folders for integration tests, made with the git CLI.
 *
 * - Fixed identity and fixed, increasing commit dates: the same calls make the same shas on every
 *   machine and every run.
 * - Isolated from the machine's git config (no global/system config, no hooks, no signing),
 *   `gc.auto 0`, branch `main`, LF line ends.
 *
 * @example
 * const repo = makeGitRepo({ 'content/a.yaml': 'x: 1\n' });   // one commit, "initial"
 * const c2 = repo.commit({ 'content/a.yaml': 'x: 2\n', 'content/old.yaml': null }, 'edit');
 * repo.tag('v1');
 * const bare = repo.cloneBare();
 * afterAll(removeGitRepos);
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** File contents by POSIX path; `null` deletes the file. */
export type FileTree = Record<string, string | Uint8Array | null>;

export const TEST_AUTHOR = { name: 'Ferry Test', email: 'ferry-test@example.com' } as const;
/** The first commit's date (seconds since the epoch, UTC); each commit adds one minute. */
export const FIRST_COMMIT_EPOCH = 1_714_557_600; // 2024-05-01T10:00:00Z

const created: string[] = [];

/** Environment for every git call: nothing from the machine's config may change the result. */
function gitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: process.env.TMPDIR,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: TEST_AUTHOR.name,
    GIT_AUTHOR_EMAIL: TEST_AUTHOR.email,
    GIT_COMMITTER_NAME: TEST_AUTHOR.name,
    GIT_COMMITTER_EMAIL: TEST_AUTHOR.email,
    GIT_TERMINAL_PROMPT: '0',
    LC_ALL: 'C',
    ...extra,
  };
}

/** Runs git in `cwd` and returns its stdout without the final newline. Throws with git's stderr. */
export function runGit(cwd: string, args: readonly string[], extraEnv: Record<string, string> = {}): string {
  try {
    return execFileSync('git', args, { cwd, env: gitEnv(extraEnv), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 }).replace(/\n$/, '');
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`git ${args.join(' ')} failed in ${cwd}: ${err.stderr?.trim() || err.message}`);
  }
}

/** A fresh empty temp folder, removed by `removeGitRepos()`. */
export function makeTempDir(label = 'ferry-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), label));
  created.push(dir);
  return dir;
}

/** Writes (or with `null` deletes) files below `dir`, creating folders. */
export function writeTree(dir: string, files: FileTree): void {
  for (const [path, content] of Object.entries(files)) {
    const abs = join(dir, ...path.split('/'));
    if (content === null) {
      rmSync(abs, { force: true });
      continue;
    }
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
}

export interface GitRepo {
  /** Working tree (and repository top level). */
  readonly dir: string;
  /** Runs git in the repository; returns trimmed stdout. */
  git(...args: string[]): string;
  /** Writes/deletes files, stages everything and commits; returns the new commit sha. */
  commit(files: FileTree, message?: string): string;
  /** Commits with no file change (for history shape). */
  emptyCommit(message?: string): string;
  /** Writes/deletes files in the working tree only (nothing staged or committed). */
  write(files: FileTree): void;
  /** Full sha of a revision. */
  revParse(rev: string): string;
  /** Sha of HEAD. */
  head(): string;
  /** Lightweight tag, or annotated with `message`; at `rev` (default HEAD). */
  tag(name: string, opts?: { message?: string; rev?: string }): void;
  /** Creates a branch at `from` (default HEAD) without switching. */
  branch(name: string, from?: string): void;
  /** Switches branch (creating it with `create`). */
  switchTo(name: string, opts?: { create?: boolean }): void;
  /** Merges a branch into the current one with a merge commit; returns its sha. */
  merge(branch: string, message?: string): string;
  /** `git clone --bare` into a new temp folder; returns the bare repository path. */
  cloneBare(): string;
  /** `git clone --depth N file://…` (a real shallow clone); returns the clone's path. */
  cloneShallow(depth: number, opts?: { branch?: string; noSingleBranch?: boolean }): string;
  /** `git gc` to move loose objects into a pack (isomorphic-git reads packs differently). */
  pack(): void;
}

/**
 * Creates a repository with `files` committed as "initial" (no commit when `files` is empty).
 */
export function makeGitRepo(files: FileTree = {}, opts: { message?: string } = {}): GitRepo {
  const dir = makeTempDir('ferry-git-');
  let commits = 0;
  const git = (...args: string[]) => runGit(dir, args);
  const nextDateEnv = () => {
    const when = `@${FIRST_COMMIT_EPOCH + 60 * commits++} +0000`;
    return { GIT_AUTHOR_DATE: when, GIT_COMMITTER_DATE: when };
  };
  git('init', '-q', '-b', 'main');
  for (const [k, v] of [
    ['gc.auto', '0'],
    ['core.autocrlf', 'false'],
    ['core.hooksPath', '/dev/null'],
    ['commit.gpgsign', 'false'],
    ['tag.gpgsign', 'false'],
    ['user.name', TEST_AUTHOR.name],
    ['user.email', TEST_AUTHOR.email],
  ]) {
    git('config', k, v);
  }

  const repo: GitRepo = {
    dir,
    git,
    write: (f) => writeTree(dir, f),
    commit(f, message = `commit ${commits + 1}`) {
      writeTree(dir, f);
      git('add', '-A');
      runGit(dir, ['commit', '-q', '--allow-empty', '-m', message], nextDateEnv());
      return git('rev-parse', 'HEAD');
    },
    emptyCommit(message = `empty ${commits + 1}`) {
      runGit(dir, ['commit', '-q', '--allow-empty', '-m', message], nextDateEnv());
      return git('rev-parse', 'HEAD');
    },
    revParse: (rev) => git('rev-parse', '--verify', `${rev}^{commit}`),
    head: () => git('rev-parse', 'HEAD'),
    tag(name, o = {}) {
      const args = o.message ? ['tag', '-a', name, '-m', o.message] : ['tag', name];
      if (o.rev) args.push(o.rev);
      runGit(dir, args, nextDateEnv());
    },
    branch: (name, from = 'HEAD') => void git('branch', name, from),
    switchTo: (name, o = {}) => void git('switch', '-q', ...(o.create ? ['-c'] : []), name),
    merge(branch, message = `merge ${branch}`) {
      runGit(dir, ['merge', '-q', '--no-ff', '-m', message, branch], nextDateEnv());
      return git('rev-parse', 'HEAD');
    },
    cloneBare() {
      const target = join(makeTempDir('ferry-bare-'), 'repo.git');
      runGit(dir, ['clone', '-q', '--bare', dir, target]);
      return target;
    },
    cloneShallow(depth, o = {}) {
      const target = join(makeTempDir('ferry-shallow-'), 'repo');
      const args = ['clone', '-q', '--depth', String(depth)];
      if (o.branch) args.push('--branch', o.branch);
      if (o.noSingleBranch) args.push('--no-single-branch');
      runGit(dir, [...args, `file://${dir}`, target]);
      return target;
    },
    pack: () => void git('gc', '-q', '--prune=now'),
  };
  if (Object.keys(files).length > 0) repo.commit(files, opts.message ?? 'initial');
  return repo;
}

/** Removes every folder made by this module (call from `afterAll`). */
export function removeGitRepos(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}
