/**
 * Which head files a plan reads, decided from values the gathering listed (the head tree, the
 * target's index, git's tree diff): pure functions, so `restore/` only lists, reads and writes.
 * Both ways of gathering (the listing, the tree diff) use the same path rules from format/layout.ts.
 */
import { assetBinaryPath, classifyPath } from '../format/layout.js';
import type { Asset, ContentType, DeploymentRecord, ObjectKind, RestoreMode, Snapshot, SnapshotEntry, StoredObject, StoredObjectInfo, TreeEntry } from '../model/index.js';
import { contentReferenceKeys, REFERENCEABLE_KINDS } from '../model/index.js';
import type { CompatibilityInput } from './compatibility.js';
import type { PathClass, TargetIndex, TargetMatch } from './match-target.js';

/** One path of git's tree diff, as the planning decisions need it (see GitPort.diffTrees). */
export interface ChangedPath {
  path: string;
  /** Blob id at the base (absent when added). */
  oldOid?: string;
  /** Blob id at the head (absent when removed). */
  newOid?: string;
}

/** The mode a plan runs in: the one asked for, else the repository config's. */
export function planMode(requested: RestoreMode | undefined, configured: RestoreMode): RestoreMode {
  return requested ?? configured;
}

/** How matchHeadToTarget sorts a head path it must look at. */
export function pathClassifier(folder: string): (path: string) => PathClass {
  return (path) => {
    const type = classifyPath(path, folder).type;
    return type === 'object' || type === 'binary' ? type : 'other';
  };
}

/** Whether a path is an object's YAML file (what a tree diff prefetches: it is read next). */
export function isObjectPath(path: string, folder: string): boolean {
  return classifyPath(path, folder).type === 'object';
}

/** Whether a path is an asset's or asset folder's YAML file: its folder holds binaries. */
export function isAssetFilePath(path: string, folder: string): boolean {
  const c = classifyPath(path, folder);
  return c.type === 'object' && (c.kind === 'asset' || c.kind === 'assetFolder');
}

export function dirOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/') + 1);
}

/** A config change (filters, kinds, limits) may change what is valid or included: every file is read again. */
export function needsFullReconcile(last: DeploymentRecord | undefined, digest: string): boolean {
  return !last || last.configDigest !== digest;
}

/**
 * Whether a deployment may be a no-op, known without listing anything once the content is the same
 * (the deployed commit, or the same tree): not asked to reconcile, same config, and not asking for
 * what an earlier mode skipped. The caller still checks the content and the store's drift.
 */
export function mayBeAlreadyDeployed(last: DeploymentRecord | undefined, digest: string, mode: RestoreMode, reconcile: boolean): last is DeploymentRecord {
  return !reconcile && last !== undefined && last.configDigest === digest && (last.mode === mode || last.counts.skip === 0);
}

/**
 * Whether git's tree diff from the deployed commit names every change: the target holds exactly
 * that commit (its last deployment succeeded with nothing skipped, same config). The caller also
 * needs a head commit, the repository's git, and a store that has not drifted.
 */
export function treeDiffApplies(last: DeploymentRecord | undefined, digest: string): last is DeploymentRecord & { toCommit: string } {
  return last?.toCommit !== undefined && last.status === 'succeeded' && last.counts.skip === 0 && last.configDigest === digest;
}

/** Content types (code names) whose files are among these paths. */
export function changedContentTypes(paths: readonly string[], folder: string): Set<string> {
  const out = new Set<string>();
  for (const p of paths) {
    const c = classifyPath(p, folder);
    if (c.type === 'object' && c.kind === 'contentType') out.add(c.codeName);
  }
  return out;
}

/**
 * Folders whose asset binaries changed since the deployed commit (added, replaced or removed, from
 * git's tree diff), or `all` when there is no deployed commit to compare with (a working tree):
 * a binary that is gone leaves no trace in the listing, so every asset is checked again.
 */
export function changedBinaryFolders(diff: readonly ChangedPath[] | undefined, binaries: ReadonlyMap<string, TreeEntry>, folder: string): Set<string> | 'all' {
  if (!diff) return 'all';
  return new Set(diff.filter((d) => binaries.has(d.path) || (!d.newOid && classifyPath(d.path, folder).type === 'binary')).map((d) => dirOf(d.path)));
}

/**
 * Target objects whose head file is gone and that others may reference: what refers to them is
 * validated again, in every mode (a commit that deletes what others still reference is refused
 * whether or not the mode applies deletions).
 */
export function goneReferenceableKeys(match: TargetMatch, listed: readonly TreeEntry[]): string[] {
  const headPaths = new Set(listed.map((e) => e.path));
  return match.unmatchedTarget.filter((i) => REFERENCEABLE_KINDS.has(i.kind) && !headPaths.has(i.path)).map((i) => i.key);
}

