import { classifyPath, folderPrefix } from '../format/layout.js';
import type { TreeDiffEntry } from '../git/index.js';
import type { DeploymentRecord, ObjectKind, RepositoryConfig, RestoreMode, Store, TreeEntry } from '../model/index.js';
import { indexTarget, matchHeadToTarget, type TargetIndex, type TargetMatch } from '../plan/index.js';
import { folderListPrefix, readSnapshotPaths } from '../snapshot/index.js';
import { referencesOf } from '../validate/index.js';
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
  const changedBinaryDirs = await changedBinaryFolders(binaries, treeDiff);
  if (changedBinaryDirs.size) {
    for (const key of match.unchangedKeys) {
      const info = target.byKey(key)!;
      if (info.kind === 'asset' && changedBinaryDirs.has(dirOf(info.path))) toRead.add(info.path);
    }
  }
  // Unchanged files whose validity depends on a change are read and validated again (see revalidationPaths).
  for (const p of await revalidationPaths(store, config, match, target, mode, listed)) toRead.add(p);
  const others = match.others.filter((o) => classifyPath(o.path, config.folder).type === 'unknown').map((o) => o.path);
  const head = await readSnapshotPaths(reader, config, [...toRead, ...others, ...binaryPathsFor([...toRead], binaries)], {
    onProgress: (d: number, t: number) => opts.onProgress?.('read', d, t),
    // Texts of valid files are not kept (100k files: ~135 MB); findings get their lines below.
    keepSourceText: 'failed',
  });

  return { head, target, unchangedKeys: match.unchangedKeys, candidates: match.unmatchedTarget, binaries };
}

const REFERENCEABLE: ReadonlySet<ObjectKind> = new Set(['contentItem', 'page', 'asset']);

/**
 * Unchanged files to validate again because a change may break them, both rare: the items and
 * pages of a content type that changed (a field became required…), and, when Full mode deletes
 * items, pages or assets, the items and pages that still reference them. They are read from
 * the head like changed files (so findings get lines); the plan skips them as unchanged.
 */
async function revalidationPaths(
  store: Store,
  config: RepositoryConfig,
  match: TargetMatch,
  target: TargetIndex,
  mode: RestoreMode,
  listed: readonly TreeEntry[],
): Promise<string[]> {
  const out: string[] = [];
  const typesFolder = `${folderPrefix(config.folder)}content-types/`;
  const changedTypes = new Set(
    match.pathsToRead.filter((p) => p.startsWith(typesFolder) && p.endsWith('.yaml')).map((p) => p.slice(typesFolder.length, -'.yaml'.length)),
  );
  const headPaths = mode === 'Full' ? new Set(listed.map((e) => e.path)) : undefined;
  const gone = headPaths ? new Set(match.unmatchedTarget.filter((i) => REFERENCEABLE.has(i.kind) && !headPaths.has(i.path)).map((i) => i.key)) : new Set<string>();
  if (!changedTypes.size && !gone.size) return out;
  if (changedTypes.size) {
    for (const key of match.unchangedKeys) {
      const info = target.byKey(key)!;
      if (info.contentType && changedTypes.has(info.contentType)) out.push(info.path);
    }
  }
  if (gone.size) {
    for (const s of await store.listObjects(['contentItem', 'page'])) {
      if (!match.unchangedKeys.has(s.key)) continue;
      if (referencesOf(s.object).some((r) => gone.has(r.key))) out.push(s.path);
    }
  }
  return out;
}

/**
 * Folders whose asset binaries changed since the deployed commit (from git's tree diff), or every
 * folder holding binaries when there is no deployed commit to compare with (working tree).
 */
async function changedBinaryFolders(binaries: Map<string, TreeEntry>, treeDiff: () => Promise<TreeDiffEntry[]> | undefined): Promise<Set<string>> {
  if (!binaries.size) return new Set();
  // The plan's own diff from the deployed commit (asked once per plan, see computePlan).
  const diff = treeDiff();
  if (diff) return new Set((await diff).filter((d) => d.newOid && binaries.has(d.path)).map((d) => dirOf(d.path)));
  return new Set([...binaries.keys()].map(dirOf));
}
