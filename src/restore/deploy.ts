import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { FerryError } from '../errors/index.js';
import { assetBinaryPath } from '../format/layout.js';
import type {
  Asset,
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
import { configDigest, eventsForPlan } from '../plan/index.js';
import { computePlan, type ComputedPlan } from './compute-plan.js';
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
  /** Keeps compiled field validators between processes. */
  validatorCodeCache?: import('../validate/index.js').ValidatorCodeCache;
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
  const mode = opts.mode ?? opts.config.restoreMode;
  const release = opts.dryRun
    ? async () => {}
    : await opts.store.acquireLock(
        { pid: process.pid, host: hostname(), actor: opts.actor, since: opts.now().toISOString(), purpose: `deploy ${opts.source} to ${opts.environment}` },
        opts.lockTimeoutMs ?? 60_000,
      );
  try {
    const computed = await computePlan({ ...opts, mode });
    if (opts.dryRun) return { status: 'dry-run', plan: computed.plan, diagnostics: computed.diagnostics };
    return await applyComputedPlan(opts, mode, computed);
  } finally {
    await release();
  }
}

async function applyComputedPlan(opts: DeployOptions, mode: RestoreMode, computed: ComputedPlan): Promise<DeployResult> {
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

  try {
    if (!planHasChanges(plan) && !plan.steps.length) {
      const deployment = await store.commitDeployment(record.id, [], [], emptyCounts(), now().toISOString(), 'no-op');
      return { status: 'no-op', plan, diagnostics, deployment };
    }
    await uploadBlobs(opts, computed);
    const writes = writesForPlan(plan);
    const at = now().toISOString();
    const events = eventsForPlan(plan, at).map((e) => ({ ...e, deploymentId: record.id }));
    const status = planHasChanges(plan) ? 'succeeded' : 'no-op';
    // Validation and planning left garbage; the write phase should not start on top of it (heap.ts).
    if (writes.length >= LARGE_PHASE_OBJECTS) collectGarbage();
    const deployment = await store.commitDeployment(record.id, writes, events, plan.counts, now().toISOString(), status);
    return { status, plan, diagnostics, deployment };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const diag: Diagnostic[] = [{ code: e instanceof FerryError ? e.code : 'FERRY_E_STORE', severity: 'error', message }];
    await store.failDeployment(record.id, diag, `apply failed, rolled back: ${message}`, now().toISOString()).catch(() => undefined);
    throw e;
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

/** Stores the binaries of created/updated assets before the transaction, verifying each sha256. */
async function uploadBlobs(opts: DeployOptions, computed: ComputedPlan): Promise<void> {
  const assets: Asset[] = [];
  for (const step of computed.plan.steps) {
    if (step.kind !== 'asset' || step.action === 'skip' || step.action === 'delete') continue;
    if (step.source && step.source.op !== 'delete' && step.source.after.object.kind === 'asset') assets.push(step.source.after.object);
  }
  const missing: Asset[] = [];
  for (const a of assets) if (!(await opts.store.hasBlob(a.sha256))) missing.push(a);
  if (!missing.length) return;
  const paths = missing.map((a) => assetBinaryPath(a, opts.config.folder));
  const bytes = await opts.reader.read(paths);
  for (let i = 0; i < missing.length; i++) {
    const data = bytes.get(paths[i]);
    if (!data) throw new FerryError('FERRY_E_ASSET', `Binary ${paths[i]} of asset \`${missing[i].codeName}\` is missing`, { loc: { file: paths[i] } });
    const sha = createHash('sha256').update(data).digest('hex');
    if (sha !== missing[i].sha256) {
      throw new FerryError('FERRY_E_ASSET', `Binary ${paths[i]} has sha256 ${sha}, but its asset file says ${missing[i].sha256}`, { loc: { file: paths[i] } });
    }
    await opts.store.putBlob(sha, data);
  }
}
