/**
 * What both ways of gathering a plan's inputs take and return. The gatherers only list and read
 * (the head, the target); which files to read is decided by plan/head-reads.ts.
 */
import type { GitPort, TreeDiffEntry } from '../git/index.js';
import type { DeploymentRecord, RepositoryConfig, StoredObject, StoredObjectInfo, Store, TreeEntry, TreeReader } from '../model/index.js';
import type { TargetIndex } from '../plan/index.js';
import type { LoadedSnapshot } from '../snapshot/index.js';

/** What a gatherer reads from, and what computePlan already knows. */
export interface GatherInput {
  config: RepositoryConfig;
  store: Store;
  /** The head: a git commit reader or a working folder reader. */
  reader: TreeReader;
  /** Head commit when the reader reads one. */
  commit?: string;
  /** The repository's git, when the head is a commit. */
  git?: GitPort;
  /** The last successful deployment the plan starts from. */
  last: DeploymentRecord | undefined;
  /** configDigest of `config`. */
  digest: string;
  /** git's tree diff from the deployed commit to the head (asked once per plan), when both are commits. */
  treeDiff: () => Promise<TreeDiffEntry[]> | undefined;
  onProgress?: (phase: string, done: number, total: number) => void;
}

/** What a plan starts from: the head files that must be read (read), and the target around them. */
export interface Gathered {
  head: LoadedSnapshot;
  target: TargetIndex;
  /** Target objects whose head file is byte-identical (never read). */
  unchangedKeys: KeySet;
  /** Target objects no unchanged head file accounts for: updated, renamed, deleted or foreign. */
  candidates: StoredObjectInfo[];
  binaries: Map<string, TreeEntry>;
  /** The target's supporting objects, when the gathering already loaded them. */
  supporting?: StoredObject[];
  /** Target objects the gathering already loaded, by key (saves reading them twice). */
  loaded?: Map<string, StoredObject>;
}

export type KeySet = { has(key: string): boolean };

/** A head read in two parts (object files, then the binaries they name) as one. */
export function withBinaries(head: LoadedSnapshot, binaries: LoadedSnapshot): LoadedSnapshot {
  return {
    ...head,
    binaries: new Map([...head.binaries, ...binaries.binaries]),
    binaryInfo: new Map([...head.binaryInfo, ...binaries.binaryInfo]),
    diagnostics: [...head.diagnostics, ...binaries.diagnostics],
  };
}