/** Asset binaries belong to the asset YAML files beside them: read those with their YAML. */
export function binaryPathsFor(yamlPaths: readonly string[], binaries: ReadonlyMap<string, TreeEntry>, folder: string): string[] {
  const dirs = new Set(yamlPaths.filter((p) => isAssetFilePath(p, folder)).map(dirOf));
  return [...binaries.keys()].filter((b) => dirs.has(dirOf(b)));
}

export interface ListingReadsInput {
  match: TargetMatch;
  target: TargetIndex;
  folder: string;
  binaries: ReadonlyMap<string, TreeEntry>;
  fullReconcile: boolean;
  changedBinaryDirs: Set<string> | 'all';
  /** The store's referrers of goneReferenceableKeys (may reference what is deleted). */
  referrers: readonly StoredObjectInfo[];
}

/**
 * The head paths the listing path reads: the files the target does not hold byte for byte, and the
 * unchanged files whose validity depends on a change (all of them after a config change; assets
 * beside a changed binary; items and pages of a changed content type; every item after a changed
 * workspace (its workflow); what sits below a changed content folder; referrers of what is gone).
 * Unchanged files are read from the head like changed ones (so findings get lines); the plan
 * skips them as unchanged. Then the files of unknown paths (reported) and the binaries of the
 * asset folders read.
 */
export function listingReads(input: ListingReadsInput): string[] {
  const { match, target, folder } = input;
  const toRead = new Set(match.pathsToRead);
  if (input.fullReconcile) for (const key of match.unchangedKeys) toRead.add(target.byKey(key)!.path);
  // A binary replaced without its asset file is an integrity error: re-read and validate its asset.
  const dirs = input.changedBinaryDirs;
  for (const key of match.unchangedKeys) {
    const info = target.byKey(key)!;
    if (info.kind === 'asset' && (dirs === 'all' || dirs.has(dirOf(info.path)))) toRead.add(info.path);
  }
  // A changed content type (a field became required…) may break its unchanged items and pages.
  const changedTypes = changedContentTypes(match.pathsToRead, folder);
  if (changedTypes.size) {
    for (const key of match.unchangedKeys) {
      const info = target.byKey(key)!;
      if (info.contentType && changedTypes.has(info.contentType)) toRead.add(info.path);
    }
  }
  // A changed workspace may change its workflow: every unchanged item is checked again (rare).
  if (match.pathsToRead.some((p) => { const c = classifyPath(p, folder); return c.type === 'object' && c.kind === 'workspace'; })) {
    for (const key of match.unchangedKeys) {
      const info = target.byKey(key)!;
      if (info.kind === 'contentItem') toRead.add(info.path);
    }
  }
  // A content folder moved, renamed, changed or deleted: what the target holds below its old place
  // (files left behind by a move, items naming it) is checked against the new folder tree.
  const folderDirs = match.unmatchedTarget.filter((i) => i.kind === 'contentFolder').map((i) => dirOf(i.path));
  if (folderDirs.length) {
    for (const key of match.unchangedKeys) {
      const info = target.byKey(key)!;
      if ((info.kind === 'contentItem' || info.kind === 'contentFolder') && folderDirs.some((d) => info.path.startsWith(d))) toRead.add(info.path);
    }
  }
  for (const r of input.referrers) if (match.unchangedKeys.has(r.key)) toRead.add(r.path);
  const others = match.others.filter((o) => classifyPath(o.path, folder).type === 'unknown').map((o) => o.path);
  return [...toRead, ...others, ...binaryPathsFor([...toRead], input.binaries, folder)];
}

/** What git's tree diff from the deployed commit says a plan reads, before looking at the store. */
export interface TreeDiffReads {
  /** Head object files to read (path → blob id). */
  toRead: Map<string, string>;
  /** The deployed commit's object files the diff removed or replaced. */
  oldSide: { path: string; oid: string }[];
  removedPaths: Set<string>;
  /** Head files of unknown paths (reported by the reader). */
  others: string[];
  /** Asset folders to list: those holding a changed asset file or a changed binary. */
  assetDirs: string[];
  /** Folders with a binary added, replaced or removed. */
  binaryDirs: Set<string>;
  changedBinaries: Set<string>;
}

/**
 * Sorts git's tree diff into what to read, or says why the tree diff cannot be used: a changed
 * content type reaches unchanged files in bulk, which the listing path handles.
 */
