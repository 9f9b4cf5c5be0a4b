/**
 * Symbolic links never lead content out of the repository: the working tree (validate, deploy,
 * fmt, pull, serialize) and git commits (mode 120000, both git adapters) refuse them with
 * FERRY_E_SYMLINK naming the link, without reading the link's target, and write nothing.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIsoGit } from '../../src/git/iso-git.js';
import { createPlumbingGit } from '../../src/git/plumbing-git.js';
import { createCommitReader, createFolderReader, readSnapshot } from '../../src/snapshot/index.js';
import { resolveConfig } from '../../src/config/resolve-config.js';
import { ferry, makeSampleRepo, PROJECT_ROOT } from '../support/sample-repo.js';
import { removeGitRepos, runGit } from '../support/gitdir.js';
import { dumpStore } from '../support/store-dump.js';

const ARTICLE = 'content/items/article/brewing-ratio.yaml';
const BINARY = 'content/assets/logos/ferry-logo.svg';

let pristine: string;
let outside: string;

beforeAll(async () => {
  pristine = mkdtempSync(join(tmpdir(), 'ferry-link-pristine-'));
  for (const p of ['content', 'schemas', 'repository.config.yaml']) cpSync(join(PROJECT_ROOT, p), join(pristine, p), { recursive: true });
  const r = await ferry(pristine, ['deploy', '--env', 'dev', '--source', 'working-tree']);
  expect(r.code, r.stderr).toBe(0);
  // Files outside the repository that a link could lead to: a valid copy of the article (so that
  // following the link would validate and deploy) and a "secret" binary of a known size.
  outside = mkdtempSync(join(tmpdir(), 'ferry-link-outside-'));
  writeFileSync(join(outside, 'article.yaml'), readFileSync(join(pristine, ARTICLE)));
  writeFileSync(join(outside, 'secret.svg'), 'S'.repeat(12345));
  mkdirSync(join(outside, 'items'));
});

afterAll(() => {
  rmSync(pristine, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
  removeGitRepos();
});

function freshRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-link-'));
  cpSync(pristine, dir, { recursive: true });
  return dir;
}

/** Replaces a repository file by a link to `target`. */
function linkAt(dir: string, path: string, target: string): void {
  unlinkSync(join(dir, path));
  symlinkSync(target, join(dir, path));
}

