import { createReadStream } from 'node:fs';
import { hostname } from 'node:os';
import { FerryError } from '../errors/index.js';
import { formatSize } from '../config/size.js';
import { assetBinaryPath } from '../format/layout.js';
import { LFS_POINTER_MAX_BYTES, parseLfsPointer } from '../format/lfs-pointer.js';
import type { LfsObjects } from '../git/lfs.js';
import type {
  Asset,
  AssetSource,
  DeploymentRecord,
  Diagnostic,
  Plan,
  RepositoryConfig,
  RestoreMode,
  Store,
  StoreWrite,
  TreeReader,
} from '../model/index.js';
import { emptyCounts, hasErrors, planHasChanges } from '../model/index.js';
import { configDigest, eventsForPlan, planMode } from '../plan/index.js';
import { computePlan, type ComputedPlan } from './compute-plan.js';
import { traceDeployment, type PhaseRunner } from './trace.js';
import { collectGarbage, LARGE_PHASE_OBJECTS } from './heap.js';

export interface DeployOptions {
  config: RepositoryConfig;
  environment: string;
  store: Store;
  reader: TreeReader;
  /** Head commit when deploying a commit; absent for a working folder. */
  commit?: string;
  /** The repository's git when deploying a commit. */
  git?: import('../git/index.js').GitPort;
  /** Tag pointing at the commit, recorded with the deployment. */
  tag?: string;
  /** `working-tree` or the revision the user named. */
  source: string;
  mode?: RestoreMode;
  /** See ComputePlanOptions.reconcile. */
  reconcile?: boolean;
  actor: string;
  now: () => Date;
  dryRun?: boolean;
  lockTimeoutMs?: number;
  /** Recorded with the deployment, e.g. `rollback to #3` or `promote staging → prod`. */
  message?: string;
  onProgress?: (phase: string, done: number, total: number) => void;
  /**
   * Measures an external asset's bytes at its URL (`--verify-external`); each created or updated
   * external asset is checked against its `source.size` and `source.sha256` before anything is written.
   */
  verifyExternal?: (source: AssetSource) => Promise<{ size: number; sha256: string }>;
  /** The repository's Git LFS objects, for asset binaries that are LFS pointers. */
  lfs?: LfsObjects;
  /** Keeps compiled field validators between processes. */
  validatorCodeCache?: import('../validate/index.js').ValidatorCodeCache;
  /** Receives the deployment's spans (default: the global OpenTelemetry tracer, a no-op without an SDK). */
  tracer?: import('@opentelemetry/api').Tracer;
}

export type DeployStatus = 'succeeded' | 'no-op' | 'failed' | 'dry-run';

export interface DeployResult {
  status: DeployStatus;
  plan: Plan;
  diagnostics: Diagnostic[];
  deployment?: DeploymentRecord;
}

/**
 * Validates, plans and applies one deployment under the environment's lock: blobs first, then every
 * write and change-log event in one store transaction. Any error leaves the store as it was and is
 * recorded as a failed deployment with its diagnostics (then thrown as a FerryError).
 */
export async function deploy(opts: DeployOptions): Promise<DeployResult> {
  const mode = planMode(opts.mode, opts.config.restoreMode);
  const span = traceDeployment(opts.tracer, { 'ferry.environment': opts.environment, 'ferry.mode': mode, 'ferry.source': opts.source, ...(opts.commit ? { 'ferry.commit': opts.commit } : {}) });
  let error: unknown;
  try {
    const release = opts.dryRun
      ? async () => {}
      : await opts.store.acquireLock(
          { pid: process.pid, host: hostname(), actor: opts.actor, since: opts.now().toISOString(), purpose: `deploy ${opts.source} to ${opts.environment}` },
          opts.lockTimeoutMs ?? 60_000,
        );
    try {
      const computed = await computePlan({ ...opts, mode, phase: span.phase });
      if (opts.dryRun) return { status: 'dry-run', plan: computed.plan, diagnostics: computed.diagnostics };
      return await applyComputedPlan(opts, mode, computed, span.phase);
    } finally {
      await release();
    }
  } catch (e) {
    error = e;
    throw e;
  } finally {
    span.end(error);
  }
}

