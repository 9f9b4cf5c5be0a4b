/**
 * Ferry's merge driver under real `git merge`, `git rebase` and `git cherry-pick`: a sample
 * repository configured with `ferry setup-git` (the built CLI as the driver), two branches
 * editing the same content, and for each case the merged file bytes (clean) or what
 * `ferry validate` reports (conflicts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeValue, encodeObjectText, parseYaml } from '../../src/format/index.js';
import type { ContentItem, ContentType, Diagnostic, FerryObject } from '../../src/model/index.js';
import { makeTempDir, removeGitRepos, type GitRepo } from '../support/gitdir.js';
import { countObjects } from '../support/store-dump.js';
import { ferry as ferryInProcess, makeSampleRepo, PROJECT_ROOT } from '../support/sample-repo.js';
import { ferry, requireBuiltCli } from './github-cli.js';

const ORIGINS = 'content/items/article/coffee-origins.yaml';
const RATIO = 'content/items/article/brewing-ratio.yaml';
const ARTICLE = 'content/content-types/article.yaml';
const HISTORY = 'content/items/article/coffee-history.yaml';
const NEW_ITEM = 'content/items/article/new-thing.yaml';

/** A git command that may fail (a conflicted merge exits 1), isolated from the machine's config. */
function tryGit(dir: string, args: string[]): { code: number; out: string } {
  const r = spawnSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_AUTHOR_NAME: 'T',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 'T',
      GIT_COMMITTER_EMAIL: 't@example.com',
      GIT_EDITOR: 'true',
      LC_ALL: 'C',
    },
  });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

function readObject<O extends FerryObject>(repo: GitRepo, path: string): O {
  const parsed = parseYaml(readFileSync(join(repo.dir, path), 'utf8'), { filename: path, maxFileSize: 1 << 20 });
  if (!parsed.ok) throw new Error(`${path}: ${parsed.diagnostics[0].message}`);
  const decoded = decodeValue(parsed.value, { file: path });
  if (!decoded.ok) throw new Error(`${path}: ${decoded.diagnostics[0].message}`);
  return decoded.object as O;
}

type Files = Record<string, FerryObject | null>;
/** Edits on one branch: objects to write (canonically) at paths, `null` to delete. */
type Edit = (read: <O extends FerryObject>(path: string) => O) => Files;

function write(repo: GitRepo, files: Files, message: string): void {
  const tree: Record<string, string | null> = {};
  for (const [path, o] of Object.entries(files)) tree[path] = o === null ? null : encodeObjectText(o, path);
  repo.commit(tree, message);
}

const en = (o: ContentItem) => o.variants['en-US'];
const es = (o: ContentItem) => o.variants['es-ES'];
const replaceBody = (o: ContentItem, lang: string, from: string, to: string) => {
  const body = o.variants[lang].fields.body as string;
  if (!body.includes(from)) throw new Error(`body has no ${from}`);
  o.variants[lang].fields.body = body.replace(from, to);
};
const SPANISH_BODY = '<p>Sesenta gramos de café por litro de agua.</p>\n<p>Más fuerte: un poco más de café.</p>\n';
const FIELD_SUBTITLE = { guid: '5c1d0f3e-1111-4a2b-8c3d-000000000001', name: 'subtitle', label: 'Subtitle', type: 'text' as const, required: false, localized: true };
const FIELD_CREDIT = { guid: '5c1d0f3e-2222-4a2b-8c3d-000000000002', name: 'credit', label: 'Photo credit', type: 'text' as const, required: false, localized: false };

interface Case {
  name: string;
  ours: Edit;
  theirs: Edit;
  /** Clean: the expected objects by path (`null`: the path must be gone). */
  clean?: Edit;
  /** Conflicts: `[file, pointer, ours value text, theirs value text]` as `ferry validate` reports them. */
  conflicts?: [string, string, string, string][];
}

