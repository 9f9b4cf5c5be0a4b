/**
 * Ordinary mistakes end in a FerryError (a code, a hint, a documented exit), never in a stack
 * trace or a silent pass: every command with a missing file, a missing folder and an unwritable
 * path; paths that match nothing; numeric options that are not numbers; misspelt options; and
 * messages that lead to the cause.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CATALOG, type ErrorCode } from '../../src/errors/catalog.js';
import { makeTempDir, removeGitRepos, runGit, type GitRepo } from '../support/gitdir.js';
import { ferry, makeSampleRepo } from '../support/sample-repo.js';

const SECRET = { FERRY_SYNC_SECRET: 'user-mistakes-sync-secret-0123456789' };
let repo: GitRepo;
/** A plain file: any path below it cannot be written, even by root. */
let aFile: string;
let githubEnv: Record<string, string>;

beforeAll(() => {
  repo = makeSampleRepo();
  repo.commit({ 'content/items/article/coffee-origins.yaml': readFileSync(join(repo.dir, 'content/items/article/coffee-origins.yaml'), 'utf8').replace('title: Where our coffee comes from', 'title: Where our coffee is grown') }, 'Retitle');
  aFile = join(repo.dir, 'a-file.txt');
  writeFileSync(aFile, 'not a folder\n');
  const eventPath = join(makeTempDir('ferry-event-'), 'event.json');
  writeFileSync(eventPath, JSON.stringify({ number: 1, pull_request: { number: 1 } }));
  githubEnv = { GITHUB_TOKEN: 't', GITHUB_REPOSITORY: 'acme/content', GITHUB_API_URL: 'http://127.0.0.1:9', GITHUB_EVENT_PATH: eventPath };
});
afterAll(removeGitRepos);

/** The command failed as a user error: its code, its documented exit, a hint, no trace. */
function expectUserError(r: { code: number; stdout: string; stderr: string }, code: ErrorCode, text?: string | RegExp): void {
  const out = `${r.stdout}\n${r.stderr}`;
  expect(out, out).toContain(`(${code})`);
  expect(r.code, out).toBe(ERROR_CATALOG[code].exit);
  expect(out).toContain('hint: ');
  expect(out).not.toMatch(/internal error|^\s+at .+:\d+:\d+\)?$/m);
  if (text) expect(out).toMatch(text);
}