async function applyComputedPlan(opts: DeployOptions, mode: RestoreMode, computed: ComputedPlan, phase: PhaseRunner): Promise<DeployResult> {
  const { store, now } = opts;
  const { plan, diagnostics } = computed;
  const record = await store.startDeployment({
    environment: opts.environment,
    fromCommit: computed.last?.toCommit,
    toCommit: opts.commit,
    source: opts.source,
    tag: opts.tag,
    mode,
    actor: opts.actor,
    startedAt: now().toISOString(),
    message: opts.message,
    configDigest: configDigest(opts.config),
  });

  if (hasErrors(diagnostics)) {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    const failed = await store.failDeployment(record.id, diagnostics, `${errors.length} error(s): nothing was applied`, now().toISOString());
    throw new FerryError('FERRY_E_VALIDATION', `Deployment #${failed.id} to ${opts.environment} refused: ${errors.length} error(s); nothing was applied`, {
      diagnostics,
      data: { deploymentId: failed.id },
    });
  }

  const fail = async (e: unknown, what: string): Promise<never> => {
    const message = e instanceof Error ? e.message : String(e);
    const diag: Diagnostic[] = [{ code: e instanceof FerryError ? e.code : 'FERRY_E_STORE', severity: 'error', message }];
    await store.failDeployment(record.id, diag, `${what}: ${message}`, now().toISOString()).catch(() => undefined);
    throw e;
  };

  let sources: BlobSource[] = [];
  if (planHasChanges(plan) || plan.steps.length) {
    try {
      // Every binary is found (LFS objects fetched) and external assets checked before the first byte is stored.
      sources = await phase('resolve', async () => {
        const found = await resolveBlobSources(opts, plan);
        if (opts.verifyExternal) await verifyExternalAssets(plan, opts.verifyExternal);
        return found;
      });
    } catch (e) {
      await fail(e, 'asset bytes not found or not as recorded, nothing was written');
    }
  }

  try {
    if (!planHasChanges(plan) && !plan.steps.length) {
      const deployment = await phase('commit', () => store.commitDeployment(record.id, [], [], emptyCounts(), now().toISOString(), 'no-op'));
      return { status: 'no-op', plan, diagnostics, deployment };
    }
    await phase('apply', () => uploadBlobs(store, sources, opts.onProgress));
    const writes = writesForPlan(plan);
    const at = now().toISOString();
    const events = eventsForPlan(plan, at).map((e) => ({ ...e, deploymentId: record.id }));
    const status = planHasChanges(plan) ? 'succeeded' : 'no-op';
    // Validation and planning left garbage; the write phase should not start on top of it (heap.ts).
    if (writes.length >= LARGE_PHASE_OBJECTS) collectGarbage();
    const deployment = await phase('commit', () => store.commitDeployment(record.id, writes, events, plan.counts, now().toISOString(), status));
    return { status, plan, diagnostics, deployment };
  } catch (e) {
    return fail(e, 'apply failed, rolled back');
  }
}

/** Store writes in plan order: puts for created/updated/renamed objects, deletes last. */
export function writesForPlan(plan: Plan): StoreWrite[] {
  const writes: StoreWrite[] = [];
  for (const step of plan.steps) {
    if ((step.action === 'create' || step.action === 'update' || step.action === 'rename') && step.source && step.source.op !== 'delete') {
      const after = step.source.after;
      writes.push({ op: 'put', object: after.object, path: after.path, sourceHash: after.hash });
    } else if (step.action === 'delete') {
      writes.push({ op: 'delete', key: step.key, kind: step.kind });
    }
  }
  return writes;
}

/** An asset whose bytes are in git (or Git LFS): size and sha256 are set (the file schema requires them). */
type InGitAsset = Asset & { size: number; sha256: string };

function isInGit(a: Asset): a is InGitAsset {
  return !a.source && typeof a.size === 'number' && typeof a.sha256 === 'string';
}

/** Where one blob to store comes from: opened (again) for each upload attempt. */
export interface BlobSource {
  sha256: string;
  size: number;
  /** Repository path of the binary (the pointer file for LFS), for messages. */
  path: string;
  /** Set when the bytes are a Git LFS object. */
  lfs?: boolean;
  open: () => AsyncIterable<Uint8Array>;
}

/**
 * Finds the bytes of every created/updated asset the store lacks, before anything is written:
 * a binary in git (streamed), or for a Git LFS pointer the LFS object, from the local LFS store
 * or fetched for exactly these paths. Throws FERRY_E_ASSET (binary missing) or FERRY_E_LFS (an
 * object neither local nor on the LFS remote), naming the files.
 */
