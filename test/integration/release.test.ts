/**
 * `ferry release` and `ferry changelog` end to end with the built CLI, in real git repositories
 * made from the sample content.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGitRepo, makeTempDir, removeGitRepos, runGit, type FileTree, type GitRepo } from '../support/gitdir.js';
import { ferry, requireBuiltCli } from './github-cli.js';

const ROOT = join(import.meta.dirname, '..', '..');
const ITEM = 'content/items/article/coffee-origins.yaml';
const NEW_ITEM = 'content/items/article/latte-at-home.yaml';

function sampleTree(): FileTree {
  const tree: FileTree = { 'repository.config.yaml': readFileSync(join(ROOT, 'repository.config.yaml')), '.gitignore': '.ferry/\n' };
  for (const top of ['content', 'schemas']) {
    for (const e of readdirSync(join(ROOT, top), { recursive: true, withFileTypes: true })) {
      if (e.isFile()) tree[relative(ROOT, join(e.parentPath, e.name)).split('\\').join('/')] = readFileSync(join(e.parentPath, e.name));
    }
  }
  return tree;
}

/** A new article: a copy of coffee-origins with its own guid and code name. */
function newArticle(repo: GitRepo): string {
  return readFileSync(join(repo.dir, ITEM), 'utf8')
    .replace(/^guid: .*$/m, 'guid: 0b9f5a52-2f47-4c1e-9d3e-5a8e7c6d1f20')
    .replace(/^codeName: .*$/m, 'codeName: latte-at-home');
}

const tags = (repo: GitRepo) => repo.git('tag', '--list').split('\n').filter(Boolean).sort();
const tagMessage = (repo: GitRepo, tag: string) => repo.git('tag', '--list', '--format=%(contents)', tag);

let repo: GitRepo;
const env = {};

beforeAll(() => {
  requireBuiltCli();
  repo = makeGitRepo(sampleTree(), { message: 'initial content' });
});
afterAll(removeGitRepos);

