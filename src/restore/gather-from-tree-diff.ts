import { assetBinaryPath, classifyPath, folderPrefix } from '../format/layout.js';
import type { GitPort, TreeDiffEntry } from '../git/index.js';
import type { Asset, DeploymentRecord, ObjectKind, RepositoryConfig, SnapshotEntry, Store, StoredObjectInfo, TreeEntry } from '../model/index.js';
import { contentReferenceKeys } from '../model/index.js';
import { indexTarget } from '../plan/index.js';
import { createCommitReader, folderListPrefix, readSnapshotPaths } from '../snapshot/index.js';
import type { ComputePlanOptions } from './compute-plan.js';
import { dirOf, SUPPORTING_KINDS, withBinaries, type Gathered } from './gathered.js';

/**
 * The incremental path, when the target holds exactly the deployed commit (its last deployment
 * succeeded with nothing skipped, nothing drifted, same config): git's tree diff between the
 * deployed commit and the head names every changed file, so neither the head tree nor the
 * target's index is read in full. Unchanged files a deletion may break (its referrers, from the
 * store's reference index) are read and validated too. Falls back (undefined) where a change
 * reaches unchanged files in bulk: a changed content type.
 */
export async function gatherFromTreeDiff(
  opts: ComputePlanOptions,
  last: DeploymentRecord | undefined,
  digest: string,
  treeDiff: () => Promise<TreeDiffEntry[]> | undefined,
): Promise<Gathered | undefined> {
  const { config, store, reader, git, commit } = opts;
  if (!git || !commit || !last?.toCommit || last.status !== 'succeeded' || last.counts.skip !== 0 || last.configDigest !== digest) return undefined;
  if (await store.hasDrift()) return undefined;
  const prefix = folderListPrefix(config);
  const typesFolder = `${folderPrefix(config.folder)}content-types/`;
  opts.onProgress?.('list', 0, 1);
  const diffs = (await treeDiff()) ?? (await git.diffTrees(last.toCommit, commit, prefix));
  const toRead = new Map<string, string>();
  const oldSide: { path: string; oid: string }[] = [];
  const removedPaths = new Set<string>();
  const others: string[] = [];
  const assetDirs = new Set<string>();
  const binaryDirs = new Set<string>();
  const changedBinaries = new Set<string>();
  for (const d of diffs) {
    const type = classifyPath(d.path, config.folder).type;
    if (type === 'object') {
      if (d.path.startsWith(typesFolder)) return undefined;
      if (d.newOid) toRead.set(d.path, d.newOid);
      if (d.oldOid) oldSide.push({ path: d.path, oid: d.oldOid });
      if (d.oldOid && !d.newOid) removedPaths.add(d.path);
      if (d.newOid && classifyPath(d.path, config.folder).type === 'object' && d.path.includes('/assets/')) assetDirs.add(dirOf(d.path));
    } else if (type === 'binary') {
      // Added, replaced or removed: the asset file naming it is validated again (a removed binary is an error).
      binaryDirs.add(dirOf(d.path));
      changedBinaries.add(d.path);
    } else if (type === 'unknown' && d.newOid) others.push(d.path);
  }
  // Asset folders touched, listed (tree objects only, no blob is read): the binaries' blob ids,
  // and the asset files beside a changed binary.
  const binaries = new Map<string, TreeEntry>();
  const besideChanged: TreeEntry[] = [];
  const dirs = [...new Set([...assetDirs, ...binaryDirs])];
  const listings = await Promise.all(dirs.map((dir) => git.listTree(commit, dir.slice(0, -1))));
  for (const [i, dir] of dirs.entries()) {
    for (const e of listings[i]) {
      if (dirOf(e.path) !== dir) continue;
      const type = classifyPath(e.path, config.folder).type;
      if (type === 'binary') binaries.set(e.path, e);
      else if (type === 'object' && binaryDirs.has(dir) && !toRead.has(e.path)) besideChanged.push(e);
    }
  }
  // Of the unchanged asset files beside a changed binary, only those naming it are read again:
  // the target's copies (unchanged, so the head's) say which, without reading the folder.
  for (const e of await assetsNaming(store, config, besideChanged, changedBinaries)) toRead.set(e.path, e.oid);
  // The target rows with the code names the changed paths name, old side and new: they say which
  // objects the removed files were, and which objects a changed file's code name would clash with.
  const pairs = new Map<string, { kind: ObjectKind; codeName: string }>();
  for (const path of [...oldSide.map((f) => f.path), ...toRead.keys()]) {
    const c = classifyPath(path, config.folder);
    if (c.type === 'object') pairs.set(`${c.kind}\u0000${c.codeName}`, { kind: c.kind, codeName: c.codeName });
  }
  const byCodeName = pairs.size ? store.findByCodeNames([...pairs.values()]) : Promise.resolve([]);
  const deployed = await byCodeName.then((rows) => deployedKeysOf(rows, git, last.toCommit!, config, oldSide));
  // A deployed file that no longer reads (a newer format?): take the general path.
  if (!deployed) return undefined;
  const oldKeys = new Set(deployed.values());
  // Objects whose file went away may be deleted: what refers to them is validated again (an
  // unchanged file, read at the blob the target holds, which is the head's as nothing drifted).
  const removedKeys = [...removedPaths].map((p) => deployed.get(p)).filter((k): k is string => k !== undefined);
  const referrers = (await store.findReferrers(removedKeys)).filter((r) => !oldKeys.has(r.key) && !toRead.has(r.path) && r.sourceHash);
  for (const r of referrers) toRead.set(r.path, r.sourceHash);

  const known = [...toRead].map(([path, oid]) => ({ path, oid }));
  (reader as { remember?: (e: Iterable<{ path: string; oid: string }>) => void }).remember?.([...known, ...binaries.values()]);
  const yamlHead = await readSnapshotPaths(reader, config, [...known, ...others], {
    onProgress: (d: number, t: number) => opts.onProgress?.('read', d, t),
    keepSourceText: 'failed',
  });
  // Then the binaries the assets read name (not every binary of their folders).
  const named = new Set<string>();
  for (const e of yamlHead.allEntries) {
    if (e.object.kind !== 'asset' || e.object.source) continue;
    const path = binaryPathOf(e.object, config.folder);
    if (path && binaries.has(path)) named.add(path);
  }
  const head = named.size ? withBinaries(yamlHead, await readSnapshotPaths(reader, config, [...named], { keepSourceText: 'failed' })) : yamlHead;

  // The target around the change: changed and removed objects, what the changed ones reference,
  // the supporting objects, and whatever holds a code name a changed object takes.
  // Whole objects for what the plan compares (changed and removed ones), index rows for what they reference.
  const compared = new Set<string>(oldKeys);
  for (const e of head.allEntries) compared.add(e.key);
  const referenced = new Set<string>();
  // Every content key an object may reference (guid lists, links, media, blocks, rich text), without its type.
  for (const e of head.allEntries) {
    for (const key of contentReferenceKeys(e.object)) if (!compared.has(key)) referenced.add(key);
  }
  const [stored, referencedInfos, supporting, clashes] = await Promise.all([
    store.getObjects([...compared]),
    store.getInfos([...referenced]),
    store.listObjects([...SUPPORTING_KINDS]),
    clashesOf((p) => store.findByCodeNames(p), head.allEntries, pairs, byCodeName),
  ]);
  const infos = new Map<string, StoredObjectInfo>();
  for (const i of [...stored.values(), ...referencedInfos, ...supporting, ...clashes, ...referrers]) infos.set(i.key, i);
  const target = indexTarget([...infos.values()]);
  const candidates = [...oldKeys].map((k) => infos.get(k)).filter((i): i is StoredObjectInfo => i !== undefined);
  return { head, target, unchangedKeys: { has: (key) => infos.has(key) && !oldKeys.has(key) }, candidates, binaries, supporting, loaded: stored };
}