const CASES: Case[] = [
  {
    name: 'shared fields changed on both sides',
    ours: (r) => ({ [ORIGINS]: edit(r<ContentItem>(ORIGINS), (o) => (o.fields.publishDate = '2024-06-01')) }),
    theirs: (r) => ({ [ORIGINS]: edit(r<ContentItem>(ORIGINS), (o) => (o.fields.tags = ['origins', 'travel'])) }),
    clean: (r) => ({ [ORIGINS]: edit(r<ContentItem>(ORIGINS), (o) => ((o.fields.publishDate = '2024-06-01'), (o.fields.tags = ['origins', 'travel']))) }),
  },
  {
    name: 'the English title fixed; the Spanish variant and a paragraph edited',
    ours: (r) => ({ [ORIGINS]: edit(r<ContentItem>(ORIGINS), (o) => (en(o).fields.title = 'Where our coffee really comes from')) }),
    theirs: (r) => ({
      [ORIGINS]: edit(r<ContentItem>(ORIGINS), (o) => {
        es(o).fields.title = 'De dónde viene el café';
        replaceBody(o, 'en-US', 'Six regions, long friendships', 'Six regions, long-standing friendships');
      }),
    }),
    clean: (r) => ({
      [ORIGINS]: edit(r<ContentItem>(ORIGINS), (o) => {
        en(o).fields.title = 'Where our coffee really comes from';
        es(o).fields.title = 'De dónde viene el café';
        replaceBody(o, 'en-US', 'Six regions, long friendships', 'Six regions, long-standing friendships');
      }),
    }),
  },
  {
    name: 'the same variant added on both sides with different fields',
    ours: (r) => ({ [RATIO]: edit(r<ContentItem>(RATIO), (o) => (o.variants['es-ES'] = { status: 'draft', displayName: 'Proporción', fields: { title: 'La proporción de oro', body: SPANISH_BODY } })) }),
    theirs: (r) => ({ [RATIO]: edit(r<ContentItem>(RATIO), (o) => (o.variants['es-ES'] = { status: 'draft', displayName: 'Proporción', fields: { body: SPANISH_BODY, summary: 'Sesenta gramos por litro.' } })) }),
    clean: (r) => ({
      [RATIO]: edit(r<ContentItem>(RATIO), (o) => (o.variants['es-ES'] = { status: 'draft', displayName: 'Proporción', fields: { title: 'La proporción de oro', body: SPANISH_BODY, summary: 'Sesenta gramos por litro.' } })),
    }),
  },
  {
    name: 'rich text edited in different paragraphs',
    ours: (r) => ({ [ORIGINS]: edit(r<ContentItem>(ORIGINS), (o) => replaceBody(o, 'en-US', 'the bean belt', 'the coffee belt')) }),
    theirs: (r) => ({ [ORIGINS]: edit(r<ContentItem>(ORIGINS), (o) => replaceBody(o, 'en-US', 'from one harvest to the next', 'from harvest to harvest')) }),
    clean: (r) => ({
      [ORIGINS]: edit(r<ContentItem>(ORIGINS), (o) => {
        replaceBody(o, 'en-US', 'the bean belt', 'the coffee belt');
        replaceBody(o, 'en-US', 'from one harvest to the next', 'from harvest to harvest');
      }),
    }),
  },
  {
    name: 'a rename on one side, an edit on the other',
    ours: (r) => ({ [ORIGINS]: null, [HISTORY]: edit(r<ContentItem>(ORIGINS), (o) => (o.codeName = 'coffee-history')) }),
    theirs: (r) => ({ [ORIGINS]: edit(r<ContentItem>(ORIGINS), (o) => (es(o).fields.title = 'Historia del café')) }),
    clean: (r) => ({ [ORIGINS]: null, [HISTORY]: edit(r<ContentItem>(ORIGINS), (o) => ((o.codeName = 'coffee-history'), (es(o).fields.title = 'Historia del café'))) }),
  },
  {
    name: 'two field additions to one content type',
    ours: (r) => ({ [ARTICLE]: edit(r<ContentType>(ARTICLE), (o) => o.fields.push(FIELD_SUBTITLE)) }),
    theirs: (r) => ({ [ARTICLE]: edit(r<ContentType>(ARTICLE), (o) => o.fields.push(FIELD_CREDIT)) }),
    // Concurrent additions at one place: in name order, whichever side merges into which.
    clean: (r) => ({ [ARTICLE]: edit(r<ContentType>(ARTICLE), (o) => o.fields.push(FIELD_CREDIT, FIELD_SUBTITLE)) }),
  },
  {
    name: 'the same title changed differently',
    ours: (r) => ({ [ORIGINS]: edit(r<ContentItem>(ORIGINS), (o) => (en(o).fields.title = 'Coffee origins, ours')) }),
    theirs: (r) => ({ [ORIGINS]: edit(r<ContentItem>(ORIGINS), (o) => ((en(o).fields.title = 'Coffee origins, theirs'), (o.fields.publishDate = '2024-07-01'))) }),
    conflicts: [[ORIGINS, '/variants/en-US/fields/title', '"Coffee origins, ours"', '"Coffee origins, theirs"']],
  },
  {
    name: 'rich text edited in the same paragraph',
    ours: (r) => ({ [ORIGINS]: edit(r<ContentItem>(ORIGINS), (o) => replaceBody(o, 'en-US', 'Yirgacheffe gives us', 'Yirgacheffe still gives us')) }),
    theirs: (r) => ({ [ORIGINS]: edit(r<ContentItem>(ORIGINS), (o) => replaceBody(o, 'en-US', 'Ethiopia is where it began', 'Ethiopia is where coffee began')) }),
    conflicts: [[ORIGINS, '/variants/en-US/fields/body', 'Yirgacheffe still gives us', 'Ethiopia is where coffee began']],
  },
  {
    name: 'a variant deleted on one side and edited on the other',
    ours: (r) => ({ [ORIGINS]: edit(r<ContentItem>(ORIGINS), (o) => delete o.variants['es-ES']) }),
    theirs: (r) => ({ [ORIGINS]: edit(r<ContentItem>(ORIGINS), (o) => (es(o).fields.title = 'Orígenes')) }),
    conflicts: [[ORIGINS, '/variants/es-ES', '(absent)', 'Orígenes']],
  },
  {
    name: 'a content type field removed on one side while the other changed items\u2019 values for it',
    ours: (r) => ({
      [ARTICLE]: edit(r<ContentType>(ARTICLE), (o) => (o.fields = o.fields.filter((f) => f.name !== 'summary'))),
      [ORIGINS]: edit(r<ContentItem>(ORIGINS), (o) => delete en(o).fields.summary),
    }),
    theirs: (r) => ({ [ORIGINS]: edit(r<ContentItem>(ORIGINS), (o) => (en(o).fields.summary = 'Six regions, one tour.')) }),
    conflicts: [[ORIGINS, '/variants/en-US/fields/summary', '(absent)', 'Six regions, one tour.']],
  },
  {
    name: 'the same code name created on both sides with different guids',
    ours: (r) => ({ [NEW_ITEM]: edit(r<ContentItem>(RATIO), (o) => ((o.guid = 'aaaaaaaa-1111-4111-8111-000000000001'), (o.codeName = 'new-thing'))) }),
    theirs: (r) => ({ [NEW_ITEM]: edit(r<ContentItem>(RATIO), (o) => ((o.guid = 'bbbbbbbb-2222-4222-8222-000000000002'), (o.codeName = 'new-thing'), (en(o).fields.title = 'Another new thing'))) }),
    conflicts: [[NEW_ITEM, '/guid', 'aaaaaaaa-1111-4111-8111-000000000001', 'bbbbbbbb-2222-4222-8222-000000000002']],
  },
];

