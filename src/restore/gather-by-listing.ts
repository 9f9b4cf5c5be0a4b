import { classifyPath, folderPrefix } from '../format/layout.js';
import type { TreeDiffEntry } from '../git/index.js';
import type { DeploymentRecord, ObjectKind, RepositoryConfig, RestoreMode, Store, TreeEntry } from '../model/index.js';
import { indexTarget, matchHeadToTarget, type TargetIndex, type TargetMatch } from '../plan/index.js';
import { folderListPrefix, readSnapshotPaths } from '../snapshot/index.js';
import type { ComputePlanOptions } from './compute-plan.js';
import { binaryPathsFor, dirOf, type Gathered } from './gathered.js';

/** The general path: list the head tree and compare it with the target's whole hash index. */
export async function gatherByListing(
  opts: ComputePlanOptions,
  mode: RestoreMode,
  last: DeploymentRecord | undefined,
  digest: string,
  treeDiff: () => Promise<TreeDiffEntry[]> | undefined,
): Promise<Gathered> {
  const { config, store, reader } = opts;
  opts.onProgress?.('list', 0, 1);
  const [listed, index] = await Promise.all([reader.list(folderListPrefix(config)), store.index()]);
  const classify = (path: string) => {
    const type = classifyPath(path, config.folder).type;
    return type === 'object' || type === 'binary' ? type : 'other';
  };
  const match = matchHeadToTarget(listed, index, classify);
  const binaries = new Map(match.binaries.map((b) => [b.path, b] as const));
  const target = indexTarget(index);

  const toRead = new Set(match.pathsToRead);
  // A config change (filters, kinds, limits) may change what is valid or included: read everything.
  const fullReconcile = !last || last.configDigest !== digest;
  if (fullReconcile) for (const key of match.unchangedKeys) toRead.add(target.byKey(key)!.path);
  // A binary replaced without its asset file is an integrity error: re-read and validate its asset.
  const changedBinaryDirs = await changedBinaryFolders(binaries, treeDiff, config.folder);
  for (const key of match.unchangedKeys) {
    const info = target.byKey(key)!;
    if (info.kind === 'asset' && (changedBinaryDirs === 'all' || changedBinaryDirs.has(dirOf(info.path)))) toRead.add(info.path);
  }
  // Unchanged files whose validity depends on a change are read and validated again (see revalidationPaths).
  for (const p of await revalidationPaths(store, config, match, target, listed)) toRead.add(p);
  const others = match.others.filter((o) => classifyPath(o.path, config.folder).type === 'unknown').map((o) => o.path);
  const head = await readSnapshotPaths(reader, config, [...toRead, ...others, ...binaryPathsFor([...toRead], binaries)], {
    onProgress: (d: number, t: number) => opts.onProgress?.('read', d, t),
    // Texts of valid files are not kept (100k files: ~135 MB); findings get their lines below.
    keepSourceText: 'failed',
  });

  return { head, target, unchangedKeys: match.unchangedKeys, candidates: match.unmatchedTarget, binaries };
}

const REFERENCEABLE: ReadonlySet<ObjectKind> = new Set(['contentItem', 'page', 'asset', 'contentFolder']);

/**
 * Unchanged files to validate again because a change may break them, all rare: the items and
 * pages of a content type that changed (a field became required…), every item when a workspace
 * changed (its workflow), what sits below a content folder that changed, and the items and pages that
 * may reference an item, page or asset whose file is gone (from the store's reference index), in
 * every mode: a commit that deletes what others still reference is refused whether or not the
 * mode applies deletions. They are read from the head like changed files (so findings get lines);
 * the plan skips them as unchanged.
 */
async function revalidationPaths(
  store: Store,
  config: RepositoryConfig,
  match: TargetMatch,
  target: TargetIndex,
  listed: readonly TreeEntry[],
): Promise<string[]> {
  const out: string[] = [];
  const typesFolder = `${folderPrefix(config.folder)}content-types/`;
  const changedTypes = new Set(
    match.pathsToRead.filter((p) => p.startsWith(typesFolder) && p.endsWith('.yaml')).map((p) => p.slice(typesFolder.length, -'.yaml'.length)),
  );
  if (changedTypes.size) {
    for (const key of match.unchangedKeys) {
      const info = target.byKey(key)!;
      if (info.contentType && changedTypes.has(info.contentType)) out.push(info.path);
    }
  }
  // A changed workspace may change its workflow: every unchanged item is checked again (rare).
  const workspacesFolder = `${folderPrefix(config.folder)}workspaces/`;
  if (match.pathsToRead.some((p) => p.startsWith(workspacesFolder))) {
    for (const key of match.unchangedKeys) {
      const info = target.byKey(key)!;
      if (info.kind === 'contentItem') out.push(info.path);
    }
  }
  // A content folder moved, renamed, changed or deleted: what the target holds below its old place
  // (files left behind by the move, items naming it) is checked against the new tree.
  const folderDirs = match.unmatchedTarget.filter((i) => i.kind === 'contentFolder').map((i) => dirOf(i.path));
  if (folderDirs.length) {
    for (const key of match.unchangedKeys) {
      const info = target.byKey(key)!;
      if ((info.kind === 'contentItem' || info.kind === 'contentFolder') && folderDirs.some((d) => info.path.startsWith(d))) out.push(info.path);
    }
  }
  const headPaths = new Set(listed.map((e) => e.path));
  const gone = match.unmatchedTarget.filter((i) => REFERENCEABLE.has(i.kind) && !headPaths.has(i.path)).map((i) => i.key);
  for (const r of await store.findReferrers(gone)) if (match.unchangedKeys.has(r.key)) out.push(r.path);
  return out;
}

/**
 * Folders whose asset binaries changed since the deployed commit (added, replaced or removed, from
 * git's tree diff), or `all` when there is no deployed commit to compare with (a working tree):
 * a binary that is gone leaves no trace in the listing, so every asset is checked again.
 */
async function changedBinaryFolders(binaries: Map<string, TreeEntry>, treeDiff: () => Promise<TreeDiffEntry[]> | undefined, folder: string): Promise<Set<string> | 'all'> {
  // The plan's own diff from the deployed commit (asked once per plan, see computePlan).
  const diff = treeDiff();
  if (diff) return new Set((await diff).filter((d) => binaries.has(d.path) || (!d.newOid && classifyPath(d.path, folder).type === 'binary')).map((d) => dirOf(d.path)));
  return 'all';
}