/** The binary path an asset names, or undefined when its file name cannot be one (validation says why). */
function binaryPathOf(asset: Asset, folder: string): string | undefined {
  try {
    return assetBinaryPath(asset, folder);
  } catch {
    return undefined;
  }
}

/**
 * The unchanged asset files (tree entries of the head) whose asset names one of these binaries,
 * found from the target's copies: one lookup by code name and one read of small rows.
 */
async function assetsNaming(store: Store, config: RepositoryConfig, files: readonly TreeEntry[], binaryPaths: ReadonlySet<string>): Promise<TreeEntry[]> {
  if (!files.length || !binaryPaths.size) return [];
  const byPath = new Map(files.map((f) => [f.path, f] as const));
  const pairs: { kind: ObjectKind; codeName: string }[] = [];
  for (const f of files) {
    const c = classifyPath(f.path, config.folder);
    if (c.type === 'object' && c.kind === 'asset') pairs.push({ kind: 'asset', codeName: c.codeName });
  }
  const rows = (await store.findByCodeNames(pairs)).filter((r) => byPath.get(r.path)?.oid === r.sourceHash);
  const objects = await store.getObjects(rows.map((r) => r.key));
  const out: TreeEntry[] = [];
  for (const r of rows) {
    const o = objects.get(r.key)?.object;
    const path = o?.kind === 'asset' && !o.source ? binaryPathOf(o, config.folder) : undefined;
    if (path && binaryPaths.has(path)) out.push(byPath.get(r.path)!);
  }
  // A file whose target row differs (it should not, nothing drifted) is read to be sure.
  for (const f of files) if (!rows.some((r) => r.path === f.path) && classifyPath(f.path, config.folder).type === 'object') out.push(f);
  return out;
}

