/** `ferry diff`, `ferry validate --ref/--changed` and the git diff driver on real git repositories. */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeGitRepos, runGit } from '../support/gitdir.js';
import { ferry, makeSampleRepo, PROJECT_ROOT } from '../support/sample-repo.js';

afterAll(() => removeGitRepos());

interface ChangeJson {
  op: string;
  kind: string;
  codeName: string;
  path: string;
  fromPath?: string;
  fromCodeName?: string;
  fields: Array<{ path: string; name: string; language?: string; before?: unknown; after?: unknown }>;
}

async function diffJson(dir: string, args: string[]): Promise<ChangeJson[]> {
  const r = await ferry(dir, ['diff', ...args, '--format', 'json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout).changes;
}

const edit = (dir: string, path: string, fn: (text: string) => string) => {
  const before = readFileSync(join(dir, path), 'utf8');
  const after = fn(before);
  expect(after, `edit of ${path} changed nothing`).not.toBe(before);
  writeFileSync(join(dir, path), after);
};

function fileWith(dir: string, folder: string, re: RegExp): string {
  const files = runGit(dir, ['ls-files', folder]).split('\n').filter((f) => f.endsWith('.yaml')).sort();
  const hit = files.find((f) => re.test(readFileSync(join(dir, f), 'utf8')));
  if (!hit) throw new Error(`no file in ${folder} matches ${re}`);
  return hit;
}

describe('ferry diff between commits', () => {
  it('shows an edit in one language only, with its language', async () => {
    const repo = makeSampleRepo();
    const file = fileWith(repo.dir, 'content/items/article', /\n  es-ES:\n(.*\n)*? {6}title: /);
    edit(repo.dir, file, (t) => t.replace(/(\n  es-ES:\n(?:.*\n)*? {6}title: )(.*)\n/, '$1Nuevo título\n'));
    repo.commit({}, 'es edit');
    const changes = await diffJson(repo.dir, ['HEAD~1']);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ op: 'update', kind: 'contentItem', path: file });
    expect(changes[0].fields).toEqual([expect.objectContaining({ path: 'variants.es-ES.fields.title', name: 'title', language: 'es-ES', after: 'Nuevo título' })]);
  });

  it('shows a status change draft → published', async () => {
    const repo = makeSampleRepo();
    const file = fileWith(repo.dir, 'content/items', /status: draft/);
    edit(repo.dir, file, (t) => t.replace('status: draft', 'status: published'));
    repo.commit({}, 'publish');
    const [change] = await diffJson(repo.dir, ['HEAD~1']);
    const status = change.fields.find((f) => f.name === 'status')!;
    expect(status).toMatchObject({ before: 'draft', after: 'published' });
    expect(status.path).toMatch(/^variants\.[a-zA-Z-]+\.status$/);
  });

  it('shows a field added to a content type', async () => {
    const repo = makeSampleRepo();
    edit(repo.dir, 'content/content-types/article.yaml', (t) =>
      t.replace('\nfields:\n', `\nfields:\n  - guid: ${randomUUID()}\n    name: subtitle\n    type: text\n    required: false\n    localized: true\n`),
    );
    repo.commit({}, 'subtitle');
    const [change] = await diffJson(repo.dir, ['HEAD~1']);
    expect(change).toMatchObject({ op: 'update', kind: 'contentType', codeName: 'article' });
    expect(change.fields.map((f) => f.path)).toContain('fields[subtitle]');
  });

  it('shows a page moved in the tree', async () => {
    const repo = makeSampleRepo();
    const home = readFileSync(join(repo.dir, 'content/pages/website/home.yaml'), 'utf8');
    const homeGuid = /guid: (\S+)/.exec(home)![1];
    const file = fileWith(repo.dir, 'content/pages/website', /\nparent: /);
    const current = /\nparent: (\S+)/.exec(readFileSync(join(repo.dir, file), 'utf8'))![1];
    const target = current === homeGuid ? /guid: (\S+)/.exec(readFileSync(join(repo.dir, 'content/pages/website/coffee.yaml'), 'utf8'))![1] : homeGuid;
    edit(repo.dir, file, (t) => t.replace(`parent: ${current}`, `parent: ${target}`));
    repo.commit({}, 'move page');
    const [change] = await diffJson(repo.dir, ['HEAD~1']);
    expect(change).toMatchObject({ op: 'update', kind: 'page' });
    expect(change.fields).toEqual([expect.objectContaining({ path: 'parent', before: current, after: target })]);
  });

  it('shows a renamed file with the same guid as one rename, not a delete and a create', async () => {
    const repo = makeSampleRepo();
    const from = 'content/items/article/brewing-ratio.yaml';
    const to = 'content/items/article/golden-ratio.yaml';
    repo.git('mv', from, to);
    edit(repo.dir, to, (t) => t.replace('codeName: brewing-ratio', 'codeName: golden-ratio'));
    repo.commit({}, 'rename');
    const changes = await diffJson(repo.dir, ['HEAD~1']);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ op: 'rename', codeName: 'golden-ratio', fromCodeName: 'brewing-ratio', path: to, fromPath: from });
  });

  it('shows an asset binary replaced (sha256 and size) and a deletion', async () => {
    const repo = makeSampleRepo();
    const yaml = fileWith(repo.dir, 'content/assets', /fileName: .*\.png/);
    const fileName = /fileName: (\S+)/.exec(readFileSync(join(repo.dir, yaml), 'utf8'))![1];
    const bin = join(repo.dir, yaml.slice(0, yaml.lastIndexOf('/')), fileName);
    writeFileSync(bin, Buffer.concat([readFileSync(bin), Buffer.from('extra bytes')]));
    expect((await ferry(repo.dir, ['fmt', '--fix-assets'])).code).toBe(0);
    const victim = fileWith(repo.dir, 'content/items/event', /kind: contentItem/);
    repo.commit({ [victim]: null }, 'replace image, delete event');
    const changes = await diffJson(repo.dir, ['HEAD~1']);
    const asset = changes.find((c) => c.kind === 'asset')!;
    expect(asset.fields.map((f) => f.name).sort()).toEqual(['sha256', 'size']);
    expect(changes.find((c) => c.kind === 'contentItem')).toMatchObject({ op: 'delete', path: victim });
    const md = await ferry(repo.dir, ['diff', 'HEAD~1', '--format', 'markdown']);
    expect(md.stdout).toContain('| Kind | Created | Updated | Renamed | Deleted |');
    expect(md.stdout).toMatch(/\| asset \| 0 \| 1 \| 0 \| 0 \|/);
  });

  it('is empty for changes outside the repository folder', async () => {
    const repo = makeSampleRepo();
    repo.commit({ 'docs/notes.md': 'hello\n', 'repository.config.yaml': readFileSync(join(repo.dir, 'repository.config.yaml'), 'utf8') + '\n' }, 'docs');
    expect(await diffJson(repo.dir, ['HEAD~1'])).toEqual([]);
    const text = await ferry(repo.dir, ['diff', 'HEAD~1']);
    expect(text.stdout).toMatch(/no content changes/i);
  });

  it('uses the merge base for A...B, as a pull request does, and diffs merge commits', async () => {
    const repo = makeSampleRepo();
    repo.switchTo('feature', { create: true });
    edit(repo.dir, 'content/items/article/brewing-ratio.yaml', (t) => t.replace(/(\n {6}title: )(.*)\n/, '$1Feature title\n'));
    repo.commit({}, 'feature edit');
    repo.switchTo('main');
    edit(repo.dir, 'content/items/article/storing-beans.yaml', (t) => t.replace(/(\n {6}title: )(.*)\n/, '$1Main title\n'));
    repo.commit({}, 'main edit');
    const pr = await diffJson(repo.dir, ['main...feature']);
    expect(pr.map((c) => c.codeName)).toEqual(['brewing-ratio']);
    const twoDot = await diffJson(repo.dir, ['main..feature']);
    expect(twoDot.map((c) => c.codeName).sort()).toEqual(['brewing-ratio', 'storing-beans']);
    repo.merge('feature');
    const merged = await diffJson(repo.dir, ['HEAD^1', 'HEAD']);
    expect(merged.map((c) => c.codeName)).toEqual(['brewing-ratio']);
  });

  it('truncates a 2,000-object markdown report under 65,536 characters and writes the full one with --out', async () => {
    const repo = makeSampleRepo();
    const template = readFileSync(join(repo.dir, 'content/items/article/brewing-ratio.yaml'), 'utf8');
    const files: Record<string, string> = {};
    for (let i = 0; i < 2000; i++) {
      const code = `bulk-${String(i).padStart(4, '0')}`;
      files[`content/items/article/${code}.yaml`] = template.replace(/\nguid: \S+/, `\nguid: ${randomUUID()}`).replace('codeName: brewing-ratio', `codeName: ${code}`);
    }
    repo.commit(files, 'bulk import');
    const r = await ferry(repo.dir, ['diff', 'HEAD~1', '--format', 'markdown', '--out', 'full-report.md']);
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBeLessThan(65_536);
    expect(r.stdout).toMatch(/\d+ more objects? not shown/);
    const full = readFileSync(join(repo.dir, 'full-report.md'), 'utf8');
    expect(full.length).toBeGreaterThan(65_536);
    expect(full).toContain('bulk-1999');
    const stat = await ferry(repo.dir, ['diff', 'HEAD~1', '--stat']);
    expect(stat.stdout).toContain('2000');
  });

  it('refuses an unknown revision with exit 5 and a clear message', async () => {
    const repo = makeSampleRepo();
    const r = await ferry(repo.dir, ['diff', 'no-such-branch']);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('no-such-branch');
    expect(r.stderr).toContain('FERRY_E_REVISION');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('works in a shallow clone that has the two commits', async () => {
    const repo = makeSampleRepo();
    edit(repo.dir, 'content/items/article/brewing-ratio.yaml', (t) => t.replace(/(\n {6}title: )(.*)\n/, '$1Shallow\n'));
    repo.commit({}, 'edit');
    const clone = repo.cloneShallow(2);
    expect(existsSync(join(clone, '.git', 'shallow'))).toBe(true);
    const changes = await diffJson(clone, ['HEAD~1']);
    expect(changes.map((c) => c.codeName)).toEqual(['brewing-ratio']);
  });

  it('limits the diff to paths, kinds and languages', async () => {
    const repo = makeSampleRepo();
    edit(repo.dir, 'content/items/article/brewing-ratio.yaml', (t) => t.replace(/(\n {6}title: )(.*)\n/, '$1A\n'));
    edit(repo.dir, 'content/pages/website/home.yaml', (t) => t.replace(/\norder: (\d+)/, (_m, n: string) => `\norder: ${Number(n) + 10}`));
    repo.commit({}, 'two edits');
    expect((await diffJson(repo.dir, ['HEAD~1', 'content/pages'])).map((c) => c.kind)).toEqual(['page']);
    expect((await diffJson(repo.dir, ['HEAD~1', '--kind', 'contentItem'])).map((c) => c.kind)).toEqual(['contentItem']);
    expect((await diffJson(repo.dir, ['HEAD~1', '--lang', 'es-ES'])).length).toBe(0);
  });
});

