/** What every way of gathering a plan's inputs returns, and helpers both ways share. */
import type { StoredObject, StoredObjectInfo, TreeEntry } from '../model/index.js';
import type { TargetIndex } from '../plan/index.js';
import type { LoadedSnapshot } from '../snapshot/index.js';

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

// Content folders too: an item's path is checked against the whole folder tree.
export const SUPPORTING_KINDS = ['language', 'workspace', 'channel', 'contentType', 'assetFolder', 'contentFolder'] as const;

/** Asset binaries belong to the asset YAML files beside them: read those with their YAML. */
export function binaryPathsFor(yamlPaths: readonly string[], binaries: Map<string, TreeEntry>): string[] {
  const dirs = new Set(yamlPaths.filter((p) => p.includes('/assets/') || p.startsWith('assets/')).map((p) => p.slice(0, p.lastIndexOf('/') + 1)));
  return [...binaries.keys()].filter((b) => dirs.has(b.slice(0, b.lastIndexOf('/') + 1)));
}

export function dirOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/') + 1);
}

/** A head read in two parts (object files, then the binaries they name) as one. */
export function withBinaries(head: LoadedSnapshot, binaries: LoadedSnapshot): LoadedSnapshot {
  return {
    ...head,
    binaries: new Map([...head.binaries, ...binaries.binaries]),
    binaryInfo: new Map([...head.binaryInfo, ...binaries.binaryInfo]),
    diagnostics: [...head.diagnostics, ...binaries.diagnostics],
  };
}