/**
 * Keys of the target objects (by path) that the deployed commit's files at these paths (removed or
 * replaced by the diff) were restored from. The path names the kind and code name, and the target row
 * with that path and blob id is the object: one index lookup instead of reading and parsing the
 * old blobs. Files the target has no such row for (left out by filters) are read to be sure.
 * Undefined when one of those does not decode.
 */
async function deployedKeysOf(
  rows: readonly StoredObjectInfo[],
  git: GitPort,
  deployed: string,
  config: RepositoryConfig,
  files: readonly { path: string; oid: string }[],
): Promise<Map<string, string> | undefined> {
  const keys = new Map<string, string>();
  const byPath = new Map(rows.map((r) => [r.path, r] as const));
  const unresolved: { path: string; oid: string }[] = [];
  for (const f of files) {
    const row = byPath.get(f.path);
    if (row && row.sourceHash === f.oid) keys.set(f.path, row.key);
    else unresolved.push(f);
  }
  if (!unresolved.length) return keys;
  const oldReader = createCommitReader(git, deployed);
  oldReader.remember(unresolved);
  const old = await readSnapshotPaths(oldReader, config, unresolved, { keepSourceText: 'failed' });
  if (old.diagnostics.length) return undefined;
  for (const e of old.allEntries) keys.set(e.path, e.key);
  return keys;
}

/**
 * Target rows holding the code names the head entries take (a new object whose code name another
 * object has is a clash). The changed paths' code names were looked up already; an entry whose
 * code name differs from its path's (an invalid file, reported by validation) is looked up here.
 */
async function clashesOf(
  find: (pairs: { kind: ObjectKind; codeName: string }[]) => Promise<StoredObjectInfo[]>,
  entries: readonly SnapshotEntry[],
  looked: ReadonlyMap<string, unknown>,
  rows: Promise<StoredObjectInfo[]>,
): Promise<StoredObjectInfo[]> {
  const missing = entries.filter((e) => e.kind !== 'language' && !looked.has(`${e.kind}\u0000${e.codeName}`));
  const more = missing.length ? await find(missing.map((e) => ({ kind: e.kind, codeName: e.codeName }))) : [];
  return [...(await rows), ...more];
}