describe('every command with a missing file, a missing folder or an unwritable path', () => {
  const cases: Array<[string, () => string[], ErrorCode, RegExp, (() => Record<string, string>)?]> = [
    ['textconv, missing file', () => ['textconv', 'nope.yaml'], 'FERRY_E_FILE', /Cannot read the file nope\.yaml: no such file or folder/],
    ['textconv, missing folder', () => ['textconv', 'no-such-dir/x.yaml'], 'FERRY_E_FILE', /no such file or folder/],
    ['textconv, a folder', () => ['textconv', 'content'], 'FERRY_E_FILE', /it is a folder, not a file/],
    ['diff --out, missing folder', () => ['diff', 'HEAD~1', '--out', '/missing/dir/x.md'], 'FERRY_E_FILE', /Cannot write --out \/missing\/dir\/x\.md: no such file or folder/],
    ['diff --out, unwritable', () => ['diff', 'HEAD~1', '--out', join(aFile, 'x.md')], 'FERRY_E_FILE', /a part of the path is a file, not a folder/],
    ['diff --out, a folder', () => ['diff', 'HEAD~1', '--out', 'content'], 'FERRY_E_FILE', /it is a folder/],
    ['release --notes, missing folder', () => ['release', '--dry-run', '--notes', '/missing/n.md'], 'FERRY_E_FILE', /Cannot write --notes \/missing\/n\.md/],
    ['release --notes, unwritable', () => ['release', '--notes', join(aFile, 'n.md')], 'FERRY_E_FILE', /--notes/],
    ['pr-comment --file, missing file', () => ['pr-comment', '--file', 'missing.md'], 'FERRY_E_NOT_FOUND', /Cannot read missing\.md/, () => githubEnv],
    ['pr-comment --file, a folder', () => ['pr-comment', '--file', 'content'], 'FERRY_E_NOT_FOUND', /Cannot read content/, () => githubEnv],
    ['serve --tls-cert, missing file', () => ['serve', '--env', 'dev', '--tls-cert', 'missing.pem', '--tls-key', 'missing.key'], 'FERRY_E_USAGE', /Cannot read --tls-cert missing\.pem/, () => SECRET],
    ['serve --tasks-db, missing folder', () => ['serve', '--env', 'dev', '--port', '0', '--tasks-db', '/missing/dir/tasks.db'], 'FERRY_E_FILE', /--tasks-db/, () => SECRET],
    ['pull --out, unwritable', () => ['pull', '--from', 'dev', '--out', join(aFile, 'out')], 'FERRY_E_FILE', /Cannot write --out/],
    ['serialize --out, unwritable', () => ['serialize', '--env', 'dev', '--out', join(aFile, 'out')], 'FERRY_E_FILE', /Cannot write --out/],
    ['init, unwritable', () => ['init', join(aFile, 'site')], 'FERRY_E_FILE', /a part of the path is a file/],
    ['init --ferry-spec, missing tarball', () => ['init', 'x', '--ferry-spec', './no-such-ferry.tgz'], 'FERRY_E_FILE', /Cannot read --ferry-spec \.\/no-such-ferry\.tgz: no such file or folder/],
    ['init --ferry-spec, empty', () => ['init', 'x', '--ferry-spec', ''], 'FERRY_E_USAGE', /--ferry-spec needs an npm spec/],
    ['fmt, missing folder', () => ['fmt', 'content/no-such-folder'], 'FERRY_E_NOT_FOUND', /`content\/no-such-folder` matches no file/],
    ['diff, missing path', () => ['diff', 'HEAD~1', 'content/nope'], 'FERRY_E_NOT_FOUND', /`content\/nope` matches no file in [0-9a-f]{10} or [0-9a-f]{10}/],
    ['validate --ref, missing revision', () => ['validate', '--ref', 'no-such-branch'], 'FERRY_E_REVISION', /no-such-branch/],
  ];

  it.each(cases)('%s', async (_name, args, code, text, env) => {
    const r = await ferry(repo.dir, args(), env?.());
    expectUserError(r, code, text);
  });

  it('a release whose notes cannot be written creates no tag', async () => {
    const r = await ferry(repo.dir, ['release', '--notes', join(aFile, 'n.md')]);
    expect(r.code).toBe(1);
    expect(runGit(repo.dir, ['tag', '-l'])).toBe('');
  });

  it('diff --out into a missing folder prints no report before refusing', async () => {
    const r = await ferry(repo.dir, ['diff', 'HEAD~1', '--out', '/missing/dir/x.md']);
    expect(r.stdout).toBe('');
  });

  // Every command that reads the repository, run in a folder that is none.
  const repositoryCommands: string[][] = [
    ['validate'], ['fmt'], ['diff', 'HEAD~1'], ['plan', '--env', 'dev'], ['deploy', '--env', 'dev'], ['promote', 'dev', 'staging'],
    ['status'], ['history', '--env', 'dev'], ['rollback', '--env', 'dev', '--to', '1', '--yes'], ['serialize', '--env', 'dev'],
    ['pull', '--from', 'dev'], ['release', '--dry-run'], ['changelog', 'HEAD~1'], ['serve', '--env', 'dev'],
  ];
  it.each(repositoryCommands.map((a) => [a.join(' '), a]))('%s outside a content repository', async (_name, args) => {
    const empty = makeTempDir('ferry-not-a-repo-');
    mkdirSync(join(empty, 'sub'));
    const r = await ferry(join(empty, 'sub'), args as string[], SECRET);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\(FERRY_E_[A-Z_]+\)/);
    expect(r.stderr).not.toMatch(/internal error|^\s+at /m);
  });
});

