import { classifyPath, folderPrefix } from '../format/layout.js';
import type { GitPort, TreeDiffEntry } from '../git/index.js';
import type {
  ObjectKind,
  StoredObject,
  StoredObjectInfo,
  ContentType,
  Diagnostic,
  DeploymentRecord,
  Plan,
  RepositoryConfig,
  RestoreMode,
  Snapshot,
  SnapshotEntry,
  Store,
  TreeEntry,
  TreeReader,
} from '../model/index.js';
import { compareDiagnostics, emptyCounts, hasErrors } from '../model/index.js';
import { configDigest, indexTarget, matchHeadToTarget, planDeploy, type TargetIndex, type TargetMatch } from '../plan/index.js';
import { createCommitReader, folderListPrefix, readSnapshotPaths, type LoadedSnapshot } from '../snapshot/index.js';
import { referencesOf, validateSnapshot, type ValidatorCodeCache } from '../validate/index.js';
import { locateDiagnostics } from '../validate/locate.js';
import { collectGarbage, LARGE_PHASE_OBJECTS } from './heap.js';

export interface ComputePlanOptions {
  config: RepositoryConfig;
  environment: string;
  store: Store;
  /** The head: a git commit reader or a working folder reader. */
  reader: TreeReader;
  /** Head commit when the reader reads one. */
  commit?: string;
  /** The repository's git, when the head is a commit: finds changed asset binaries cheaply. */
  git?: GitPort;
  mode?: RestoreMode;
  onProgress?: (phase: string, done: number, total: number) => void;
  /** Keeps compiled field validators between processes. */
  validatorCodeCache?: ValidatorCodeCache;
}

export interface ComputedPlan {
  plan: Plan;
  /** All diagnostics: reading, validation of the head, compatibility with the target. */
  diagnostics: Diagnostic[];
  /** The last successful deployment the plan starts from. */
  last?: DeploymentRecord;
  /** True when the commit is already deployed with nothing left to do (no files were read). */
  alreadyDeployed: boolean;
  /** Head entries that were read (changed against the target), by key. */
  changedEntries: Map<string, SnapshotEntry>;
  /** Asset binaries of the head (path → tree entry), to upload blobs from. */
  binaries: Map<string, TreeEntry>;
}


/**
 * Reads what a deployment needs and plans it. The cost follows the change: the head tree is
 * listed (blob ids only) and compared with the target's hash index; only files the target does
 * not hold byte for byte are read, parsed and validated, against the target's copies of what
 * they reference (the unchanged head files are exactly those copies).
 */
export async function computePlan(opts: ComputePlanOptions): Promise<ComputedPlan> {
  const { config, store, reader } = opts;
  const mode = opts.mode ?? config.restoreMode;
  const last = await store.lastSuccessfulDeployment();

  const digest = configDigest(config);
  // git's tree diff from the deployed commit: asked once, shared by the no-op check and the tree-diff path.
  let diffFromDeployed: Promise<TreeDiffEntry[]> | undefined;
  const treeDiff = (): Promise<TreeDiffEntry[]> | undefined => {
    if (!opts.git || !opts.commit || !last?.toCommit) return undefined;
    diffFromDeployed ??= opts.git.diffTrees(last.toCommit, opts.commit, folderListPrefix(config));
    return diffFromDeployed;
  };
  // Nothing to do, known without listing anything: the deployed commit again, or a commit whose
  // repository folder is the same tree (git compares the subtree ids), onto a store that has not
  // drifted, under the same config, and not asking for what an earlier mode skipped.
  const sameContent = async (): Promise<boolean> => {
    if (!opts.commit || !last?.toCommit) return false;
    if (last.toCommit === opts.commit) return true;
    const diff = treeDiff();
    return diff !== undefined && (await diff).length === 0;
  };
  if (last?.configDigest === digest && (last.mode === mode || last.counts.skip === 0) && (await sameContent()) && !(await store.hasDrift())) {
    const plan: Plan = { environment: opts.environment, mode, baseCommit: last!.toCommit, headCommit: opts.commit, steps: [], diagnostics: [], counts: emptyCounts() };
    return { plan, diagnostics: [], last, alreadyDeployed: true, changedEntries: new Map(), binaries: new Map() };
  }

  const gathered = (await gatherFromTreeDiff(opts, mode, last, digest, treeDiff)) ?? (await gatherByListing(opts, mode, last, digest));
  const { head, target, unchangedKeys, candidates, binaries, supporting, loaded } = gathered;

  const changedEntries = new Map<string, SnapshotEntry>();
  for (const e of head.entries.values()) changedEntries.set(e.key, e);
  // Reading and parsing left a heap of garbage behind (see heap.ts).
  if (changedEntries.size >= LARGE_PHASE_OBJECTS) collectGarbage();

  const wanted = new Set<string>([...changedEntries.keys(), ...candidates.map((t) => t.key)]);
  // The tree-diff gathering loaded every changed and candidate key already (absent: not in the target).
  const targetObjects = loaded ?? (await store.getObjects([...wanted]));

  // The head snapshot as validation needs it: the changed files, the target's supporting objects
  // (small), and the target's copies of the unchanged objects the changed ones reference or clash with.
  const { snapshot: virtual, extraEntries, only } = await buildValidationSnapshot(store, head, changedEntries, unchangedKeys, target, supporting);
  const headTypes = new Map<string, ContentType>();
  for (const e of virtual.entries.values()) if (e.object.kind === 'contentType') headTypes.set(e.codeName, e.object);

  let diagnostics: Diagnostic[] = changedEntries.size || head.diagnostics.length
    ? validateSnapshot(virtual, config, {
        binaries: head.binaryInfo,
        sourceText: head.sourceText,
        allEntries: [...head.allEntries, ...extraEntries],
        only,
        validatorCodeCache: opts.validatorCodeCache,
      })
    : [];

  // Lines and columns for findings in files whose text was not kept: read just those again.
  const unlocated = [...new Set(diagnostics.filter((d) => d.file && d.pointer && d.line === undefined).map((d) => d.file!))];
  if (unlocated.length) {
    const texts = await reader.read(unlocated);
    diagnostics = locateDiagnostics(diagnostics, (path) => {
      const bytes = texts.get(path);
      return bytes ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8') : undefined;
    });
  }

  if (changedEntries.size >= LARGE_PHASE_OBJECTS) collectGarbage();
  const plan = planDeploy({
    environment: opts.environment,
    mode,
    config,
    baseCommit: last?.toCommit,
    headCommit: opts.commit,
    changedEntries: [...changedEntries.values()],
    target,
    candidates,
    targetObjects,
    headTypes,
  });
  diagnostics.push(...plan.diagnostics);
  diagnostics.sort(compareDiagnostics);
  plan.diagnostics = diagnostics;
  return { plan, diagnostics, last, alreadyDeployed: false, changedEntries, binaries };
}