describe('ferry release', () => {
  it('a dry run prints the changelog and creates nothing', async () => {
    const r = await ferry(['release', '--dry-run'], { cwd: repo.dir, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Release v0.0.1\n\nContent changes (everything up to v0.0.1): 74 created, 0 updated, 0 renamed, 0 deleted');
    expect(r.stdout).toContain('Dry run: tag v0.0.1 would be created');
    expect(tags(repo)).toEqual([]);
  });

  it('the first release tags HEAD with everything as created', async () => {
    const r = await ferry(['release'], { cwd: repo.dir, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Tagged v0.0.1 at ${repo.head().slice(0, 10)} (first release)`);
    expect(repo.git('cat-file', '-t', 'v0.0.1')).toBe('tag');
    expect(repo.revParse('v0.0.1')).toBe(repo.head());
    const message = tagMessage(repo, 'v0.0.1');
    expect(message).toContain('Release v0.0.1');
    expect(message).toMatch(/^contentItem\s+43\s+0\s+0\s+0$/m);
    expect(message).toContain('  + coffee-origins (article)');
  });

  it('the second release lists only the changes since the first, and writes Markdown notes', async () => {
    const edited = readFileSync(join(repo.dir, ITEM), 'utf8').replace('title: Where our coffee comes from', 'title: Where our coffee is grown');
    repo.commit({ [ITEM]: edited, [NEW_ITEM]: newArticle(repo) }, 'Retitle coffee-origins, add latte-at-home');
    const r = await ferry(['release', '--bump', 'minor', '--notes', 'notes.md'], { cwd: repo.dir, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('(since v0.0.1)');
    const message = tagMessage(repo, 'v0.1.0');
    expect(message.split('\n')[0]).toBe('Release v0.1.0');
    expect(message).toContain('Content changes (v0.0.1 → v0.1.0): 1 created, 1 updated, 0 renamed, 0 deleted');
    expect(message).toContain('  ~ coffee-origins (article): title (en-US)');
    expect(message).toContain('  + latte-at-home (article)');
    // Nothing from the first release.
    expect(message).not.toContain('espresso-basics');
    expect(message.match(/^ {2}[+~>-] /gm)).toHaveLength(2);
    const notes = readFileSync(join(repo.dir, 'notes.md'), 'utf8');
    expect(notes).toContain('| Content items | 1 | 1 | 0 | 0 |');
    expect(notes).toContain('- ✏️ `coffee-origins` (`article`) updated: title (en-US)');
    // `ferry changelog` prints the same notes, for a GitHub release.
    const changelog = await ferry(['changelog', 'v0.0.1', 'v0.1.0', '--format', 'markdown'], { cwd: repo.dir, env });
    expect(changelog.code, changelog.stderr).toBe(0);
    expect(changelog.stdout).toBe(notes);
    const json = JSON.parse((await ferry(['changelog', 'v0.0.1', 'v0.1.0', '--format', 'json'], { cwd: repo.dir, env })).stdout);
    expect(json).toMatchObject({ formatVersion: 1, from: 'v0.0.1', to: 'v0.1.0', totals: { create: 1, update: 1, rename: 0, delete: 0 } });
    expect(json.changes.map((c: { codeName: string; op: string }) => `${c.op} ${c.codeName}`)).toEqual(['update coffee-origins', 'create latte-at-home']);
  });

  it('orders release tags by version, not by name, and pushes with --push', async () => {
    repo.commit({ [ITEM]: readFileSync(join(repo.dir, ITEM), 'utf8').replace('title: Where our coffee is grown', 'title: Where coffee grows') }, 'Retitle again');
    repo.tag('v0.9.0', { message: 'manual', rev: 'v0.1.0' });
    repo.tag('v0.10.0', { message: 'manual', rev: 'v0.1.0' });
    const remote = join(makeTempDir('ferry-remote-'), 'origin.git');
    runGit(repo.dir, ['init', '-q', '--bare', remote]);
    repo.git('remote', 'add', 'origin', remote);
    const r = await ferry(['release', '--push', '--format', 'json'], { cwd: repo.dir, env });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ status: 'ok', tag: 'v0.10.1', previousTag: 'v0.10.0', created: true, pushed: true });
    expect(out.changelog.changes.map((c: { codeName: string }) => c.codeName)).toEqual(['coffee-origins']);
    expect(runGit(remote, ['rev-parse', 'refs/tags/v0.10.1^{commit}'])).toBe(repo.head());
  });
});

describe('ferry release refuses and writes nothing when', () => {
  const refuse = async (args: string[], code: number, pattern: RegExp) => {
    const before = tags(repo);
    const r = await ferry(['release', ...args], { cwd: repo.dir, env });
    expect(r.code, r.stdout + r.stderr).toBe(code);
    expect(r.stderr).toMatch(pattern);
    expect(tags(repo)).toEqual(before);
    return r;
  };

  it('the repository folder has uncommitted changes (edited or untracked)', async () => {
    repo.write({ [ITEM]: readFileSync(join(repo.dir, ITEM), 'utf8') + '\n' });
    await refuse([], 1, /repository folder `content` has uncommitted changes: content\/items\/article\/coffee-origins\.yaml \(FERRY_E_DIRTY\)/);
    repo.git('checkout', '--', ITEM);
    repo.write({ 'content/items/article/draft.yaml': 'kind: contentItem\n' });
    await refuse(['--tag', 'v5.0.0'], 1, /FERRY_E_DIRTY/);
    repo.write({ 'content/items/article/draft.yaml': null });
  });

  it('the tag exists', async () => {
    await refuse(['--tag', 'v0.1.0'], 1, /Tag `v0\.1\.0` already exists \(FERRY_E_EXISTS\)/);
  });

  it('the tag does not match releaseTagPattern, or both --tag and --bump are given', async () => {
    await refuse(['--tag', 'release-1'], 64, /does not match releaseTagPattern `v\*` \(FERRY_E_USAGE\)/);
    await refuse(['--tag', 'v9.0.0', '--bump', 'major'], 64, /cannot be used with/);
  });

  it('the commit does not validate (and says where)', async () => {
    const path = 'content/items/article/espresso-basics.yaml';
    const broken = readFileSync(join(repo.dir, path), 'utf8').replace('status: published', 'status: live');
    repo.commit({ [path]: broken }, 'Break espresso-basics');
    const line = broken.split('\n').findIndex((l) => l.includes('status: live')) + 1;
    const r = await refuse(['--bump', 'major'], 1, /does not validate \(\d+ error\(s\)\): no release tag was created \(FERRY_E_VALIDATION\)/);
    expect(r.stderr).toContain(`${path}:${line}:`);
    expect(r.stderr).toContain('FERRY_E_SCHEMA');
  });

  it('the revision is unknown', async () => {
    await refuse(['--ref', 'no-such-branch'], 5, /FERRY_E_REVISION/);
  });
});