export function readsFromTreeDiff(diffs: readonly ChangedPath[], folder: string): TreeDiffReads | { fallback: 'content type changed' | 'workspace changed' | 'content folder changed' } {
  const toRead = new Map<string, string>();
  const oldSide: { path: string; oid: string }[] = [];
  const removedPaths = new Set<string>();
  const others: string[] = [];
  const assetDirs = new Set<string>();
  const binaryDirs = new Set<string>();
  const changedBinaries = new Set<string>();
  for (const d of diffs) {
    const c = classifyPath(d.path, folder);
    if (c.type === 'object') {
      if (c.kind === 'contentType') return { fallback: 'content type changed' };
      // A workspace (its workflow) or a content folder (its place, which every file below it
      // mirrors) reaches unchanged files in bulk too: the listing path revalidates them.
      if (c.kind === 'workspace') return { fallback: 'workspace changed' };
      if (c.kind === 'contentFolder') return { fallback: 'content folder changed' };
      if (d.newOid) toRead.set(d.path, d.newOid);
      if (d.oldOid) oldSide.push({ path: d.path, oid: d.oldOid });
      if (d.oldOid && !d.newOid) removedPaths.add(d.path);
      if (d.newOid && (c.kind === 'asset' || c.kind === 'assetFolder')) assetDirs.add(dirOf(d.path));
    } else if (c.type === 'binary') {
      // Added, replaced or removed: the asset file naming it is validated again (a removed binary is an error).
      binaryDirs.add(dirOf(d.path));
      changedBinaries.add(d.path);
    } else if (c.type === 'unknown' && d.newOid) others.push(d.path);
  }
  return { toRead, oldSide, removedPaths, others, assetDirs: [...new Set([...assetDirs, ...binaryDirs])], binaryDirs, changedBinaries };
}

/**
 * Of the listings of the asset folders touched (tree objects only, no blob read): the binaries'
 * blob ids, and the unchanged asset files beside a changed binary.
 */
export function assetFolderContents(
  dirs: readonly string[],
  listings: readonly (readonly TreeEntry[])[],
  reads: Pick<TreeDiffReads, 'binaryDirs' | 'toRead'>,
  folder: string,
): { binaries: Map<string, TreeEntry>; besideChanged: TreeEntry[] } {
  const binaries = new Map<string, TreeEntry>();
  const besideChanged: TreeEntry[] = [];
  for (const [i, dir] of dirs.entries()) {
    for (const e of listings[i]) {
      if (dirOf(e.path) !== dir) continue;
      const type = classifyPath(e.path, folder).type;
      if (type === 'binary') binaries.set(e.path, e);
      else if (type === 'object' && reads.binaryDirs.has(dir) && !reads.toRead.has(e.path)) besideChanged.push(e);
    }
  }
  return { binaries, besideChanged };
}

/** The (kind, code name) pairs these object paths name, keyed `kind NUL codeName`. */
export function codeNamePairs(paths: Iterable<string>, folder: string, kinds?: ReadonlySet<ObjectKind>): Map<string, { kind: ObjectKind; codeName: string }> {
  const pairs = new Map<string, { kind: ObjectKind; codeName: string }>();
  for (const path of paths) {
    const c = classifyPath(path, folder);
    if (c.type === 'object' && (!kinds || kinds.has(c.kind))) pairs.set(`${c.kind}\u0000${c.codeName}`, { kind: c.kind, codeName: c.codeName });
  }
  return pairs;
}

/** The target rows whose path and blob id are those of these files (what the target restored from them). */
export function rowsOfFiles(files: readonly TreeEntry[], rows: readonly StoredObjectInfo[]): StoredObjectInfo[] {
  const byPath = new Map(files.map((f) => [f.path, f] as const));
  return rows.filter((r) => byPath.get(r.path)?.oid === r.sourceHash);
}

/** The binary path an asset names, or undefined when its file name cannot be one (validation says why). */
export function binaryPathOf(asset: Asset, folder: string): string | undefined {
  try {
    return assetBinaryPath(asset, folder);
  } catch {
    return undefined;
  }
}

/**
 * The unchanged asset files (head tree entries) whose asset, as the target holds it (`rows`, from
 * rowsOfFiles, and their objects), names one of these binaries. A file without such a row (it
 * should not happen, nothing drifted) is read to be sure.
 */
export function assetFilesNaming(
  files: readonly TreeEntry[],
  rows: readonly StoredObjectInfo[],
  objects: ReadonlyMap<string, StoredObject>,
  binaryPaths: ReadonlySet<string>,
  folder: string,
): TreeEntry[] {
  const byPath = new Map(files.map((f) => [f.path, f] as const));
  const out: TreeEntry[] = [];
  for (const r of rows) {
    const o = objects.get(r.key)?.object;
    const path = o?.kind === 'asset' && !o.source ? binaryPathOf(o, folder) : undefined;
    if (path && binaryPaths.has(path)) out.push(byPath.get(r.path)!);
  }
  for (const f of files) if (!rows.some((r) => r.path === f.path) && classifyPath(f.path, folder).type === 'object') out.push(f);
  return out;
}