export async function resolveBlobSources(opts: Pick<DeployOptions, 'config' | 'store' | 'reader' | 'commit' | 'lfs'>, plan: Plan): Promise<BlobSource[]> {
  const assets: InGitAsset[] = [];
  for (const step of plan.steps) {
    if (step.kind !== 'asset' || step.action === 'skip' || step.action === 'delete') continue;
    // External assets are recorded by reference: no bytes to store.
    if (step.source && step.source.op !== 'delete' && step.source.after.object.kind === 'asset' && isInGit(step.source.after.object)) assets.push(step.source.after.object);
  }
  const missing: InGitAsset[] = [];
  const seen = new Set<string>();
  for (const a of assets) {
    if (seen.has(a.sha256)) continue;
    seen.add(a.sha256);
    if (!(await opts.store.hasBlob(a.sha256))) missing.push(a);
  }
  if (!missing.length) return [];
  const paths = missing.map((a) => assetBinaryPath(a, opts.config.folder));
  const sizes = await opts.reader.sizes(paths);
  const small = paths.filter((p) => (sizes.get(p) ?? Infinity) <= LFS_POINTER_MAX_BYTES);
  const smallBytes = small.length ? await opts.reader.read(small) : new Map<string, Uint8Array>();

  const sources: BlobSource[] = [];
  const pointers: { asset: InGitAsset; path: string; sha256: string; size: number }[] = [];
  missing.forEach((asset, i) => {
    const path = paths[i];
    const size = sizes.get(path);
    if (size === undefined) throw new FerryError('FERRY_E_ASSET', `Binary ${path} of asset \`${asset.codeName}\` is missing`, { loc: { file: path } });
    const bytes = smallBytes.get(path);
    const pointer = bytes && parseLfsPointer(bytes);
    if (pointer) pointers.push({ asset, path, ...pointer });
    else if (bytes) sources.push({ sha256: asset.sha256, size: bytes.byteLength, path, open: () => once(bytes) });
    else sources.push({ sha256: asset.sha256, size, path, open: () => opts.reader.stream(path) });
  });
  if (pointers.length) sources.push(...(await resolveLfsObjects(opts, pointers)));
  return sources;
}

async function resolveLfsObjects(
  opts: Pick<DeployOptions, 'commit' | 'lfs'>,
  pointers: readonly { asset: InGitAsset; path: string; sha256: string; size: number }[],
): Promise<BlobSource[]> {
  const lfs = opts.lfs;
  if (!lfs) {
    throw new FerryError('FERRY_E_LFS', `${pointers[0].path} is a Git LFS pointer, and this deployment has no git repository to read LFS objects from`, { loc: { file: pointers[0].path } });
  }
  const local = async () => Promise.all(pointers.map((p) => lfs.localPath(p.sha256, p.size)));
  let found = await local();
  const absent = pointers.filter((_, i) => !found[i]);
  if (absent.length) {
    // Exactly the objects this plan needs, not every LFS object of the commit.
    await lfs.fetch(opts.commit ?? 'HEAD', absent.map((p) => p.path));
    found = await local();
  }
  const still = pointers.filter((_, i) => !found[i]);
  if (still.length) {
    const remote = await lfs.remote();
    const listed = still.slice(0, 10).map((p) => `${p.path} (sha256 ${p.sha256}, ${formatSize(p.size)})`).join(', ');
    throw new FerryError(
      'FERRY_E_LFS',
      `${still.length} Git LFS object(s) are neither in the local LFS store nor on the LFS remote ${remote}: ${listed}${still.length > 10 ? `, and ${still.length - 10} more` : ''}; nothing was written`,
      { loc: { file: still[0].path }, data: { files: still.map((p) => p.path), remote } },
    );
  }
  return pointers.map((p, i) => ({ sha256: p.sha256, size: p.size, path: p.path, lfs: true, open: () => readFileChunks(found[i]!) }));
}

/** Fetches every created/updated external asset and compares its bytes with its `source`. */
async function verifyExternalAssets(plan: Plan, measure: (source: AssetSource) => Promise<{ size: number; sha256: string }>): Promise<void> {
  for (const step of plan.steps) {
    if (step.kind !== 'asset' || step.action === 'skip' || step.action === 'delete' || !step.source || step.source.op === 'delete') continue;
    const after = step.source.after;
    const asset = after.object;
    if (asset.kind !== 'asset' || !asset.source) continue;
    const got = await measure(asset.source);
    if (got.size !== asset.source.size || got.sha256 !== asset.source.sha256) {
      const found = got.size > asset.source.size ? `more than ${asset.source.size} bytes` : `${got.size} bytes with sha256 ${got.sha256}`;
      throw new FerryError('FERRY_E_ASSET', `External asset \`${asset.codeName}\`: ${asset.source.url} has ${found}, but source says ${asset.source.size} bytes with sha256 ${asset.source.sha256}; nothing was written`, {
        loc: { file: after.path },
        data: { url: asset.source.url, expected: asset.source, actual: got },
      });
    }
  }
}

/** Streams each source into the store (sha256 and size checked as the bytes pass). */
async function uploadBlobs(store: Store, sources: readonly BlobSource[], onProgress?: (phase: string, done: number, total: number) => void): Promise<void> {
  let done = 0;
  for (const s of sources) {
    try {
      await store.putBlobStream(s.sha256, s.size, s.open);
    } catch (e) {
      if (e instanceof FerryError && e.code === 'FERRY_E_ASSET') {
        throw new FerryError('FERRY_E_ASSET', `Binary ${s.path}${s.lfs ? ' (its Git LFS object)' : ''}: ${e.message}`, { loc: { file: s.path }, data: e.data, cause: e });
      }
      throw e;
    }
    onProgress?.('blobs', ++done, sources.length);
  }
}

async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}

async function* readFileChunks(path: string): AsyncIterable<Uint8Array> {
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) yield chunk as Buffer;
}