function edit<O>(o: O, change: (copy: O) => void): O {
  const copy = structuredClone(o);
  change(copy);
  return copy;
}

const OPERATIONS = {
  merge: (repo: GitRepo) => (tryGit(repo.dir, ['checkout', '-q', '-B', 'work', 'main']), tryGit(repo.dir, ['merge', '--no-edit', 'theirs'])),
  rebase: (repo: GitRepo) => (tryGit(repo.dir, ['checkout', '-q', '-B', 'work', 'theirs']), tryGit(repo.dir, ['rebase', 'main'])),
  'cherry-pick': (repo: GitRepo) => (tryGit(repo.dir, ['checkout', '-q', '-B', 'work', 'main']), tryGit(repo.dir, ['cherry-pick', 'theirs'])),
} as const;
const ABORT = { merge: ['merge', '--abort'], rebase: ['rebase', '--abort'], 'cherry-pick': ['cherry-pick', '--abort'] } as const;

beforeAll(() => requireBuiltCli());
afterAll(removeGitRepos);

describe('ferry setup-git', () => {
  it('writes the attribute line once and points merge.ferry.driver at the built CLI', async () => {
    const repo = makeSampleRepo();
    for (let i = 0; i < 2; i++) {
      const r = await ferry(['setup-git'], { cwd: join(repo.dir, 'content') });
      expect(r.code, r.stderr).toBe(0);
    }
    expect(readFileSync(join(repo.dir, '.gitattributes'), 'utf8').match(/^content\/\*\*\/\*\.yaml merge=ferry$/gm)).toHaveLength(1);
    expect(repo.git('config', 'merge.ferry.driver')).toBe(`node ${join(PROJECT_ROOT, 'dist/cli/bin.js')} merge-file %O %A %B --path %P`);
  });
});

