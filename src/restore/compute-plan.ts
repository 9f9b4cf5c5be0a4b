import type { GitPort, TreeDiffEntry } from '../git/index.js';
import type { Diagnostic, DeploymentRecord, Plan, RepositoryConfig, RestoreMode, SnapshotEntry, Store, TreeEntry, TreeReader } from '../model/index.js';
import { compareDiagnostics, emptyCounts } from '../model/index.js';
import { configDigest, headLookups, isObjectPath, mayBeAlreadyDeployed, planDeploy, planMode } from '../plan/index.js';
import { folderListPrefix } from '../snapshot/index.js';
import { validateSnapshot, type ValidatorCodeCache } from '../validate/index.js';
import { locateDiagnostics } from '../validate/locate.js';
import { gatherByListing } from './gather-by-listing.js';
import { gatherFromTreeDiff } from './gather-from-tree-diff.js';
import type { GatherInput } from './gathered.js';
import { collectGarbage, LARGE_PHASE_OBJECTS } from './heap.js';
import { untraced, type PhaseRunner } from './trace.js';
import { buildValidationSnapshot } from './validation-snapshot.js';

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
  /**
   * Compare every head file with the target's whole index (the listing path) instead of taking
   * git's tree diff from the deployed commit: for a target suspected to hold something else.
   */
  reconcile?: boolean;
  onProgress?: (phase: string, done: number, total: number) => void;
  /** Keeps compiled field validators between processes. */
  validatorCodeCache?: ValidatorCodeCache;
  /** Runs the read, validate and plan phases (as trace spans, see trace.ts). */
  phase?: PhaseRunner;
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
  const mode = planMode(opts.mode, config.restoreMode);
  const last = await store.lastSuccessfulDeployment();

  const digest = configDigest(config);
  // git's tree diff from the deployed commit: asked once, shared by the no-op check and the tree-diff path.
  let diffFromDeployed: Promise<TreeDiffEntry[]> | undefined;
  const treeDiff = (): Promise<TreeDiffEntry[]> | undefined => {
    if (!opts.git || !opts.commit || !last?.toCommit) return undefined;
    // The changed files are read next: start reading them while git still diffs.
    diffFromDeployed ??= opts.git.diffTrees(last.toCommit, opts.commit, folderListPrefix(config), {
      prefetch: (e) => (e.newOid && isObjectPath(e.path, config.folder) ? [e.newOid] : []),
    });
    return diffFromDeployed;
  };
  // Nothing to do, known without listing anything: the deployed commit again, or a commit whose
  // repository folder is the same tree (git compares the subtree ids), onto a store that has not
  // drifted (see mayBeAlreadyDeployed).
  const sameContent = async (): Promise<boolean> => {
    if (!opts.commit || !last?.toCommit) return false;
    if (last.toCommit === opts.commit) return true;
    const diff = treeDiff();
    return diff !== undefined && (await diff).length === 0;
  };
  if (mayBeAlreadyDeployed(last, digest, mode, opts.reconcile ?? false) && (await sameContent()) && !(await store.hasDrift())) {
    const plan: Plan = { environment: opts.environment, mode, baseCommit: last.toCommit, headCommit: opts.commit, steps: [], diagnostics: [], counts: emptyCounts() };
    return { plan, diagnostics: [], last, alreadyDeployed: true, changedEntries: new Map(), binaries: new Map() };
  }

  const phase = opts.phase ?? untraced;
  const input: GatherInput = { config, store, reader, commit: opts.commit, git: opts.git, last, digest, treeDiff, onProgress: opts.onProgress };
  const gathered = await phase('read', async () => (opts.reconcile ? undefined : await gatherFromTreeDiff(input)) ?? (await gatherByListing(input)));
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
  const { headTypes, headHas } = headLookups(virtual, head.filteredOut, config.folder);

  const diagnostics: Diagnostic[] = await phase('validate', async () => {
    const found = changedEntries.size || head.diagnostics.length
      ? validateSnapshot(virtual, config, {
          binaries: head.binaryInfo,
          sourceText: head.sourceText,
          allEntries: [...head.allEntries, ...extraEntries],
          only,
          validatorCodeCache: opts.validatorCodeCache,
        })
      : [];
    // Lines and columns for findings in files whose text was not kept: read just those again.
    const unlocated = [...new Set(found.filter((d) => d.file && d.pointer && d.line === undefined).map((d) => d.file!))];
    if (!unlocated.length) return found;
    const texts = await reader.read(unlocated);
    return locateDiagnostics(found, (path) => {
      const bytes = texts.get(path);
      return bytes ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8') : undefined;
    });
  });

  if (changedEntries.size >= LARGE_PHASE_OBJECTS) collectGarbage();
  const plan = await phase('plan', async () => planDeploy({
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
    headHas,
  }));
  // The plan's own findings (compatibility with the target) beside the head's, in one order.
  const all = [...diagnostics, ...plan.diagnostics].sort(compareDiagnostics);
  return { plan: { ...plan, diagnostics: all }, diagnostics: all, last, alreadyDeployed: false, changedEntries, binaries };
}
