import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isFerryError } from '../../src/errors/index.js';
import { commentMarker, upsertStickyComment } from '../../src/github/sticky-comment.js';
import { startFakeGithub, type FakeGithub } from './github-api-server.js';
import { ferry, requireBuiltCli } from './github-cli.js';

const REPO = 'acme/content';
const TOKEN = 'ghs_test_token_1234567890';
let gh: FakeGithub;
const dir = mkdtempSync(join(tmpdir(), 'ferry-sticky-'));

beforeAll(async () => {
  requireBuiltCli();
  gh = await startFakeGithub({ repo: REPO, token: TOKEN });
});
afterAll(async () => {
  await gh.close();
  rmSync(dir, { recursive: true, force: true });
});

const marker = commentMarker();
const upsert = (issueNumber: number, body: string, extra: Partial<Parameters<typeof upsertStickyComment>[0]> = {}) =>
  upsertStickyComment({ apiUrl: gh.url, token: TOKEN, repo: REPO, issueNumber, marker, body, ...extra });

describe('sticky pull request comment against a local GitHub API', () => {
  it('creates the comment once, then updates it in place, found past the first page', async () => {
    gh.seed(1, 150);
    const first = await upsert(1, '## Diff v1');
    expect(first.action).toBe('created');
    const second = await upsert(1, '## Diff v2');
    expect(second).toMatchObject({ action: 'updated', id: first.id });
    const mine = gh.comments.filter((c) => c.issue === 1 && c.body.includes(marker));
    expect(mine).toHaveLength(1);
    expect(mine[0].body).toBe(`${marker}\n## Diff v2`);
    // Our comment is the 151st: the second page was read.
    expect(gh.requests.some((r) => r.method === 'GET' && r.path === '/repos/acme/content/issues/1/comments?per_page=100&page=2')).toBe(true);
    expect(gh.requests.every((r) => r.authorization === `Bearer ${TOKEN}` && r.accept === 'application/vnd.github+json')).toBe(true);
  });

  it('does not rewrite an identical comment', async () => {
    const before = gh.requests.length;
    const again = await upsert(1, '## Diff v2');
    expect(again.action).toBe('unchanged');
    expect(gh.requests.slice(before).map((r) => r.method)).toEqual(['GET', 'GET']);
  });

  it('keeps one comment per marker and per pull request', async () => {
    const prod = await upsert(1, 'prod plan', { marker: commentMarker('prod-plan') });
    expect(prod.action).toBe('created');
    const other = await upsert(2, '## Diff', { apiUrl: `${gh.url}/` });
    expect(other.action).toBe('created');
    expect(gh.comments.filter((c) => c.issue === 1 && c.user.login === 'github-actions[bot]')).toHaveLength(2);
  });

  it('reports a refused token as FERRY_E_AUTH without printing the token', async () => {
    const err = await upsertStickyComment({ apiUrl: gh.url, token: 'wrong', repo: REPO, issueNumber: 1, marker, body: 'x' }).catch((e) => e);
    expect(isFerryError(err) && err.code).toBe('FERRY_E_AUTH');
    expect(err.message).toContain('HTTP 401');
    expect(err.message).not.toContain('wrong');
  });

  it('reports an unreachable API as FERRY_E_UNREACHABLE', async () => {
    const err = await upsertStickyComment({ apiUrl: 'http://127.0.0.1:1', token: TOKEN, repo: REPO, issueNumber: 1, marker, body: 'x' }).catch((e) => e);
    expect(isFerryError(err) && err.code).toBe('FERRY_E_UNREACHABLE');
  });
});

describe('ferry pr-comment', () => {
  const eventPath = join(dir, 'event.json');
  const file = join(dir, 'report.md');
  writeFileSync(eventPath, JSON.stringify({ action: 'opened', number: 5, pull_request: { number: 5, base: { ref: 'main', sha: 'a'.repeat(40) }, head: { ref: 'f', sha: 'b'.repeat(40), repo: { full_name: REPO } } } }));
  writeFileSync(file, '## Content changes\n\nOne item.\n');
  const env = { GITHUB_ACTIONS: 'true', GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: REPO, GITHUB_EVENT_PATH: eventPath, GITHUB_EVENT_NAME: 'pull_request' };

  const cli = (argv: string[], extraEnv: Record<string, string | undefined>) => ferry(argv, { cwd: dir, env: { ...env, GITHUB_API_URL: gh.url, ...extraEnv } });

  it('posts the file on the pull request of the event, then updates it', async () => {
    const first = await cli(['pr-comment', '--file', 'report.md'], {});
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^Created the review comment on #5: https:\/\/github\.example\//);
    writeFileSync(file, '## Content changes\n\nTwo items.\n');
    const second = await cli(['pr-comment', '--file', 'report.md'], {});
    expect(second.stdout).toMatch(/^Updated the review comment on #5/);
    const mine = gh.comments.filter((c) => c.issue === 5);
    expect(mine.map((c) => c.body)).toEqual([`${marker}\n## Content changes\n\nTwo items.\n`]);
  });

  it('names every missing variable in one clear error', async () => {
    const r = await cli(['pr-comment', '--file', 'report.md'], { GITHUB_TOKEN: undefined, GITHUB_API_URL: undefined });
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('ferry pr-comment needs GITHUB_TOKEN, GITHUB_API_URL');
    expect(r.stderr).toContain('(FERRY_E_USAGE)');
  });

  it('refuses an event that is not about a pull request', async () => {
    const push = join(dir, 'push.json');
    writeFileSync(push, JSON.stringify({ ref: 'refs/heads/main', after: 'c'.repeat(40) }));
    const r = await cli(['pr-comment', '--file', 'report.md'], { GITHUB_EVENT_PATH: push, GITHUB_EVENT_NAME: 'push' });
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('The push event is not about a pull request');
  });

  it('uses --number when given', async () => {
    const r = await cli(['pr-comment', '--file', 'report.md', '--number', '9', '--marker', 'other'], { GITHUB_EVENT_PATH: undefined });
    expect(r.code).toBe(0);
    expect(gh.comments.filter((c) => c.issue === 9).map((c) => c.body.split('\n')[0])).toEqual(['<!-- ferry:other -->']);
  });
});
