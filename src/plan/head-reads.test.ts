import { describe, expect, it } from 'vitest';
import type { DeploymentRecord, StoredObjectInfo, TreeEntry } from '../model/index.js';
import {
  binaryPathsFor,
  changedBinaryFolders,
  codeNamePairs,
  deployedKeysFromRows,
  goneReferenceableKeys,
  listingReads,
  mayBeAlreadyDeployed,
  pathClassifier,
  readsFromTreeDiff,
  referrersToRead,
  treeDiffApplies,
} from './head-reads.js';
import { indexTarget, matchHeadToTarget } from './match-target.js';

const G1 = '11111111-1111-4111-8111-111111111111';
const G2 = '22222222-2222-4222-8222-222222222222';
const G3 = '33333333-3333-4333-8333-333333333333';

function info(key: string, path: string, sourceHash: string, extra: Partial<StoredObjectInfo> = {}): StoredObjectInfo {
  return { key, kind: 'contentItem', guid: key, codeName: path.replace(/^.*\//, '').replace('.yaml', ''), path, sourceHash, ...extra };
}

function deployment(extra: Partial<DeploymentRecord> = {}): DeploymentRecord {
  return {
    id: 1, environment: 'dev', toCommit: 'c0', source: 'HEAD', mode: 'CreateUpdate', actor: 't', startedAt: 'x', status: 'succeeded',
    counts: { create: 0, update: 0, delete: 0, rename: 0, publish: 0, unpublish: 0, skip: 0 }, diagnostics: [], configDigest: 'd', ...extra,
  };
}

describe('which head files a plan reads', () => {
  it('falls back from the tree diff to the listing when a content type changed, in any repository folder', () => {
    expect(readsFromTreeDiff([{ path: 'content/content-types/article.yaml', oldOid: 'a', newOid: 'b' }], 'content')).toEqual({ fallback: 'content type changed' });
    expect(readsFromTreeDiff([{ path: 'content-types/article.yaml', newOid: 'b' }], '.')).toEqual({ fallback: 'content type changed' });
    expect('fallback' in readsFromTreeDiff([{ path: 'content/items/article/a.yaml', newOid: 'b' }], 'content')).toBe(false);
  });

  it('sorts a tree diff into files to read, the old side, removals, unknown files and asset folders (the root folder too)', () => {
    const reads = readsFromTreeDiff(
      [
        { path: 'items/article/a.yaml', oldOid: 'o1', newOid: 'n1' },
        { path: 'items/article/gone.yaml', oldOid: 'o2' },
        { path: 'assets/photos/cup.yaml', newOid: 'n3' },
        { path: 'assets/logos/mark.png', oldOid: 'o4', newOid: 'n4' },
        { path: 'items/article/notes.txt', newOid: 'n5' },
      ],
      '.',
    );
    if ('fallback' in reads) throw new Error('no fallback expected');
    expect([...reads.toRead]).toEqual([['items/article/a.yaml', 'n1'], ['assets/photos/cup.yaml', 'n3']]);
    expect(reads.oldSide).toEqual([{ path: 'items/article/a.yaml', oid: 'o1' }, { path: 'items/article/gone.yaml', oid: 'o2' }]);
    expect([...reads.removedPaths]).toEqual(['items/article/gone.yaml']);
    expect(reads.others).toEqual(['items/article/notes.txt']);
    expect(reads.assetDirs).toEqual(['assets/photos/', 'assets/logos/']);
    expect([...reads.changedBinaries]).toEqual(['assets/logos/mark.png']);
  });

  it('says a tree diff applies only onto exactly the deployed commit under the same config', () => {
    expect(treeDiffApplies(deployment(), 'd')).toBe(true);
    expect(treeDiffApplies(deployment(), 'other')).toBe(false);
    expect(treeDiffApplies(deployment({ counts: { ...deployment().counts, skip: 1 } }), 'd')).toBe(false);
    expect(treeDiffApplies(deployment({ status: 'failed' }), 'd')).toBe(false);
    expect(treeDiffApplies(deployment({ toCommit: undefined }), 'd')).toBe(false);
    expect(treeDiffApplies(undefined, 'd')).toBe(false);
  });

  it('may call a deployment a no-op only without reconcile, under the same config, and when the mode skipped nothing it now would do', () => {
    expect(mayBeAlreadyDeployed(deployment(), 'd', 'CreateUpdate', false)).toBe(true);
    expect(mayBeAlreadyDeployed(deployment(), 'd', 'CreateUpdate', true)).toBe(false);
    expect(mayBeAlreadyDeployed(deployment(), 'x', 'CreateUpdate', false)).toBe(false);
    expect(mayBeAlreadyDeployed(deployment({ mode: 'Create', counts: { ...deployment().counts, skip: 2 } }), 'd', 'Full', false)).toBe(false);
    expect(mayBeAlreadyDeployed(deployment({ mode: 'Create' }), 'd', 'Full', false)).toBe(true);
  });

  it('re-reads unchanged assets beside a changed binary, items of a changed content type, and referrers of what is gone', () => {
    const target = [
      info(G1, 'content/items/article/a.yaml', 'h1', { contentType: 'article' }),
      info(G2, 'content/assets/photos/cup.yaml', 'h2', { kind: 'asset', codeName: 'cup' }),
      info(G3, 'content/items/news/n.yaml', 'h3', { contentType: 'news' }),
      { key: 'ct', kind: 'contentType', codeName: 'article', path: 'content/content-types/article.yaml', sourceHash: 'old' } satisfies StoredObjectInfo,
    ];
    const head: TreeEntry[] = [
      { path: 'content/items/article/a.yaml', oid: 'h1' },
      { path: 'content/assets/photos/cup.yaml', oid: 'h2' },
      { path: 'content/assets/photos/cup.jpg', oid: 'b1' },
      { path: 'content/items/news/n.yaml', oid: 'h3' },
      { path: 'content/content-types/article.yaml', oid: 'new' },
    ];
    const match = matchHeadToTarget(head, target, pathClassifier('content'));
    const binaries = new Map(match.binaries.map((b) => [b.path, b] as const));
    const base = { match, target: indexTarget(target), folder: 'content', binaries, fullReconcile: false, referrers: [] as StoredObjectInfo[] };
    expect(listingReads({ ...base, changedBinaryDirs: new Set() })).toEqual(['content/content-types/article.yaml', 'content/items/article/a.yaml']);
    expect(listingReads({ ...base, changedBinaryDirs: new Set(['content/assets/photos/']) })).toEqual([
      'content/content-types/article.yaml',
      'content/assets/photos/cup.yaml',
      'content/items/article/a.yaml',
      'content/assets/photos/cup.jpg',
    ]);
    expect(listingReads({ ...base, changedBinaryDirs: new Set(), referrers: [target[2]] })).toContain('content/items/news/n.yaml');
    expect(listingReads({ ...base, changedBinaryDirs: new Set(), fullReconcile: true })).toHaveLength(5);
  });

  it('finds the folders whose binaries changed from the tree diff, or every folder without one', () => {
    const binaries = new Map([['content/assets/photos/cup.jpg', { path: 'content/assets/photos/cup.jpg', oid: 'b' }]]);
    expect(changedBinaryFolders(undefined, binaries, 'content')).toBe('all');
    const diff = [
      { path: 'content/assets/photos/cup.jpg', oldOid: 'a', newOid: 'b' },
      { path: 'content/assets/logos/old.png', oldOid: 'c' },
      { path: 'content/items/article/a.yaml', oldOid: 'd' },
    ];
    expect([...(changedBinaryFolders(diff, binaries, 'content') as Set<string>)]).toEqual(['content/assets/photos/', 'content/assets/logos/']);
  });

  it('reads the binaries beside the asset files read, whatever the repository folder', () => {
    const binaries = new Map([
      ['assets/photos/cup.jpg', { path: 'assets/photos/cup.jpg', oid: 'b' }],
      ['assets/logos/mark.png', { path: 'assets/logos/mark.png', oid: 'c' }],
    ]);
    expect(binaryPathsFor(['assets/photos/cup.yaml', 'items/article/a.yaml'], binaries, '.')).toEqual(['assets/photos/cup.jpg']);
    // An items folder of a content type named `assets` holds no binaries.
    expect(binaryPathsFor(['items/assets/a.yaml'], binaries, '.')).toEqual([]);
  });

  it('names deployed objects by path and blob id, and leaves the rest to be read', () => {
    const rows = [info(G1, 'content/items/article/a.yaml', 'o1'), info(G2, 'content/items/article/b.yaml', 'other')];
    const { keys, unresolved } = deployedKeysFromRows(rows, [
      { path: 'content/items/article/a.yaml', oid: 'o1' },
      { path: 'content/items/article/b.yaml', oid: 'o2' },
    ]);
    expect([...keys]).toEqual([['content/items/article/a.yaml', G1]]);
    expect(unresolved).toEqual([{ path: 'content/items/article/b.yaml', oid: 'o2' }]);
  });

  it('re-validates referrers that are unchanged, not read already, and came from a file', () => {
    const r1 = info(G1, 'content/items/article/a.yaml', 'h1');
    const r2 = info(G2, 'content/items/article/b.yaml', 'h2');
    const hand = info(G3, '', '', { drift: 'added' });
    expect(referrersToRead([r1, r2, hand], new Set([G2]), new Map())).toEqual([r1]);
    expect(referrersToRead([r1], new Set(), new Map([[r1.path, 'x']]))).toEqual([]);
  });

  it('looks up what a deletion may break only for kinds others reference by guid', () => {
    const target = [info(G1, 'content/items/article/a.yaml', 'h1'), { key: 'ws', kind: 'workspace', codeName: 'main', path: 'content/workspaces/main.yaml', sourceHash: 'w' } satisfies StoredObjectInfo];
    const match = matchHeadToTarget([], target);
    expect(goneReferenceableKeys(match, [])).toEqual([G1]);
  });

  it('pairs object paths with their kind and code name, skipping what is not an object', () => {
    expect([...codeNamePairs(['content/items/article/a.yaml', 'content/assets/p/x.jpg', 'content/languages/en-US.yaml'], 'content').values()]).toEqual([
      { kind: 'contentItem', codeName: 'a' },
      { kind: 'language', codeName: 'en-US' },
    ]);
  });
});
