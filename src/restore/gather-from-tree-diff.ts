import type { GitPort } from '../git/index.js';
import type { ObjectKind, RepositoryConfig, Store, StoredObjectInfo, TreeEntry } from '../model/index.js';
import { SUPPORTING_KINDS } from '../model/index.js';
import {
  assetFilesNaming,
  assetFolderContents,
  binariesNamed,
  codeNamePairs,
  codeNamesNotLooked,
  deployedKeysFromRows,
  indexTarget,
  readsFromTreeDiff,
  referrersToRead,
  rowsOfFiles,
  targetKeysAround,
  treeDiffApplies,
} from '../plan/index.js';
import { createCommitReader, folderListPrefix, readSnapshotPaths } from '../snapshot/index.js';
import { withBinaries, type Gathered, type GatherInput } from './gathered.js';

const ASSET_ONLY: ReadonlySet<ObjectKind> = new Set(['asset']);

/**
 * The incremental path, when the target holds exactly the deployed commit (see treeDiffApplies;
 * nothing drifted): git's tree diff between the deployed commit and the head names every changed
 * file, so neither the head tree nor the target's index is read in full. What to read is decided
 * by plan/head-reads.ts; this lists, looks up and reads. Undefined when the plan must take the
 * general path instead (see readsFromTreeDiff, and a deployed file that no longer reads).
 */
export async function gatherFromTreeDiff(input: GatherInput): Promise<Gathered | undefined> {
  const { config, store, git, commit, last } = input;
  if (!git || !commit || !treeDiffApplies(last, input.digest)) return undefined;
  if (await store.hasDrift()) return undefined;
  input.onProgress?.('list', 0, 1);
  const diffs = (await input.treeDiff()) ?? (await git.diffTrees(last.toCommit, commit, folderListPrefix(config)));
  const reads = readsFromTreeDiff(diffs, config.folder);
  if ('fallback' in reads) return undefined;
  const { toRead, oldSide, removedPaths, others, assetDirs, changedBinaries } = reads;

  // Asset folders touched, listed (tree objects only, no blob is read).
  const listings = await Promise.all(assetDirs.map((dir) => git.listTree(commit, dir.slice(0, -1))));
  const { binaries, besideChanged } = assetFolderContents(assetDirs, listings, reads, config.folder);
  // Of the unchanged asset files beside a changed binary, only those naming it are read again:
  // the target's copies (unchanged, so the head's) say which, without reading the folder.
  for (const e of await assetsNaming(store, config, besideChanged, changedBinaries)) toRead.set(e.path, e.oid);
  // The target rows with the code names the changed paths name, old side and new: they say which
  // objects the removed files were, and which objects a changed file's code name would clash with.
  const pairs = codeNamePairs([...oldSide.map((f) => f.path), ...toRead.keys()], config.folder);
  const byCodeName = pairs.size ? store.findByCodeNames([...pairs.values()]) : Promise.resolve([]);
  const deployed = await byCodeName.then((rows) => deployedKeysOf(rows, git, last.toCommit, config, oldSide));
  // A deployed file that no longer reads (a newer format?): take the general path.
  if (!deployed) return undefined;
  const oldKeys = new Set(deployed.values());
  // Objects whose file went away may be deleted: what refers to them is validated again.
  const removedKeys = [...removedPaths].map((p) => deployed.get(p)).filter((k): k is string => k !== undefined);
  const referrers = referrersToRead(await store.findReferrers(removedKeys), oldKeys, toRead);
  for (const r of referrers) toRead.set(r.path, r.sourceHash);

  // The head's blobs by the ids the tree diff gave: a commit reader over the same git that is
  // told them, so reading needs no listing.
  const headReader = createCommitReader(git, commit);
  const known = [...toRead].map(([path, oid]) => ({ path, oid }));
  headReader.remember([...known, ...binaries.values()]);
  const yamlHead = await readSnapshotPaths(headReader, config, [...known, ...others], {
    onProgress: (d: number, t: number) => input.onProgress?.('read', d, t),
    keepSourceText: 'failed',
  });
  // Then the binaries the assets read name (not every binary of their folders).
  const named = binariesNamed(yamlHead.allEntries, binaries, config.folder);
  const head = named.length ? withBinaries(yamlHead, await readSnapshotPaths(headReader, config, named, { keepSourceText: 'failed' })) : yamlHead;

  // The target around the change: changed and removed objects, what the changed ones reference,
  // the supporting objects, and whatever holds a code name a changed object takes.
  const { compared, referenced } = targetKeysAround(oldKeys, head.allEntries);
  const missing = codeNamesNotLooked(head.allEntries, pairs);
  const [stored, referencedInfos, supporting, clashes] = await Promise.all([
    store.getObjects([...compared]),
    store.getInfos([...referenced]),
    store.listObjects([...SUPPORTING_KINDS]),
    (async () => [...(await byCodeName), ...(missing.length ? await store.findByCodeNames(missing) : [])])(),
  ]);
  const infos = new Map<string, StoredObjectInfo>();
  for (const i of [...stored.values(), ...referencedInfos, ...supporting, ...clashes, ...referrers]) infos.set(i.key, i);
  const target = indexTarget([...infos.values()]);
  const candidates = [...oldKeys].map((k) => infos.get(k)).filter((i): i is StoredObjectInfo => i !== undefined);
  return { head, target, unchangedKeys: { has: (key) => infos.has(key) && !oldKeys.has(key) }, candidates, binaries, supporting, loaded: stored };
}

/**
 * The unchanged asset files (tree entries of the head) whose asset names one of these binaries,
 * found from the target's copies: one lookup by code name and one read of small rows.
 */
async function assetsNaming(store: Store, config: RepositoryConfig, files: readonly TreeEntry[], binaryPaths: ReadonlySet<string>): Promise<TreeEntry[]> {
  if (!files.length || !binaryPaths.size) return [];
  const pairs = codeNamePairs(files.map((f) => f.path), config.folder, ASSET_ONLY);
  const rows = rowsOfFiles(files, await store.findByCodeNames([...pairs.values()]));
  const objects = await store.getObjects(rows.map((r) => r.key));
  return assetFilesNaming(files, rows, objects, binaryPaths, config.folder);
}

/**
 * Keys of the target objects (by path) that the deployed commit's files at these paths were
 * restored from (see deployedKeysFromRows); the files no target row accounts for are read from
 * the deployed commit. Undefined when one of those does not decode.
 */
async function deployedKeysOf(
  rows: readonly StoredObjectInfo[],
  git: GitPort,
  deployed: string,
  config: RepositoryConfig,
  files: readonly { path: string; oid: string }[],
): Promise<Map<string, string> | undefined> {
  const { keys, unresolved } = deployedKeysFromRows(rows, files);
  if (!unresolved.length) return keys;
  const oldReader = createCommitReader(git, deployed);
  oldReader.remember(unresolved);
  const old = await readSnapshotPaths(oldReader, config, unresolved, { keepSourceText: 'failed' });
  if (old.diagnostics.length) return undefined;
  for (const e of old.allEntries) keys.set(e.path, e.key);
  return keys;
}
