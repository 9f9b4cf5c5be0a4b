import type { TreeEntry } from '../model/snapshot.js';

export type { TreeEntry };

/** One changed blob between two trees. `A`dded, `M`odified (content or mode), `D`eleted, `T`ype changed (file ↔ symlink). */
export interface TreeDiffEntry {
  status: 'A' | 'M' | 'D' | 'T';
  /** POSIX path relative to the repository root. */
  path: string;
  /** Blob id at the base (absent for `A`). */
  oldOid?: string;
  /** Blob id at the head (absent for `D`). */
  newOid?: string;
}

export interface DiffTreesOptions {
  /**
   * Blob ids to start reading as soon as an entry is known, while git is still diffing: a later
   * `readBlobs` of them is served from that read. For the blobs the caller reads next anyway.
   * Adapters that cannot stream may ignore it.
   */
  prefetch?: (entry: TreeDiffEntry) => readonly string[];
}

export interface CommitInfo {
  sha: string;
  /** First paragraph of the message on one line, as `git log --format=%s` prints it. */
  subject: string;
  authorName: string;
  authorEmail: string;
  /** Author date, strict ISO 8601 with the author's zone, as `--format=%aI` prints it: `2024-05-01T10:00:00+02:00`. */
  date: string;
}

/**
 * What Ferry needs from git, and nothing more: resolve revisions, list and diff trees, read blobs
 * and a little commit metadata. Two adapters implement it (git's own plumbing, the default, and
 * isomorphic-git for machines without a git binary); both pass `test/integration/git-contract.ts`.
 *
 * Every method reads git objects only, never the working tree, so it works in bare clones and in
 * shallow clones that hold the commits asked for. Revisions accept what `git rev-parse` accepts
 * for the common cases (sha, short sha, branch, tag, `HEAD`, `HEAD~N`, `rev^`, `origin/main`); an
 * unknown one is a FerryError `FERRY_E_REVISION`. Paths are POSIX, relative to the repository
 * root; a `prefix` of `''` or `'.'` means the whole tree. Outputs are sorted by path (code points).
 */
export interface GitPort {
  /** Repository top-level folder, or the git directory of a bare repository. */
  readonly root: string;
  /** Which adapter this is, for `--verbose` output and benchmarks. */
  readonly adapter: 'plumbing' | 'isomorphic';
  /** Full commit sha of a revision. */
  resolveRevision(rev: string): Promise<string>;
  /** The best common ancestor of two revisions; FERRY_E_REVISION when they share no history. */
  mergeBase(a: string, b: string): Promise<string>;
  /** Every file below `prefix` at `commit`, recursively, sorted by path, with its blob id. A symlink is refused (FERRY_E_SYMLINK). */
  listTree(commit: string, prefix: string): Promise<TreeEntry[]>;
  /** Blobs that differ between two commits below `prefix`. No rename detection; unchanged subtrees are skipped. A symlink at `head` is refused (FERRY_E_SYMLINK). */
  diffTrees(base: string, head: string, prefix: string, opts?: DiffTreesOptions): Promise<TreeDiffEntry[]>;
  /** Blob bytes by oid (duplicates read once). A missing object is a FerryError `FERRY_E_GIT`. */
  readBlobs(oids: readonly string[]): Promise<Map<string, Uint8Array>>;
  /** Blob sizes in bytes by oid, without reading the blobs. A missing object is a FerryError `FERRY_E_GIT`. */
  blobSizes(oids: readonly string[]): Promise<Map<string, number>>;
  /**
   * One blob's bytes in chunks (asset binaries may be gigabytes): memory stays flat whatever its
   * size with the plumbing adapter; isomorphic-git inflates the object whole and yields it at once.
   */
  streamBlob(oid: string): AsyncIterable<Uint8Array>;
  commitInfo(rev: string): Promise<CommitInfo>;
  /** Names of the tags (lightweight or annotated) whose target is this commit, sorted. */
  tagsPointingAt(commit: string): Promise<string[]>;
  /** Number of commits in `from..to` (reachable from `to`, not from `from`); `from` `''` counts all of `to`'s history. */
  countCommits(from: string, to: string): Promise<number>;
  /** True when `a` is `b` or an ancestor of `b`. */
  isAncestor(a: string, b: string): Promise<boolean>;
  /**
   * Paths under `prefix` (repository-relative, `''` for all) whose working-tree file differs from
   * HEAD: modified, added, deleted or untracked (ignored files excluded), sorted. Empty for a
   * repository without a working tree.
   */
  workingTreeChanges(prefix: string): Promise<string[]>;
  /** Ends long-lived processes and drops caches. The port may not be used afterwards. */
  close(): Promise<void>;
}