/**
 * Keys of the target objects the deployed commit's files (removed or replaced by the diff) were
 * restored from, found by path and blob id in the target rows: the path names the kind and code
 * name, and the row with that path and blob id is the object. Files without such a row (left out
 * by filters) are `unresolved`: the caller reads their old blobs to be sure.
 */
export function deployedKeysFromRows(
  rows: readonly StoredObjectInfo[],
  files: readonly { path: string; oid: string }[],
): { keys: Map<string, string>; unresolved: { path: string; oid: string }[] } {
  const keys = new Map<string, string>();
  const byPath = new Map(rows.map((r) => [r.path, r] as const));
  const unresolved: { path: string; oid: string }[] = [];
  for (const f of files) {
    const row = byPath.get(f.path);
    if (row && row.sourceHash === f.oid) keys.set(f.path, row.key);
    else unresolved.push(f);
  }
  return { keys, unresolved };
}

/**
 * Referrers of removed objects to validate again: unchanged files (not themselves removed or
 * replaced, not read already) the target restored from a file, read at the blob the target
 * holds (the head's, as nothing drifted).
 */
export function referrersToRead(referrers: readonly StoredObjectInfo[], oldKeys: ReadonlySet<string>, toRead: ReadonlyMap<string, string>): StoredObjectInfo[] {
  return referrers.filter((r) => !oldKeys.has(r.key) && !toRead.has(r.path) && r.sourceHash);
}

/** The binaries the assets read name, of those the listed folders hold (not every binary of their folders). */
export function binariesNamed(entries: readonly SnapshotEntry[], binaries: ReadonlyMap<string, TreeEntry>, folder: string): string[] {
  const named = new Set<string>();
  for (const e of entries) {
    if (e.object.kind !== 'asset' || e.object.source) continue;
    const path = binaryPathOf(e.object, folder);
    if (path && binaries.has(path)) named.add(path);
  }
  return [...named];
}

/**
 * Head entries whose code name was not looked up with the changed paths' (an entry whose code
 * name differs from its path's: an invalid file, reported by validation): their clashes are
 * looked up too.
 */
export function codeNamesNotLooked(entries: readonly SnapshotEntry[], looked: ReadonlyMap<string, unknown>): { kind: ObjectKind; codeName: string }[] {
  return entries.filter((e) => e.kind !== 'language' && !looked.has(`${e.kind}\u0000${e.codeName}`)).map((e) => ({ kind: e.kind, codeName: e.codeName }));
}

/**
 * The target around a tree-diff change: whole objects for what the plan compares (the changed and
 * removed ones), index rows only for what the changed ones reference (languages are looked up by
 * code name with the supporting objects).
 */
export function targetKeysAround(oldKeys: ReadonlySet<string>, headEntries: readonly SnapshotEntry[]): { compared: Set<string>; referenced: Set<string> } {
  const compared = new Set<string>(oldKeys);
  for (const e of headEntries) compared.add(e.key);
  const referenced = new Set<string>();
  // Every content key an object may reference (guid lists, links, media, blocks, rich text), without its type.
  for (const e of headEntries) {
    for (const key of contentReferenceKeys(e.object)) if (!compared.has(key)) referenced.add(key);
  }
  return { compared, referenced };
}

/**
 * What planning asks of the head when only part of it was read: its content types by code name,
 * and whether it holds a key or a code name (see CompatibilityInput.headHas). `snapshot` is the
 * validation snapshot: every head object a changed one can need (changed, or a stub of the
 * target's copy). Files the config's filters leave out are in the head too, though not deployed
 * (needing one is a compatibility error); a filtered-out file's guid is not known from its path,
 * so then any key may be.
 */
export function headLookups(
  snapshot: Snapshot,
  filteredOut: readonly string[],
  folder: string,
): { headTypes: Map<string, ContentType>; headHas: NonNullable<CompatibilityInput['headHas']> } {
  const headTypes = new Map<string, ContentType>();
  const headCodeNames = new Set<string>();
  for (const e of snapshot.entries.values()) {
    if (e.object.kind === 'contentType') headTypes.set(e.codeName, e.object);
    headCodeNames.add(`${e.kind}\u0000${e.codeName}`);
  }
  for (const key of codeNamePairs(filteredOut, folder).keys()) headCodeNames.add(key);
  const headHas = {
    key: (key: string) => snapshot.entries.has(key) || filteredOut.length > 0,
    codeName: (kind: string, codeName: string) => headCodeNames.has(`${kind}\u0000${codeName}`),
  };
  return { headTypes, headHas };
}