describe('no silent passes', () => {
  it('fmt --check with a path that matches no file exits 1 naming it', async () => {
    const r = await ferry(repo.dir, ['fmt', '--check', 'content/nope']);
    expectUserError(r, 'FERRY_E_NOT_FOUND', /`content\/nope` matches no file in the repository folder content\//);
  });

  it('fmt --check . and a real folder still check their files', async () => {
    expect((await ferry(repo.dir, ['fmt', '--check', '.'])).stdout).toMatch(/^All 7\d files are canonical\.$/m);
    expect((await ferry(repo.dir, ['fmt', '--check', 'content/items'])).code).toBe(0);
  });

  it('diff with a path that matches no file exits 1; a path with no changes is still "no changes"', async () => {
    expectUserError(await ferry(repo.dir, ['diff', 'HEAD~1', 'content/nope']), 'FERRY_E_NOT_FOUND', /content\/nope/);
    const quiet = await ferry(repo.dir, ['diff', 'HEAD~1', 'content/languages']);
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toContain('No content changes.');
  });

  it.each([
    [['history', '--env', 'dev', '--limit', 'abc'], '--limit'],
    [['history', '--env', 'dev', '--limit', '0'], '--limit'],
    [['history', '--env', 'dev', '--limit', '1.5'], '--limit'],
    [['deploy', '--env', 'dev', '--lock-timeout', 'abc'], '--lock-timeout'],
    [['promote', 'dev', 'staging', '--lock-timeout', '-1'], '--lock-timeout'],
    [['rollback', '--env', 'dev', '--to', '1', '--yes', '--lock-timeout', 'soon'], '--lock-timeout'],
    [['diff', 'HEAD~1', '--format', 'markdown', '--max-length', 'lots'], '--max-length'],
  ])('%j is refused naming %s', async (args, option) => {
    const r = await ferry(repo.dir, args);
    expectUserError(r, 'FERRY_E_USAGE', new RegExp(`${option} takes a`));
    expect(r.stdout).not.toContain('Deployed');
  });
});

describe('messages that lead to the cause', () => {
  it('a misspelt option is named as unknown, with the closest one', async () => {
    const r = await ferry(repo.dir, ['deploy', '--evn', 'dev']);
    expectUserError(r, 'FERRY_E_USAGE', /Unknown option --evn for ferry deploy \(did you mean --env\?\)/);
    expect(r.stderr).not.toContain("required option '--env");
    expectUserError(await ferry(repo.dir, ['diff', '--fromat', 'json']), 'FERRY_E_USAGE', /did you mean --format\?/);
    const far = await ferry(repo.dir, ['validate', '--xyzzy']);
    expectUserError(far, 'FERRY_E_USAGE', /Unknown option --xyzzy for ferry validate/);
    expect(far.stderr).not.toContain('did you mean');
  });

  it('an item whose content type does not exist is told so, not to move the file', async () => {
    const dir = makeSampleRepo().dir;
    const path = 'content/items/article/coffee-origins.yaml';
    writeFileSync(join(dir, path), readFileSync(join(dir, path), 'utf8').replace('contentType: article', 'contentType: artcle'));
    const r = await ferry(dir, ['validate', '--json']);
    const mine = (JSON.parse(r.stdout) as { diagnostics: { file: string; code: string; message: string }[] }).diagnostics.filter((d) => d.file === path);
    expect(mine).toEqual([expect.objectContaining({ code: 'FERRY_E_REFERENCE', message: 'contentType: content type `artcle` does not exist; the file sits in the folder of `article`, so perhaps `contentType: article`' })]);
  });

  it('an item in the wrong folder, of a content type that exists, is still told where it belongs', async () => {
    const dir = makeSampleRepo().dir;
    const text = readFileSync(join(dir, 'content/items/article/coffee-origins.yaml'), 'utf8');
    mkdirSync(join(dir, 'content/items/recipe'), { recursive: true });
    writeFileSync(join(dir, 'content/items/recipe/coffee-origins.yaml'), text);
    runGit(dir, ['rm', '-q', 'content/items/article/coffee-origins.yaml']);
    const r = await ferry(dir, ['validate']);
    expect(r.stdout).toContain('FERRY_E_PATH');
    expect(r.stdout).toContain('it belongs at `content/items/article/coffee-origins.yaml`');
  });

  it('plan prints its validation errors as annotations under GitHub Actions', async () => {
    const dir = makeSampleRepo().dir;
    const path = 'content/items/article/espresso-basics.yaml';
    writeFileSync(join(dir, path), readFileSync(join(dir, path), 'utf8').replace('status: published', 'status: live'));
    const r = await ferry(dir, ['plan', '--env', 'dev', '--source', 'working-tree'], { GITHUB_ACTIONS: 'true' });
    expect(r.code).toBe(1);
    expect(`${r.stdout}${r.stderr}`).toMatch(new RegExp(`^::error file=${path.replace(/\./g, '\\.')},line=\\d+,col=\\d+,title=FERRY_E_SCHEMA`, 'm'));
  });

  it('a config error prints once', async () => {
    const dir = makeSampleRepo().dir;
    writeFileSync(join(dir, 'repository.config.yaml'), readFileSync(join(dir, 'repository.config.yaml'), 'utf8').replace('restoreMode: CreateUpdate', 'restoreMode: Nope'));
    const r = await ferry(dir, ['validate']);
    expectUserError(r, 'FERRY_E_CONFIG');
    expect(r.stderr.split('must be one of Create, CreateUpdate, Full').length - 1).toBe(1);
  });

  it("a plan's skipped deletions are always listed, in text and markdown", async () => {
    const r2 = makeSampleRepo();
    expect((await ferry(r2.dir, ['deploy', '--env', 'dev'])).code).toBe(0);
    // Two items nothing refers to (deleting a referenced one is a validation error).
    const gone = ['app-launch', 'espresso-week'];
    r2.commit(Object.fromEntries(gone.map((g) => [`content/items/promo/${g}.yaml`, null])), 'Delete two promos');
    const text = await ferry(r2.dir, ['plan', '--env', 'dev']);
    expect(text.code, text.stderr).toBe(0);
    for (const g of gone) expect(text.stdout).toMatch(new RegExp(`· skip +contentItem ${g} .*deletion`, 'i'));
    const md = await ferry(r2.dir, ['plan', '--env', 'dev', '--format', 'markdown']);
    for (const g of gone) expect(md.stdout).toContain(`\`contentItem\` \`${g}\``);
  });
});