describe('ferry validate at a revision', () => {
  it('--ref validates a commit without touching the working tree', async () => {
    const repo = makeSampleRepo();
    const good = repo.head();
    edit(repo.dir, 'content/items/article/brewing-ratio.yaml', (t) => t.replace(/\nworkspace: \S+/, '\nworkspace: nowhere'));
    repo.commit({}, 'bad workspace');
    repo.git('checkout', '-q', good);
    const r = await ferry(repo.dir, ['validate', '--ref', 'main']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/brewing-ratio\.yaml:\d+:\d+: error FERRY_E_REFERENCE .*nowhere/);
    expect((await ferry(repo.dir, ['validate'])).code).toBe(0);
  });

  it('--changed reports an object that references a deleted object', async () => {
    const repo = makeSampleRepo();
    const author = fileWith(repo.dir, 'content/items/author', /kind: contentItem/);
    const guid = /\nguid: (\S+)/.exec(readFileSync(join(repo.dir, author), 'utf8'))![1];
    const referrer = fileWith(repo.dir, 'content/items/article', new RegExp(guid));
    repo.commit({ [author]: null }, 'delete author');
    const r = await ferry(repo.dir, ['validate', '--changed', 'HEAD~1...HEAD']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(referrer);
    expect(r.stdout).toContain(guid);
  });
});

describe('git diff driver', () => {
  it('makes git diff print field paths through ferry textconv', async () => {
    const repo = makeSampleRepo();
    repo.git('config', 'diff.ferry.textconv', `${process.execPath} ${join(PROJECT_ROOT, 'dist', 'cli', 'bin.js')} textconv`);
    writeFileSync(join(repo.dir, '.gitattributes'), 'content/**/*.yaml diff=ferry\n');
    edit(repo.dir, 'content/items/article/brewing-ratio.yaml', (t) => t.replace(/(\n {6}title: )(.*)\n/, '$1Driver title\n'));
    const out = repo.git('diff');
    expect(out).toContain('+variants.en-US.fields.title: Driver title');
    expect(out).toMatch(/-variants\.en-US\.fields\.title: /);
  });
});

describe('ferry diff with a broken file', () => {
  it('reports the file that does not parse instead of showing its object as deleted', async () => {
    const repo = makeSampleRepo();
    edit(repo.dir, 'content/items/article/brewing-ratio.yaml', (t) => t.replace(/\nworkspace: /, '\nworkspace: [oops\n'));
    repo.commit({}, 'broken');
    const r = await ferry(repo.dir, ['diff', 'HEAD~1', '--format', 'json']);
    expect(JSON.parse(r.stdout).changes).toEqual([]);
    expect(r.stderr).toMatch(/brewing-ratio\.yaml:\d+:\d+: error FERRY_E_YAML/);
  });
});

describe('ferry diff --source working-tree', () => {
  it('compares a revision with uncommitted files', async () => {
    const repo = makeSampleRepo();
    edit(repo.dir, 'content/items/article/brewing-ratio.yaml', (t) => t.replace(/(\n {6}title: )(.*)\n/, '$1Uncommitted title\n'));
    const changes = await diffJson(repo.dir, ['HEAD', '--source', 'working-tree']);
    expect(changes.map((c) => `${c.op} ${c.codeName}`)).toEqual(['update brewing-ratio']);
    expect(changes[0].fields[0]).toMatchObject({ path: 'variants.en-US.fields.title', after: 'Uncommitted title' });
  });
});
