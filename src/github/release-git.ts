// The git commands a release needs beyond the read-only git port: tags, status, tag creation, push.
import { execa } from 'execa';
import { FerryError } from '../errors/index.js';
import { compareCodePoints } from '../model/index.js';

const ENV = { GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', GIT_OPTIONAL_LOCKS: '0' };

async function git(cwd: string, args: readonly string[], input?: string): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  const r = await execa('git', args, { cwd, env: ENV, reject: false, input, stripFinalNewline: false });
  if ((r as { code?: string }).code === 'ENOENT') throw new FerryError('FERRY_E_GIT', 'git is not installed (or not on PATH): releases need the git command');
  return { stdout: r.stdout ?? '', stderr: r.stderr ?? '', exitCode: r.exitCode ?? 1 };
}

function failed(what: string, r: { stderr: string }): FerryError {
  return new FerryError('FERRY_E_GIT', `${what}: ${r.stderr.trim() || 'git failed'}`);
}

/** Files with uncommitted changes (staged, unstaged or untracked) below `folder`, as `git status --porcelain` lists them. */
export async function dirtyFiles(root: string, folder: string): Promise<string[]> {
  const r = await git(root, ['status', '--porcelain', '--untracked-files=all', '--', folder === '' ? '.' : folder]);
  if (r.exitCode !== 0) throw failed('git status failed', r);
  return r.stdout.split('\n').filter(Boolean);
}

/** Tags whose commit is reachable from `commit` (it included), sorted. */
export async function tagsMergedInto(root: string, commit: string): Promise<string[]> {
  const r = await git(root, ['tag', '--list', '--merged', commit]);
  if (r.exitCode !== 0) throw failed('git tag --merged failed', r);
  return r.stdout.split('\n').filter(Boolean).sort(compareCodePoints);
}

export async function tagExists(root: string, name: string): Promise<boolean> {
  const r = await git(root, ['rev-parse', '--verify', '--quiet', `refs/tags/${name}`]);
  return r.exitCode === 0;
}

export async function isValidTagName(root: string, name: string): Promise<boolean> {
  if (!name || name.startsWith('-')) return false;
  const r = await git(root, ['check-ref-format', `refs/tags/${name}`]);
  return r.exitCode === 0;
}

/** Creates an annotated tag; the message is kept verbatim (git would strip `#` lines otherwise). */
export async function createAnnotatedTag(root: string, name: string, commit: string, message: string): Promise<void> {
  const r = await git(root, ['tag', '--annotate', '--cleanup=verbatim', '--file=-', name, commit], message);
  if (r.exitCode !== 0) {
    throw new FerryError('FERRY_E_GIT', `git tag ${name} failed: ${r.stderr.trim()}`, {
      hint: /tell me who you are|user\.email|user\.name/i.test(r.stderr)
        ? 'Set a tagger identity: `git config user.name "…"` and `git config user.email "…"` (in Actions, e.g. github-actions[bot]).'
        : undefined,
    });
  }
}

/** Pushes one tag to `origin`. */
export async function pushTag(root: string, name: string, remote = 'origin'): Promise<void> {
  const r = await git(root, ['push', remote, `refs/tags/${name}:refs/tags/${name}`]);
  if (r.exitCode !== 0) {
    throw new FerryError('FERRY_E_GIT', `git push ${remote} ${name} failed: ${r.stderr.trim()}`, {
      hint: `The tag was created locally; push it later with \`git push ${remote} ${name}\` (in Actions the job needs \`permissions: contents: write\`).`,
    });
  }
}