describe('ferry init', () => {
  it('writes the attribute line, and in a git repository the driver config', async () => {
    const dir = makeTempDir('ferry-init-merge-');
    tryGit(dir, ['init', '-q', '-b', 'main']);
    const r = await ferry(['init', '.'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dir, '.gitattributes'), 'utf8')).toMatch(/^content\/\*\*\/\*\.yaml merge=ferry$/m);
    expect(tryGit(dir, ['config', 'merge.ferry.driver']).out.trim()).toBe(`node ${join(PROJECT_ROOT, 'dist/cli/bin.js')} merge-file %O %A %B --path %P`);
  });
});

describe.each(CASES)('$name', (c) => {
  let repo: GitRepo;
  let expected: Record<string, string | null> | undefined;
  beforeAll(async () => {
    repo = makeSampleRepo();
    const setup = await ferry(['setup-git'], { cwd: repo.dir });
    expect(setup.code, setup.stderr).toBe(0);
    repo.commit({}, 'merge driver');
    const read = <O extends FerryObject>(path: string) => readObject<O>(repo, path);
    if (c.clean) {
      expected = {};
      for (const [path, o] of Object.entries(c.clean(read))) expected[path] = o === null ? null : encodeObjectText(o, path);
    }
    repo.switchTo('theirs', { create: true });
    write(repo, c.theirs(read), 'theirs');
    repo.switchTo('main');
    write(repo, c.ours(read), 'ours');
  });

  it.each(Object.keys(OPERATIONS) as (keyof typeof OPERATIONS)[])('git %s', async (op) => {
    const r = OPERATIONS[op](repo);
    try {
      if (expected) {
        expect(r.code, r.out).toBe(0);
        for (const [path, text] of Object.entries(expected)) {
          if (text === null) expect(existsSync(join(repo.dir, path)), path).toBe(false);
          else expect(readFileSync(join(repo.dir, path), 'utf8'), path).toBe(text);
        }
        expect((await ferryInProcess(repo.dir, ['validate'])).code).toBe(0);
      } else {
        expect(r.code, r.out).not.toBe(0);
        const v = await ferryInProcess(repo.dir, ['validate', '--format', 'json']);
        expect(v.code).not.toBe(0);
        const found = (JSON.parse(v.stdout).diagnostics as Diagnostic[]).filter((d) => d.code === 'FERRY_E_CONFLICT');
        expect(found.map((d) => [d.file, d.pointer])).toEqual(c.conflicts!.map(([file, pointer]) => [file, pointer]));
        // Ferry's driver wrote them (git's own line merge labels its markers with branch names).
        for (const file of new Set(c.conflicts!.map(([f]) => f))) expect(readFileSync(join(repo.dir, file), 'utf8')).toMatch(/^<<<<<<< ours\n/m);
        if (op === 'merge') {
          const deploy = await ferryInProcess(repo.dir, ['deploy', '--env', 'dev', '--source', 'working-tree', '--format', 'json']);
          expect(deploy.code).not.toBe(0);
          expect(deploy.stdout + deploy.stderr).toContain('FERRY_E_CONFLICT');
          // The PR comment (`ferry diff --format markdown`) and the terminal diff list the conflicts first.
          const md = await ferryInProcess(repo.dir, ['diff', 'HEAD', '--source', 'working-tree', '--format', 'markdown']);
          expect(md.code, md.stderr).toBe(0);
          const body = md.stdout.split('\n').slice(1).join('\n').trimStart();
          expect(body).toMatch(/^`[0-9a-f]{7,}` → `\(working tree\)`\n\n> \[!CAUTION\]\n> \*\*\d+ unresolved merge conflicts?\*\*/);
          for (const [file] of c.conflicts!) expect(md.stdout).toContain(`| \`${file}\` |`);
          const txt = await ferryInProcess(repo.dir, ['diff', 'HEAD', '--source', 'working-tree']);
          expect(txt.stdout.split('\n')[1]).toMatch(/^\d+ unresolved merge conflicts? /);
          const db = join(repo.dir, '.ferry', 'dev.db');
          if (existsSync(db)) expect(countObjects(db)).toBe(0);
        }
        c.conflicts!.forEach(([, , ours, theirs], i) => {
          expect(found[i].message).toContain(ours);
          expect(found[i].message).toContain(theirs);
          expect(found[i].line).toBeGreaterThan(1);
          expect(found[i].object?.kind).toBe('contentItem');
        });
      }
    } finally {
      if (r.code !== 0) tryGit(repo.dir, [...ABORT[op]]);
      tryGit(repo.dir, ['checkout', '-q', '-f', 'main']);
    }
  });
});