/** What a plan starts from: the head files that must be read (read), and the target around them. */
interface Gathered {
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

type KeySet = { has(key: string): boolean };

/** The general path: list the head tree and compare it with the target's whole hash index. */
async function gatherByListing(opts: ComputePlanOptions, mode: RestoreMode, last: DeploymentRecord | undefined, digest: string): Promise<Gathered> {
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
  const changedBinaryDirs = await changedBinaryFolders(opts, last?.toCommit, binaries);
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

/**
 * The incremental path, when the target holds exactly the deployed commit (its last deployment
 * succeeded with nothing skipped, nothing drifted, same config): git's tree diff between the
 * deployed commit and the head names every changed file, so neither the head tree nor the
 * target's index is read in full. Falls back (undefined) where a change reaches unchanged files:
 * a changed content type, or deletions in Full mode.
 */
async function gatherFromTreeDiff(
  opts: ComputePlanOptions,
  mode: RestoreMode,
  last: DeploymentRecord | undefined,
  digest: string,
  treeDiff: () => Promise<TreeDiffEntry[]> | undefined,
): Promise<Gathered | undefined> {
  const { config, store, reader, git, commit } = opts;
  if (!git || !commit || !last?.toCommit || last.status !== 'succeeded' || last.counts.skip !== 0 || last.configDigest !== digest || !store.findByCodeNames) return undefined;
  if (await store.hasDrift()) return undefined;
  const prefix = folderListPrefix(config);
  const typesFolder = `${folderPrefix(config.folder)}content-types/`;
  opts.onProgress?.('list', 0, 1);
  const diffs = (await treeDiff()) ?? (await git.diffTrees(last.toCommit, commit, prefix));
  const toRead = new Map<string, string>();
  const oldSide: { path: string; oid: string }[] = [];
  const others: string[] = [];
  const assetDirs = new Set<string>();
  const binaryDirs = new Set<string>();
  for (const d of diffs) {
    const type = classifyPath(d.path, config.folder).type;
    if (type === 'object') {
      if (d.path.startsWith(typesFolder)) return undefined;
      if (d.newOid) toRead.set(d.path, d.newOid);
      if (d.oldOid) oldSide.push({ path: d.path, oid: d.oldOid });
      if (d.oldOid && !d.newOid && mode === 'Full') return undefined;
      if (d.newOid && classifyPath(d.path, config.folder).type === 'object' && d.path.includes('/assets/')) assetDirs.add(dirOf(d.path));
    } else if (type === 'binary') {
      if (d.newOid) binaryDirs.add(dirOf(d.path));
    } else if (type === 'unknown' && d.newOid) others.push(d.path);
  }
  // Asset folders touched: their binaries are uploaded from there, and a replaced binary re-validates its asset files.
  const binaries = new Map<string, TreeEntry>();
  for (const dir of new Set([...assetDirs, ...binaryDirs])) {
    for (const e of await git.listTree(commit, dir.slice(0, -1))) {
      if (dirOf(e.path) !== dir) continue;
      const type = classifyPath(e.path, config.folder).type;
      if (type === 'binary') binaries.set(e.path, e);
      else if (type === 'object' && binaryDirs.has(dir)) toRead.set(e.path, e.oid);
    }
  }
  const known = [...toRead].map(([path, oid]) => ({ path, oid }));
  (reader as { remember?: (e: Iterable<{ path: string; oid: string }>) => void }).remember?.([...known, ...binaries.values()]);
  const [head, oldKeys] = await Promise.all([
    readSnapshotPaths(reader, config, [...known, ...others, ...binaryPathsFor([...toRead.keys()], binaries)], {
      onProgress: (d: number, t: number) => opts.onProgress?.('read', d, t),
      keepSourceText: 'failed',
    }),
    deployedKeysOf(store, git, last.toCommit, config, oldSide),
  ]);
  // A deployed file that no longer reads (a newer format?): take the general path.
  if (!oldKeys) return undefined;

  // The target around the change: changed and removed objects, what the changed ones reference,
  // the supporting objects, and whatever holds a code name a changed object takes.
  const wanted = new Set<string>(oldKeys);
  for (const e of head.allEntries) {
    wanted.add(e.key);
    for (const ref of referencesOf(e.object)) if (!ref.key.includes(':')) wanted.add(ref.key);
  }
  const [stored, supporting, clashes] = await Promise.all([
    store.getObjects([...wanted]),
    store.listObjects([...SUPPORTING_KINDS]),
    store.findByCodeNames(head.allEntries.filter((e) => e.kind !== 'language').map((e) => ({ kind: e.kind, codeName: e.codeName }))),
  ]);
  const infos = new Map<string, StoredObjectInfo>();
  for (const i of [...stored.values(), ...supporting, ...clashes]) infos.set(i.key, i);
  const target = indexTarget([...infos.values()]);
  const candidates = [...oldKeys].map((k) => infos.get(k)).filter((i): i is StoredObjectInfo => i !== undefined);
  return { head, target, unchangedKeys: { has: (key) => infos.has(key) && !oldKeys.has(key) }, candidates, binaries, supporting, loaded: stored };
}

/**
 * Keys of the target objects that the deployed commit's files at these paths (removed or replaced
 * by the diff) were restored from. The path names the kind and code name, and the target row
 * with that path and blob id is the object: one index lookup instead of reading and parsing the
 * old blobs. Files the target has no such row for (left out by filters) are read to be sure.
 * Undefined when one of those does not decode.
 */
async function deployedKeysOf(
  store: Store,
  git: GitPort,
  deployed: string,
  config: RepositoryConfig,
  files: readonly { path: string; oid: string }[],
): Promise<Set<string> | undefined> {
  const keys = new Set<string>();
  const refs = new Map<string, { kind: ObjectKind; codeName: string }>();
  for (const f of files) {
    const c = classifyPath(f.path, config.folder);
    if (c.type === 'object') refs.set(`${c.kind}\u0000${c.codeName}`, { kind: c.kind, codeName: c.codeName });
  }
  const rows = refs.size && store.findByCodeNames ? await store.findByCodeNames([...refs.values()]) : [];
  const byPath = new Map(rows.map((r) => [r.path, r] as const));
  const unresolved: { path: string; oid: string }[] = [];
  for (const f of files) {
    const row = byPath.get(f.path);
    if (row && row.sourceHash === f.oid) keys.add(row.key);
    else unresolved.push(f);
  }
  if (!unresolved.length) return keys;
  const oldReader = createCommitReader(git, deployed);
  oldReader.remember(unresolved);
  const old = await readSnapshotPaths(oldReader, config, unresolved, { keepSourceText: 'failed' });
  if (old.diagnostics.length) return undefined;
  for (const e of old.allEntries) keys.add(e.key);
  return keys;
}

/** Asset binaries belong to the asset YAML files beside them: read those with their YAML. */
function binaryPathsFor(yamlPaths: readonly string[], binaries: Map<string, TreeEntry>): string[] {
  const dirs = new Set(yamlPaths.filter((p) => p.includes('/assets/') || p.startsWith('assets/')).map((p) => p.slice(0, p.lastIndexOf('/') + 1)));
  return [...binaries.keys()].filter((b) => dirs.has(b.slice(0, b.lastIndexOf('/') + 1)));
}

const SUPPORTING_KINDS = ['language', 'workspace', 'channel', 'contentType', 'assetFolder'] as const;

function stubOf(info: StoredObjectInfo): SnapshotEntry {
  return {
    key: info.key,
    kind: info.kind,
    codeName: info.codeName,
    path: info.path,
    hash: info.sourceHash,
    // Unchanged objects are looked up by key, kind, code name and type: their bodies were validated when deployed.
    object: { kind: info.kind, guid: info.guid, codeName: info.codeName, contentType: info.contentType } as never,
  };
}

/**
 * The part of the head snapshot that validating the changed files needs, without walking the
 * whole target: changed entries; the target's supporting objects (languages, workspaces,
 * channels, content types, asset folders); stubs of the unchanged objects the changed ones
 * reference (existence, kind, content type) or share a guid or code name with (duplicates).
 */
async function buildValidationSnapshot(
  store: Store,
  head: LoadedSnapshot,
  changed: ReadonlyMap<string, SnapshotEntry>,
  unchangedKeys: KeySet,
  target: TargetIndex,
  supporting?: readonly StoredObject[],
): Promise<{ snapshot: Snapshot; extraEntries: SnapshotEntry[]; only: Set<string> }> {
  const entries = new Map<string, SnapshotEntry>(head.entries);
  const extraEntries: SnapshotEntry[] = [];
  const only = new Set(changed.keys());
  const addUnchanged = (e: SnapshotEntry) => {
    if (!unchangedKeys.has(e.key)) return;
    if (!entries.has(e.key)) entries.set(e.key, e);
    // A changed file with the same key elsewhere (a copy) stays in `entries`; the copy's twin goes to allEntries.
    else if (entries.get(e.key)!.path !== e.path) extraEntries.push(e);
  };
  if (!changed.size && !head.diagnostics.length) return { snapshot: { entries, binaries: head.binaries, diagnostics: head.diagnostics }, extraEntries, only };

  for (const s of supporting ?? (await store.listObjects([...SUPPORTING_KINDS]))) {
    if (unchangedKeys.has(s.key)) addUnchanged({ ...stubOf(s), object: s.object });
  }
  const changedByCode = new Map([...changed.values()].map((e) => [`${e.kind}\u0000${e.codeName}`, e.key] as const));
  const lookup = {
    keyOf: (kind: ObjectKind, codeName: string) =>
      kind === 'language' ? `language:${codeName}` : (changedByCode.get(`${kind}\u0000${codeName}`) ?? target.byCodeName(kind, codeName)?.key),
    contentType: (codeName: string) => {
      const key = lookup.keyOf('contentType', codeName);
      const e = key ? entries.get(key) : undefined;
      return e?.object.kind === 'contentType' ? e.object : undefined;
    },
  };
  for (const e of changed.values()) {
    for (const ref of referencesOf(e.object, lookup)) {
      const info = target.byKey(ref.key);
      if (info) addUnchanged(stubOf(info));
    }
    const twin = target.byCodeName(e.kind, e.codeName);
    if (twin && twin.key !== e.key) addUnchanged(stubOf(twin));
    const same = target.byKey(e.key);
    if (same && same.path !== e.path) addUnchanged(stubOf(same));
    // Pages need their unchanged ancestors for the tree rules.
    if (e.object.kind === 'page') {
      let parent = e.object.parent;
      for (let depth = 0; parent && depth < 100; depth++) {
        const info = target.byKey(parent);
        if (!info || entries.has(parent)) break;
        const [stored] = (await store.getObjects([parent])).values();
        if (!stored) break;
        addUnchanged({ ...stubOf(info), object: stored.object });
        parent = stored.object.kind === 'page' ? stored.object.parent : undefined;
      }
    }
  }

  return { snapshot: { entries, binaries: head.binaries, diagnostics: head.diagnostics }, extraEntries, only };
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

function dirOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/') + 1);
}

/**
 * Folders whose asset binaries changed since the deployed commit (from git's tree diff), or every
 * folder holding binaries when there is no deployed commit to compare with (working tree).
 */
async function changedBinaryFolders(opts: ComputePlanOptions, base: string | undefined, binaries: Map<string, TreeEntry>): Promise<Set<string>> {
  if (!binaries.size) return new Set();
  if (opts.git && opts.commit && base) {
    const folder = folderListPrefix(opts.config);
    const diffs = await opts.git.diffTrees(base, opts.commit, folder);
    return new Set(diffs.filter((d) => d.newOid && binaries.has(d.path)).map((d) => dirOf(d.path)));
  }
  return new Set([...binaries.keys()].map(dirOf));
}

export function planFailed(diagnostics: readonly Diagnostic[]): boolean {
  return hasErrors(diagnostics);
}
