import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/index.js';
import { createIsoGit, createPlumbingGit, type GitPort } from '../../src/git/index.js';
import type { RepositoryConfig } from '../../src/model/index.js';
import {
  createCommitReader,
  createFolderReader,
  readChangedSnapshots,
  readCommitChanges,
  readSnapshot,
  readSnapshotPaths,
  type LoadedSnapshot,
} from '../../src/snapshot/index.js';
import { makeGitRepo, removeGitRepos, type FileTree, type GitRepo } from '../support/gitdir.js';

afterAll(removeGitRepos);

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 10, 0, 255]);
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function config(over: Partial<RepositoryConfig> = {}): RepositoryConfig {
  return { ...structuredClone(DEFAULT_CONFIG), folder: 'content', ...over } as RepositoryConfig;
}

const header = (schema: string, depth: number) => `# yaml-language-server: $schema=${'../'.repeat(depth)}schemas/${schema}.schema.json\n`;

function item(codeName: string, guid: string, title: string): string {
  return `${header('content-item', 3)}kind: contentItem
guid: ${guid}
codeName: ${codeName}
contentType: article
workspace: editorial
variants:
  en-US:
    status: published
    displayName: ${title}
    fields:
      title: ${title}
`;
}

const G = {
  workspace: '7a3d1a22-031d-4ebd-9b5c-2654aba9831f',
  article: 'fdece971-e215-40f8-b110-9befb556d722',
  field: '2532254d-42fb-418a-a3c3-e7dd43f898a7',
  a: '30250ce6-625f-4a10-a6a3-3c25dffd6c1d',
  b: '3ac37aad-c3f2-4760-a76d-dd97e2e7ece8',
  c: 'a8ee94c5-dac4-420b-9cad-56b8deb4b48e',
  folder: 'dfc845da-a28d-43a1-bd89-21e922792c50',
  asset: '0046bb7e-1ba8-48ec-9401-970f122a546f',
};

/** A small but complete repository folder, written by hand after docs/file-format.md. */
const BASE_FILES: FileTree = {
  'repository.config.yaml': 'folder: content\n',
  'content/README.md': '# Content\n',
  'content/languages/en-US.yaml': `${header('language', 2)}kind: language\ncodeName: en-US\ndisplayName: English\nisDefault: true\n`,
  'content/workspaces/editorial.yaml': `${header('workspace', 2)}kind: workspace\nguid: ${G.workspace}\ncodeName: editorial\ndisplayName: Editorial\n`,
  'content/content-types/article.yaml': `${header('content-type', 2)}kind: contentType
guid: ${G.article}
codeName: article
displayName: Article
usage: reusable
fields:
  - guid: ${G.field}
    name: title
    type: text
    required: true
    localized: true
`,
  'content/items/article/a.yaml': item('a', G.a, 'Alpha'),
  'content/items/article/b.yaml': item('b', G.b, 'Beta'),
  'content/assets/photos/_folder.yaml': `${header('asset-folder', 3)}kind: assetFolder\nguid: ${G.folder}\ncodeName: photos\ndisplayName: Photos\n`,
  'content/assets/photos/pic.yaml': `${header('asset', 3)}kind: asset
guid: ${G.asset}
codeName: pic
folder: photos
fileName: pic.png
mediaType: image/png
size: ${PNG.length}
sha256: ${sha256(PNG)}
metadata:
  en-US:
    title: A picture
`,
  'content/assets/photos/pic.png': PNG,
  'other/outside.txt': 'not content\n',
};

/** Wraps a real port and records what it is asked: a decorator, not a mock. */
function countingPort(inner: GitPort) {
  const calls = { readBlobs: [] as string[][], listTree: [] as string[], diffTrees: 0 };
  const port: GitPort = {
    get root() {
      return inner.root;
    },
    adapter: inner.adapter,
    resolveRevision: (r) => inner.resolveRevision(r),
    mergeBase: (a, b) => inner.mergeBase(a, b),
    listTree: (c, p) => {
      calls.listTree.push(p);
      return inner.listTree(c, p);
    },
    diffTrees: (a, b, p) => {
      calls.diffTrees++;
      return inner.diffTrees(a, b, p);
    },
    readBlobs: (oids) => {
      calls.readBlobs.push([...oids]);
      return inner.readBlobs(oids);
    },
    blobSizes: (oids) => inner.blobSizes(oids),
    streamBlob: (oid) => inner.streamBlob(oid),
    commitInfo: (r) => inner.commitInfo(r),
    tagsPointingAt: (c) => inner.tagsPointingAt(c),
    countCommits: (a, b) => inner.countCommits(a, b),
    isAncestor: (a, b) => inner.isAncestor(a, b),
    close: () => inner.close(),
  };
  return { port, calls };
}

