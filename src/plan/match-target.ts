import type { ObjectKind, StoredObjectInfo, TreeEntry } from '../model/index.js';

/** Lookups into the target's hash index, built once per plan. */
export interface TargetIndex {
  readonly size: number;
  byKey(key: string): StoredObjectInfo | undefined;
  byCodeName(kind: ObjectKind, codeName: string): StoredObjectInfo | undefined;
}

export function indexTarget(infos: readonly StoredObjectInfo[]): TargetIndex {
  const keys = new Map<string, StoredObjectInfo>();
  for (const info of infos) keys.set(info.key, info);
  let names: Map<string, StoredObjectInfo> | undefined;
  return {
    size: infos.length,
    byKey: (key) => keys.get(key),
    // Only plans that create objects need it: built on first use.
    byCodeName(kind, codeName) {
      if (!names) {
        names = new Map();
        for (const info of infos) names.set(`${info.kind}\u0000${info.codeName}`, info);
      }
      return names.get(`${kind}\u0000${codeName}`);
    },
  };
}

export type PathClass = 'object' | 'binary' | 'other';

/**
 * What the head tree and the target's hash index say without parsing anything.
 * A head file whose path and blob id equal what a target object was restored from, on an object
 * that has not drifted, is unchanged: it is never read (nor even classified). Everything else
 * must be read and planned.
 */
export interface TargetMatch {
  /** Keys of target objects that equal their head file byte for byte. */
  unchangedKeys: Set<string>;
  /** Head object files that must be read and decoded: new, changed, moved, or drifted on the target. */
  pathsToRead: string[];
  /** Head files that are asset binaries. */
  binaries: TreeEntry[];
  /** Head files that are neither objects nor binaries (reported by the reader). */
  others: TreeEntry[];
  /** Target objects no unchanged head file accounts for: updated, renamed, deleted or foreign. */
  unmatchedTarget: StoredObjectInfo[];
}

export function matchHeadToTarget(
  headFiles: readonly TreeEntry[],
  target: readonly StoredObjectInfo[],
  classify: (path: string) => PathClass = () => 'object',
): TargetMatch {
  const byPath = new Map<string, StoredObjectInfo>();
  for (const info of target) byPath.set(info.path, info);

  const unchangedKeys = new Set<string>();
  const pathsToRead: string[] = [];
  const binaries: TreeEntry[] = [];
  const others: TreeEntry[] = [];
  for (const file of headFiles) {
    const info = byPath.get(file.path);
    if (info && info.sourceHash === file.oid && !info.drift) {
      unchangedKeys.add(info.key);
      continue;
    }
    const c = classify(file.path);
    if (c === 'object') pathsToRead.push(file.path);
    else if (c === 'binary') binaries.push(file);
    else others.push(file);
  }
  const unmatchedTarget = unchangedKeys.size === target.length ? [] : target.filter((info) => !unchangedKeys.has(info.key));
  return { unchangedKeys, pathsToRead, binaries, others, unmatchedTarget };
}
