import type { GitPort, TreeDiffEntry } from '../git/git-port.js';
import { classifyPath } from '../format/layout.js';
import type { RepositoryConfig } from '../model/config.js';
import { createCommitReader } from './commit-reader.js';
import { folderListPrefix, readSnapshotPaths, type LoadedSnapshot, type ReadSnapshotOptions } from './read-snapshot.js';

export interface ChangedFile {
  path: string;
  /** Blob id at the base (absent when added). */
  oldOid?: string;
  /** Blob id at the head (absent when deleted). */
  newOid?: string;
}

/** Files of the repository folder that differ between two commits, from git's tree diff. */
export interface CommitChanges {
  /** Full shas. */
  base: string;
  head: string;
  added: ChangedFile[];
  /** Content changed (a file ↔ symlink type change counts as modified). */
  modified: ChangedFile[];
  deleted: ChangedFile[];
  /** Every change in path order, as git reported it. */
  all: TreeDiffEntry[];
}

/**
 * What changed in the repository folder between two commits. One `git diff-tree` over the folder:
 * the cost follows the change, not the repository (unchanged subtrees are never opened). Files
 * Ferry ignores (README.md, dotfiles) and, with folder `.`, files outside the kind folders are
 * left out; files that do not belong are kept so they can be reported.
 */
export async function readCommitChanges(
  git: GitPort,
  base: string,
  head: string,
  config: RepositoryConfig,
  opts: { prefetch?: boolean } = {},
): Promise<CommitChanges> {
  const [b, h] = await Promise.all([git.resolveRevision(base), git.resolveRevision(head)]);
  // Both sides of every changed object file are read next: start while git still diffs.
  const prefetch = (d: TreeDiffEntry): string[] =>
    classifyPath(d.path, config.folder).type === 'object' ? [d.oldOid, d.newOid].filter((o): o is string => o !== undefined) : [];
  const diff = b === h ? [] : await git.diffTrees(b, h, folderListPrefix(config), opts.prefetch ? { prefetch } : {});
  const all = diff.filter((d) => {
    const c = classifyPath(d.path, config.folder);
    return c.type !== 'ignored' && c.type !== 'outside';
  });
  const changes: CommitChanges = { base: b, head: h, added: [], modified: [], deleted: [], all };
  for (const d of all) {
    const file: ChangedFile = { path: d.path, ...(d.oldOid ? { oldOid: d.oldOid } : {}), ...(d.newOid ? { newOid: d.newOid } : {}) };
    if (d.status === 'A') changes.added.push(file);
    else if (d.status === 'D') changes.deleted.push(file);
    else changes.modified.push(file);
  }
  return changes;
}

/**
 * Reads both sides of a change and nothing else: the base side holds the modified and deleted
 * files as they were, the head side the added and modified files as they are. Blob ids come from
 * the diff, so no tree is listed; each side is one `readBlobs` round trip per batch.
 */
export async function readChangedSnapshots(
  git: GitPort,
  changes: CommitChanges,
  config: RepositoryConfig,
  opts: ReadSnapshotOptions = {},
): Promise<{ base: LoadedSnapshot; head: LoadedSnapshot }> {
  const baseReader = createCommitReader(git, changes.base);
  const headReader = createCommitReader(git, changes.head);
  const before = [...changes.modified, ...changes.deleted];
  const after = [...changes.added, ...changes.modified];
  baseReader.remember(before.map((f) => ({ path: f.path, oid: f.oldOid! })));
  headReader.remember(after.map((f) => ({ path: f.path, oid: f.newOid! })));
  // Progress over both sides together.
  const sides = [
    [0, 0],
    [0, 0],
  ];
  const progress = (side: number) => (done: number, total: number) => {
    sides[side] = [done, total];
    opts.onProgress?.(sides[0][0] + sides[1][0], sides[0][1] + sides[1][1]);
  };
  // Both sides at once: the port queues both on its one reader process.
  const [base, head] = await Promise.all([
    readSnapshotPaths(baseReader, config, before.map((f) => ({ path: f.path, oid: f.oldOid })), { ...opts, onProgress: progress(0) }),
    readSnapshotPaths(headReader, config, after.map((f) => ({ path: f.path, oid: f.newOid })), { ...opts, onProgress: progress(1) }),
  ]);
  return { base, head };
}