/** The comparable content of a snapshot (functions and reader-specific fields left out). */
function view(s: LoadedSnapshot) {
  return {
    entries: [...s.entries.entries()],
    allEntries: s.allEntries,
    binaries: [...s.binaries.entries()],
    binaryInfo: [...s.binaryInfo.entries()],
    diagnostics: s.diagnostics,
    filteredOut: s.filteredOut,
  };
}

for (const [adapterName, open] of [
  ['plumbing', createPlumbingGit],
  ['isomorphic-git', createIsoGit],
] as const) {
  describe(`snapshots from git (${adapterName}) and from a folder`, () => {
    let repo: GitRepo;
    let git: GitPort;
    let c1: string;

    beforeAll(async () => {
      repo = makeGitRepo(BASE_FILES);
      c1 = repo.head();
      git = await open(repo.dir);
    });
    afterAll(async () => {
      await git?.close();
    });

    it('reads the same snapshot from the commit and from the working tree', async () => {
      const progress: [number, number][] = [];
      const fromCommit = await readSnapshot(createCommitReader(git, c1), config(), { onProgress: (d, t) => progress.push([d, t]) });
      // One batch of YAML files (7), then one of binaries (1).
      expect(progress).toEqual([
        [7, 8],
        [8, 8],
      ]);
      const fromFolder = await readSnapshot(createFolderReader(repo.dir), config());
      expect(view(fromFolder)).toEqual(view(fromCommit));
      expect(fromCommit.commit).toBe(c1);
      expect(fromFolder.commit).toBeUndefined();

      expect(fromCommit.diagnostics).toEqual([]);
      expect([...fromCommit.entries.values()].map((e) => `${e.kind} ${e.path}`)).toEqual([
        'assetFolder content/assets/photos/_folder.yaml',
        'asset content/assets/photos/pic.yaml',
        'contentType content/content-types/article.yaml',
        'contentItem content/items/article/a.yaml',
        'contentItem content/items/article/b.yaml',
        'language content/languages/en-US.yaml',
        'workspace content/workspaces/editorial.yaml',
      ]);
      for (const e of fromCommit.entries.values()) expect(e.hash).toBe(repo.git('rev-parse', `${c1}:${e.path}`));
      expect(fromCommit.entries.get('language:en-US')?.object).toMatchObject({ kind: 'language', codeName: 'en-US', isDefault: true });
      expect(fromCommit.binaries.get('content/assets/photos/pic.png')).toEqual({
        path: 'content/assets/photos/pic.png',
        oid: repo.git('rev-parse', `${c1}:content/assets/photos/pic.png`),
        size: PNG.length,
      });
      expect(fromCommit.binaryInfo.get('content/assets/photos/pic.png')).toEqual({ size: PNG.length, sha256: sha256(PNG) });
      expect(fromCommit.sourceText('content/items/article/a.yaml')).toBe(BASE_FILES['content/items/article/a.yaml']);
      expect(fromFolder.sourceText('content/items/article/b.yaml')).toBe(BASE_FILES['content/items/article/b.yaml']);
      expect(fromCommit.sourceText('content/assets/photos/pic.png')).toBeUndefined();
    });

    it('lists the same entries, with git blob ids, from both readers', async () => {
      const commitList = await createCommitReader(git, c1).list('content');
      const folderList = await createFolderReader(repo.dir).list('content');
      expect(folderList).toEqual(commitList);
      expect(JSON.parse(JSON.stringify(folderList))).toEqual(commitList);
    });

    it('reads every file with few readBlobs calls for a full snapshot, and none twice', async () => {
      const { port, calls } = countingPort(git);
      const s = await readSnapshot(createCommitReader(port, c1), config());
      expect(s.entries.size).toBe(7);
      expect(calls.listTree).toEqual(['content']);
      const all = calls.readBlobs.flat();
      expect(new Set(all).size).toBe(all.length);
      // One batch of YAML files, one of binaries.
      expect(calls.readBlobs.length).toBe(2);
    });

    it('reads only the changed blobs between two commits', async () => {
      const r = makeGitRepo(BASE_FILES);
      const base = r.head();
      const head = r.commit(
        {
          'content/items/article/a.yaml': item('a', G.a, 'Alpha two'),
          'content/items/article/b.yaml': null,
          'content/items/article/c.yaml': item('c', G.c, 'Gamma'),
          'other/outside.txt': 'changed too, but outside the folder\n',
          'content/README.md': '# Changed readme\n',
        },
        'edit',
      );
      const real = await open(r.dir);
      try {
        const { port, calls } = countingPort(real);
        const changes = await readCommitChanges(port, 'HEAD~1', 'HEAD', config());
        expect(changes.base).toBe(base);
        expect(changes.head).toBe(head);
        const oid = (rev: string, p: string) => r.git('rev-parse', `${rev}:${p}`);
        expect(changes.added).toEqual([{ path: 'content/items/article/c.yaml', newOid: oid(head, 'content/items/article/c.yaml') }]);
        expect(changes.modified).toEqual([
          { path: 'content/items/article/a.yaml', oldOid: oid(base, 'content/items/article/a.yaml'), newOid: oid(head, 'content/items/article/a.yaml') },
        ]);
        expect(changes.deleted).toEqual([{ path: 'content/items/article/b.yaml', oldOid: oid(base, 'content/items/article/b.yaml') }]);

        const sides = await readChangedSnapshots(port, changes, config());
        expect(calls.listTree).toEqual([]);
        expect(new Set(calls.readBlobs.flat())).toEqual(
          new Set([
            oid(base, 'content/items/article/a.yaml'),
            oid(base, 'content/items/article/b.yaml'),
            oid(head, 'content/items/article/a.yaml'),
            oid(head, 'content/items/article/c.yaml'),
          ]),
        );
        expect([...sides.base.entries.values()].map((e) => e.codeName)).toEqual(['a', 'b']);
        expect([...sides.head.entries.values()].map((e) => e.codeName)).toEqual(['a', 'c']);
        expect(sides.head.entries.get(G.a)?.object).toMatchObject({ variants: { 'en-US': { displayName: 'Alpha two' } } });
        expect(sides.head.entries.get(G.a)?.hash).toBe(oid(head, 'content/items/article/a.yaml'));
        expect(sides.base.commit).toBe(base);
        expect(sides.head.commit).toBe(head);

        // Nothing changed: no diff, no read.
        const none = await readCommitChanges(port, 'HEAD', head, config());
        expect(none.all).toEqual([]);
        expect(calls.diffTrees).toBe(1);
      } finally {
        await real.close();
      }
    });

    it('reads given paths without listing more than their folder', async () => {
      const { port, calls } = countingPort(git);
      const s = await readSnapshotPaths(createCommitReader(port, c1), config(), ['content/items/article/b.yaml', 'content/items/article/missing.yaml']);
      expect(calls.listTree).toEqual(['content/items/article']);
      expect(calls.readBlobs.flat()).toEqual([repo.git('rev-parse', `${c1}:content/items/article/b.yaml`)]);
      expect([...s.entries.keys()]).toEqual([G.b]);
      expect(s.diagnostics).toEqual([]);
    });

    it('leaves out objects the config filters out', async () => {
      const cfg = config({
        kinds: DEFAULT_CONFIG.kinds.filter((k) => k !== 'asset' && k !== 'assetFolder'),
        filters: { contentItem: { include: [], exclude: ['b'] } },
      });
      const s = await readSnapshot(createCommitReader(git, c1), cfg);
      expect([...s.entries.values()].map((e) => e.codeName).sort()).toEqual(['a', 'article', 'editorial', 'en-US']);
      expect(s.allEntries.map((e) => e.codeName)).not.toContain('b');
      expect(s.filteredOut).toEqual(['content/assets/photos/_folder.yaml', 'content/assets/photos/pic.yaml', 'content/items/article/b.yaml']);
    });
  });
}