describe('the working tree refuses symbolic links and writes nothing', () => {
  const cases: { name: string; mutate: (dir: string) => void; link: string }[] = [
    { name: 'a YAML file linked to a file outside the repository', mutate: (d) => linkAt(d, ARTICLE, join(outside, 'article.yaml')), link: ARTICLE },
    { name: 'an asset binary linked to a file outside the repository', mutate: (d) => linkAt(d, BINARY, join(outside, 'secret.svg')), link: BINARY },
    { name: 'a YAML file linked to another file inside the repository', mutate: (d) => linkAt(d, ARTICLE, './cold-brew-guide.yaml'), link: ARTICLE },
    {
      name: 'a folder linked to a folder outside the repository',
      mutate: (d) => {
        cpSync(join(d, 'content/items/article'), join(outside, 'items/article-copy'), { recursive: true });
        rmSync(join(d, 'content/items/article'), { recursive: true });
        symlinkSync(join(outside, 'items/article-copy'), join(d, 'content/items/article'));
      },
      link: 'content/items/article',
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const dir = freshRepo();
      try {
        c.mutate(dir);
        const before = dumpStore(join(dir, '.ferry', 'dev.db'));
        for (const argv of [['validate'], ['deploy', '--env', 'dev', '--source', 'working-tree'], ['fmt'], ['fmt', '--check']]) {
          const r = await ferry(dir, argv);
          expect(r.code, `${argv.join(' ')}: ${r.stdout}${r.stderr}`).toBe(1);
          expect(r.stderr).toContain('FERRY_E_SYMLINK');
          expect(r.stderr).toContain(`\`${c.link}\` is a symbolic link`);
          // Nothing of the target leaks: not its size, not its path.
          expect(r.stdout + r.stderr).not.toContain('12345');
          expect(r.stdout + r.stderr).not.toContain(outside);
          expect(r.stderr).not.toMatch(/\n\s+at /);
        }
        expect(dumpStore(join(dir, '.ferry', 'dev.db'))).toBe(before);
        expect(existsSync(join(dir, '.ferry', 'dev.db.blobs'))).toBe(true);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it('pull and serialize refuse to write through a linked folder, leaving the link target untouched', async () => {
    const dir = freshRepo();
    try {
      const target = mkdtempSync(join(outside, 'pull-target-'));
      rmSync(join(dir, 'content/items/article'), { recursive: true });
      symlinkSync(target, join(dir, 'content/items/article'));
      for (const argv of [['pull', '--from', 'dev'], ['serialize', '--env', 'dev']]) {
        const r = await ferry(dir, argv);
        expect(r.code, r.stdout + r.stderr).toBe(1);
        expect(r.stderr).toContain('`content/items/article` is a symbolic link');
      }
      expect(existsSync(join(target, 'brewing-ratio.yaml'))).toBe(false);
      // Refused before any write: no other file was rewritten either.
      expect(readFileSync(join(dir, 'content/items/article/../../languages/en-US.yaml'), 'utf8')).toBe(readFileSync(join(pristine, 'content/languages/en-US.yaml'), 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('pull refuses a repository folder that is itself a link', async () => {
    const dir = freshRepo();
    try {
      const moved = join(outside, 'moved-content');
      cpSync(join(dir, 'content'), moved, { recursive: true });
      rmSync(join(dir, 'content'), { recursive: true });
      symlinkSync(moved, join(dir, 'content'));
      const r = await ferry(dir, ['pull', '--from', 'dev']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('`content` is a symbolic link');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the folder reader refuses a link it is asked to read without listing it', async () => {
    const dir = freshRepo();
    try {
      linkAt(dir, ARTICLE, join(outside, 'article.yaml'));
      const reader = createFolderReader(dir);
      await expect(reader.read([ARTICLE])).rejects.toMatchObject({ code: 'FERRY_E_SYMLINK', loc: { file: ARTICLE } });
      rmSync(join(dir, 'content/items/article'), { recursive: true });
      symlinkSync(join(outside, 'items'), join(dir, 'content/items/article'));
      await expect(createFolderReader(dir).read(['content/items/article/article-copy/brewing-ratio.yaml'])).rejects.toMatchObject({ code: 'FERRY_E_SYMLINK', loc: { file: 'content/items/article' } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('git sources refuse mode 120000 entries', () => {
  it('in a listed commit and in a diff, with both git adapters', async () => {
    const repo = makeSampleRepo();
    const base = runGit(repo.dir, ['rev-parse', 'HEAD']);
    unlinkSync(join(repo.dir, ARTICLE));
    symlinkSync(join(outside, 'article.yaml'), join(repo.dir, ARTICLE));
    runGit(repo.dir, ['add', '-A']);
    runGit(repo.dir, ['commit', '-q', '-m', 'link']);
    const head = runGit(repo.dir, ['rev-parse', 'HEAD']);
    expect(runGit(repo.dir, ['ls-tree', head, ARTICLE])).toMatch(/^120000 /);
    const { config } = resolveConfig({ folder: 'content' }, {});
    if (!config) throw new Error('test set-up: config');
    for (const git of [await createPlumbingGit(repo.dir), await createIsoGit(repo.dir)]) {
      try {
        await expect(readSnapshot(createCommitReader(git, head), config)).rejects.toMatchObject({ code: 'FERRY_E_SYMLINK', loc: { file: ARTICLE } });
        await expect(git.diffTrees(base, head, 'content')).rejects.toMatchObject({ code: 'FERRY_E_SYMLINK', loc: { file: ARTICLE } });
        // Deleting the link again is fine: a link on the base side only is not refused.
        await expect(git.diffTrees(head, base, 'content')).resolves.toHaveLength(1);
      } finally {
        await git.close();
      }
    }
    const r = await ferry(repo.dir, ['deploy', '--env', 'dev', '--ref', head]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stderr).toContain(`\`${ARTICLE}\` is a symbolic link`);
  });
});
