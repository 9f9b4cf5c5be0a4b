import { changedBinaryFolders, goneReferenceableKeys, indexTarget, listingReads, matchHeadToTarget, needsFullReconcile, pathClassifier } from '../plan/index.js';
import { folderListPrefix, readSnapshotPaths } from '../snapshot/index.js';
import type { Gathered, GatherInput } from './gathered.js';

/**
 * The general path: list the head tree and the target's whole hash index, and read what
 * plan/head-reads.ts (listingReads) says the plan needs.
 */
export async function gatherByListing(input: GatherInput): Promise<Gathered> {
  const { config, store, reader } = input;
  input.onProgress?.('list', 0, 1);
  const [listed, index] = await Promise.all([reader.list(folderListPrefix(config)), store.index()]);
  const match = matchHeadToTarget(listed, index, pathClassifier(config.folder));
  const binaries = new Map(match.binaries.map((b) => [b.path, b] as const));
  const target = indexTarget(index);

  // The plan's own diff from the deployed commit (asked once per plan, see computePlan).
  const diff = input.treeDiff();
  const changedBinaryDirs = changedBinaryFolders(diff ? await diff : undefined, binaries, config.folder);
  const referrers = await store.findReferrers(goneReferenceableKeys(match, listed));
  const paths = listingReads({ match, target, folder: config.folder, binaries, fullReconcile: needsFullReconcile(input.last, input.digest), changedBinaryDirs, referrers });
  const head = await readSnapshotPaths(reader, config, paths, {
    onProgress: (d: number, t: number) => input.onProgress?.('read', d, t),
    // Texts of valid files are not kept (100k files: ~135 MB); findings get their lines later.
    keepSourceText: 'failed',
  });

  return { head, target, unchangedKeys: match.unchangedKeys, candidates: match.unmatchedTarget, binaries };
}