describe('problems found while reading', () => {
  let repo: GitRepo;
  let git: GitPort;
  let snapshot: LoadedSnapshot;
  const dup = 'content/items/article/z-copy.yaml';

  beforeAll(async () => {
    repo = makeGitRepo({
      ...BASE_FILES,
      'content/notes.txt': 'a stray file\n',
      'content/items/article/broken.yaml': 'kind: contentItem\nguid: [unclosed\n',
      [dup]: item('z-copy', G.a, 'Same guid as a'),
    });
    git = await createPlumbingGit(repo.dir);
    snapshot = await readSnapshot(createCommitReader(git, repo.head()), config());
  });
  afterAll(async () => {
    await git?.close();
  });

  it('reports a file that does not belong in the folder', () => {
    const d = snapshot.diagnostics.find((x) => x.file === 'content/notes.txt');
    expect(d).toMatchObject({ code: 'FERRY_E_PATH', severity: 'error', file: 'content/notes.txt' });
    expect(d?.message).toMatch(/folder/);
  });

  it('reports YAML errors with a position and keeps the text for it', () => {
    const d = snapshot.diagnostics.find((x) => x.file === 'content/items/article/broken.yaml');
    expect(d?.code).toBe('FERRY_E_YAML');
    expect(d?.line).toBeGreaterThan(0);
    expect(snapshot.sourceText('content/items/article/broken.yaml')).toContain('[unclosed');
  });

  it('keeps only failed texts when asked to', async () => {
    const lean = await readSnapshot(createCommitReader(git, repo.head()), config(), { keepSourceText: 'failed' });
    expect(lean.sourceText('content/items/article/broken.yaml')).toContain('[unclosed');
    expect(lean.sourceText('content/items/article/a.yaml')).toBeUndefined();
    expect(snapshot.sourceText('content/items/article/a.yaml')).toBe(BASE_FILES['content/items/article/a.yaml']);
    expect(view(lean)).toEqual(view(snapshot));
  });

  it('keeps the first file of a duplicate guid in entries and both in allEntries', () => {
    expect(snapshot.entries.get(G.a)?.path).toBe('content/items/article/a.yaml');
    expect(snapshot.allEntries.filter((e) => e.key === G.a).map((e) => e.path)).toEqual(['content/items/article/a.yaml', dup]);
  });

  it('ignores README.md and files outside the folder, and sorts diagnostics', () => {
    expect(snapshot.diagnostics.map((d) => d.file)).toEqual(['content/items/article/broken.yaml', 'content/notes.txt']);
  });
});

describe('folder reader', () => {
  it('skips .git and node_modules, lists in code-point order, and reads missing files as absent', async () => {
    const repo = makeGitRepo(BASE_FILES);
    mkdirSync(join(repo.dir, 'content/node_modules/x'), { recursive: true });
    writeFileSync(join(repo.dir, 'content/node_modules/x/y.yaml'), 'x: 1\n');
    writeFileSync(join(repo.dir, 'content/items/article/Z.yaml'), 'x: 1\n');
    const reader = createFolderReader(repo.dir);
    const all = await reader.list('');
    const paths = all.map((e) => e.path);
    expect(paths.some((p) => p.startsWith('.git/') || p.includes('node_modules'))).toBe(false);
    expect(paths).toEqual([...paths].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(paths.indexOf('content/items/article/Z.yaml')).toBeLessThan(paths.indexOf('content/items/article/a.yaml'));
    expect(await reader.list('no-such-folder')).toEqual([]);
    const read = await reader.read(['content/items/article/a.yaml', 'content/nope.yaml']);
    expect([...read.keys()]).toEqual(['content/items/article/a.yaml']);
    expect(Buffer.from(read.get('content/items/article/a.yaml')!).toString()).toBe(BASE_FILES['content/items/article/a.yaml']);
  });
});
