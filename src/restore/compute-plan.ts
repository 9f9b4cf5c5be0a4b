import { classifyPath } from '../format/layout.js';
import type { GitPort } from '../git/index.js';
import type {
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
  StoredObject,
  TreeEntry,
  TreeReader,
} from '../model/index.js';
import { compareDiagnostics, emptyCounts, hasErrors } from '../model/index.js';
import { configDigest, matchHeadToTarget, planDeploy } from '../plan/index.js';
import { readSnapshotPaths } from '../snapshot/index.js';
import { validateSnapshot } from '../validate/index.js';

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

const SUPPORTING_KINDS = ['language', 'workspace', 'channel', 'contentType', 'assetFolder', 'asset', 'page'] as const;

/**
 * Reads what a deployment needs and plans it. The cost follows the change: the head tree is
 * listed (blob ids only), compared with the target's hash index, and only files the target does
 * not hold byte for byte are read and parsed. Validation runs on the head snapshot the target
 * will hold: the changed files plus the target's copies of the unchanged ones.
 */
export async function computePlan(opts: ComputePlanOptions): Promise<ComputedPlan> {
  const { config, store, reader } = opts;
  const mode = opts.mode ?? config.restoreMode;
  const last = await store.lastSuccessfulDeployment();

  const digest = configDigest(config);
  if (
    opts.commit &&
    last?.toCommit === opts.commit &&
    last.configDigest === digest &&
    (last.mode === mode || last.counts.skip === 0) &&
    !(await store.hasDrift())
  ) {
    const plan: Plan = { environment: opts.environment, mode, baseCommit: last.toCommit, headCommit: opts.commit, steps: [], diagnostics: [], counts: emptyCounts() };
    return { plan, diagnostics: [], last, alreadyDeployed: true, changedEntries: new Map(), binaries: new Map() };
  }

  opts.onProgress?.('list', 0, 1);
  const listed = await reader.list(config.folder === '.' ? '' : config.folder);
  const headFiles: TreeEntry[] = [];
  const binaries = new Map<string, TreeEntry>();
  for (const entry of listed) {
    const c = classifyPath(entry.path, config.folder);
    if (c.type === 'object') headFiles.push(entry);
    else if (c.type === 'binary') binaries.set(entry.path, entry);
  }
  // Unknown files are reported by readSnapshotPaths when they are passed along.
  const unknown = listed.filter((e) => classifyPath(e.path, config.folder).type === 'unknown').map((e) => e.path);

  const index = await store.index();
  const match = matchHeadToTarget(headFiles, index);
  // A config change (filters, kinds, limits) may change what is valid or included: read everything.
  const fullReconcile = !last || last.configDigest !== digest;
  const toRead = new Set(fullReconcile ? headFiles.map((f) => f.path) : match.pathsToRead);
  // A binary replaced without its asset file is an integrity error: re-read and validate its asset.
  const changedBinaryDirs = await changedBinaryFolders(opts, last?.toCommit, binaries);
  for (const f of headFiles) if (changedBinaryDirs.has(dirOf(f.path)) && classifyPath(f.path, config.folder).type === 'object') toRead.add(f.path);
  const head = await readSnapshotPaths(reader, config, [...toRead, ...unknown, ...binaryPathsFor([...toRead], binaries)], {
    onProgress: (d: number, t: number) => opts.onProgress?.('read', d, t),
  });

  const changedEntries = new Map<string, SnapshotEntry>();
  for (const e of head.entries.values()) changedEntries.set(e.key, e);

  const wanted = new Set<string>([...changedEntries.keys(), ...match.unmatchedTarget.map((t) => t.key)]);
  const targetObjects = await store.getObjects([...wanted]);

  // The head snapshot as the target will hold it: changed files + unchanged target objects.
  const supporting = await store.listObjects([...SUPPORTING_KINDS]);
  const { snapshot: virtual, unchanged } = buildHeadSnapshot(head, supporting, match.unchangedKeys, index);
  const headTypes = new Map<string, ContentType>();
  for (const e of virtual.entries.values()) if (e.object.kind === 'contentType') headTypes.set(e.codeName, e.object);

  const readPaths = new Set(head.allEntries.map((e) => e.path));
  const diagnostics: Diagnostic[] = [
    ...validateSnapshot(virtual, config, {
      binaries: head.binaryInfo,
      sourceText: head.sourceText,
      allEntries: [...head.allEntries, ...unchanged.filter((e) => !readPaths.has(e.path))],
      only: new Set(changedEntries.keys()),
    }),
  ];

  const plan = planDeploy({
    environment: opts.environment,
    mode,
    config,
    baseCommit: last?.toCommit,
    headCommit: opts.commit,
    changedEntries: [...changedEntries.values()],
    unchangedKeys: match.unchangedKeys,
    target: index,
    targetObjects,
    headTypes,
  });
  diagnostics.push(...plan.diagnostics);
  diagnostics.sort(compareDiagnostics);
  plan.diagnostics = diagnostics;
  return { plan, diagnostics, last, alreadyDeployed: false, changedEntries, binaries };
}

/** Asset binaries belong to the asset YAML files beside them: read those with their YAML. */
function binaryPathsFor(yamlPaths: readonly string[], binaries: Map<string, TreeEntry>): string[] {
  const dirs = new Set(yamlPaths.filter((p) => p.includes('/assets/') || p.startsWith('assets/')).map((p) => p.slice(0, p.lastIndexOf('/') + 1)));
  return [...binaries.keys()].filter((b) => dirs.has(b.slice(0, b.lastIndexOf('/') + 1)));
}

function buildHeadSnapshot(
  head: Snapshot,
  supporting: readonly StoredObject[],
  unchangedKeys: ReadonlySet<string>,
  index: readonly StoredObjectInfo[],
): { snapshot: Snapshot; unchanged: SnapshotEntry[] } {
  const entries = new Map<string, SnapshotEntry>(head.entries);
  const full = new Map(supporting.map((s) => [s.key, s] as const));
  const unchanged: SnapshotEntry[] = [];
  for (const info of index) {
    if (!unchangedKeys.has(info.key)) continue;
    const stored = full.get(info.key);
    const entry: SnapshotEntry = {
      key: info.key,
      kind: info.kind,
      codeName: info.codeName,
      path: info.path,
      hash: info.sourceHash,
      // Unchanged items are only looked up by key, kind and type; their bodies were validated when deployed.
      object: stored?.object ?? ({ kind: info.kind, guid: info.guid, codeName: info.codeName, contentType: info.contentType } as never),
    };
    unchanged.push(entry);
    // A changed file with the same key (a copy under another name) wins here; validation reports the duplicate.
    if (!entries.has(info.key)) entries.set(info.key, entry);
  }
  return { snapshot: { entries, binaries: head.binaries, diagnostics: head.diagnostics, commit: head.commit }, unchanged };
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
    const folder = opts.config.folder === '.' ? '' : opts.config.folder;
    const diffs = await opts.git.diffTrees(base, opts.commit, folder);
    return new Set(diffs.filter((d) => d.newOid && binaries.has(d.path)).map((d) => dirOf(d.path)));
  }
  return new Set([...binaries.keys()].map(dirOf));
}

export function planFailed(diagnostics: readonly Diagnostic[]): boolean {
  return hasErrors(diagnostics);
}
