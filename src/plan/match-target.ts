import type { StoredObjectInfo, TreeEntry } from '../model/index.js';

/**
 * What the head tree and the target's hash index say without parsing anything.
 * A head file whose path and blob id equal what a target object was restored from, on an object
 * that has not drifted, is unchanged: it is never read. Everything else must be read and planned.
 */
export interface TargetMatch {
  /** Keys of target objects that equal their head file byte for byte. */
  unchangedKeys: Set<string>;
  /** Head object files that must be read and decoded: new, changed, moved, or drifted on the target. */
  pathsToRead: string[];
  /** Target objects no unchanged head file accounts for: updated, renamed, deleted or foreign. */
  unmatchedTarget: StoredObjectInfo[];
}

export function matchHeadToTarget(headFiles: readonly TreeEntry[], target: readonly StoredObjectInfo[]): TargetMatch {
  const byPath = new Map<string, StoredObjectInfo>();
  for (const info of target) byPath.set(info.path, info);

  const unchangedKeys = new Set<string>();
  const pathsToRead: string[] = [];
  for (const file of headFiles) {
    const info = byPath.get(file.path);
    if (info && info.sourceHash === file.oid && !info.drift) unchangedKeys.add(info.key);
    else pathsToRead.push(file.path);
  }
  const unmatchedTarget = target.filter((info) => !unchangedKeys.has(info.key));
  return { unchangedKeys, pathsToRead, unmatchedTarget };
}