describe('refuses and writes nothing when', () => {
  it('a version is missing (merge-file)', async () => {
    const repo = makeSampleRepo();
    const before = readFileSync(join(repo.dir, ORIGINS), 'utf8');
    const r = await ferry(['merge-file', 'nope.yaml', ORIGINS, 'nope-too.yaml', '--path', ORIGINS], { cwd: repo.dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ferry: Cannot read .*nope\.yaml: ENOENT \(FERRY_E_NOT_FOUND\)\nhint: /);
    expect(readFileSync(join(repo.dir, ORIGINS), 'utf8')).toBe(before);
  });

  it('the folder is not a git repository (setup-git)', async () => {
    const dir = makeTempDir('ferry-no-git-');
    const r = await ferry(['setup-git'], { cwd: dir, env: { GIT_CEILING_DIRECTORIES: dirname(dir) } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('is not inside a git repository (FERRY_E_GIT)');
    expect(existsSync(join(dir, '.gitattributes'))).toBe(false);
  });
});

describe('a content type field removed on one side while the other side gave an item a new value for it', () => {
  // Git runs the driver once per file, so no driver sees both files; the merged tree is caught by
  // validation instead, before anything is deployed (see src/merge/README.md, "Limits").
  it('merges by file, and ferry validate reports the value of the removed field', async () => {
    const repo = makeSampleRepo();
    expect((await ferry(['setup-git'], { cwd: repo.dir })).code).toBe(0);
    repo.commit({}, 'merge driver');
    const read = <O extends FerryObject>(path: string) => readObject<O>(repo, path);
    const articles = repo.git('ls-files', 'content/items/article').split('\n');
    repo.switchTo('theirs', { create: true });
    write(repo, { [ORIGINS]: edit(read<ContentItem>(ORIGINS), (o) => (es(o).fields.summary = 'Seis regiones.')) }, 'theirs');
    repo.switchTo('main');
    const ours: Files = { [ARTICLE]: edit(read<ContentType>(ARTICLE), (o) => (o.fields = o.fields.filter((f) => f.name !== 'summary'))) };
    for (const path of articles) ours[path] = edit(read<ContentItem>(path), (o) => Object.values(o.variants).forEach((v) => delete v.fields.summary));
    write(repo, ours, 'ours');
    expect((await ferryInProcess(repo.dir, ['validate'])).code).toBe(0);
    expect(tryGit(repo.dir, ['merge', '--no-edit', 'theirs']).code).toBe(0);
    const v = await ferryInProcess(repo.dir, ['validate', '--format', 'json']);
    expect(v.code).not.toBe(0);
    expect((JSON.parse(v.stdout).diagnostics as Diagnostic[]).map((d) => [d.code, d.file, d.message])).toEqual([
      ['FERRY_E_FIELD', ORIGINS, 'variants.es-ES.fields.summary: unknown field: content type article has no field "summary"'],
    ]);
  });
});
