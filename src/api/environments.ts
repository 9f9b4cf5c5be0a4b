import { nextEnvironment, previousEnvironment } from '../config/index.js';
import { FerryError } from '../errors/index.js';
import type { GitPort } from '../git/index.js';
import { namesFor, namesInChangeset, referencedGuids } from '../diff/index.js';
import { createLfsObjects } from '../git/lfs.js';
import { measureExternalSource } from '../transport/external-source.js';
import type { Changeset, DeploymentRecord, EnvironmentConfig, ObjectName, Plan, RestoreMode, Store, StoredObjectInfo, TreeReader } from '../model/index.js';
import { computePlan, type ComputedPlan } from '../restore/compute-plan.js';
import { deploy, type DeployResult } from '../restore/deploy.js';
import { createCommitReader, createFolderReader, folderListPrefix } from '../snapshot/index.js';
import { redactUrl } from '../store/redact-url.js';
import { isOutside, sqliteFileOf } from '../store/sqlite-url.js';
import { openEnvironment, openRepositoryGit, resolveActor, type RepositoryContext } from './context.js';

export interface SourceRequest {
  /** Git revision to deploy (default HEAD). Ignored with `workingTree`. */
  ref?: string;
  /** Deploy the working folder instead of a commit (uncommitted work). */
  workingTree?: boolean;
}

interface ResolvedSource {
  reader: TreeReader;
  commit?: string;
  tag?: string;
  label: string;
  git?: GitPort;
}

async function resolveSource(rc: RepositoryContext, req: SourceRequest): Promise<ResolvedSource> {
  if (req.workingTree) return { reader: createFolderReader(rc.repo.root), label: 'working-tree' };
  const git = await openRepositoryGit(rc);
  const ref = req.ref ?? 'HEAD';
  // A full sha (what CI passes) needs no resolving first: ask for its tags at the same time.
  const early = /^[0-9a-f]{40}$/.test(ref) ? git.tagsPointingAt(ref).catch(() => undefined) : undefined;
  const commit = await git.resolveRevision(ref);
  const tags = (await early) ?? (await git.tagsPointingAt(commit));
  return { reader: createCommitReader(git, commit), commit, tag: tags[0], label: req.ref ?? 'HEAD', git };
}

/**
 * The environment's store and the source, opened at once (a store open and three git processes
 * that do not wait for each other). When one fails, the other is closed again.
 */
async function openStoreAndSource(rc: RepositoryContext, environment: EnvironmentConfig, req: SourceRequest): Promise<{ store: Store; source: ResolvedSource }> {
  const [opened, resolved] = await Promise.allSettled([openEnvironment(rc, environment), resolveSource(rc, req)]);
  if (opened.status === 'fulfilled' && resolved.status === 'fulfilled') return { store: opened.value.store, source: resolved.value };
  if (opened.status === 'fulfilled') await opened.value.store.close();
  if (resolved.status === 'fulfilled') await resolved.value.git?.close();
  throw opened.status === 'rejected' ? opened.reason : (resolved as PromiseRejectedResult).reason;
}

export interface PlanRequest extends SourceRequest {
  /** The target, resolved from the config (`getEnvironment(repo.config, name)`). */
  environment: EnvironmentConfig;
  mode?: RestoreMode;
  /** Compare every file with the target's index instead of trusting the tree diff from its deployed commit. */
  reconcile?: boolean;
  onProgress?: (phase: string, done: number, total: number) => void;
}

export interface PlanResult extends ComputedPlan {
  environment: string;
  commit?: string;
  /**
   * Files of the repository folder whose working copy differs from HEAD, when HEAD was planned or
   * deployed by default (no `--ref`): what was deployed is not what the user sees. Not looked at
   * under CI (checkouts there are clean).
   */
  uncommitted?: string[];
}

/** The repository folder's uncommitted changes, when the source is HEAD by default and not in CI. */
function uncommittedChanges(rc: RepositoryContext, req: SourceRequest, git: GitPort | undefined): Promise<string[] | undefined> {
  if (!git || req.workingTree || req.ref !== undefined || rc.env.CI) return Promise.resolve(undefined);
  const prefix = folderListPrefix(rc.repo.config);
  return git.workingTreeChanges(prefix).catch(() => undefined);
}

/** The plan of deploying a revision (or the working folder) to an environment. Read-only. */
export async function planEnvironment(rc: RepositoryContext, req: PlanRequest): Promise<PlanResult> {
  const { repo } = rc;
  const env = req.environment.name;
  const { store, source } = await openStoreAndSource(rc, req.environment, req);
  try {
    const uncommitted = uncommittedChanges(rc, req, source.git);
    const computed = await computePlan({ config: repo.config, environment: env, store, reader: source.reader, commit: source.commit, git: source.git, mode: req.mode, reconcile: req.reconcile, onProgress: req.onProgress, validatorCodeCache: repo.validatorCodeCache });
    const names = await referenceNamesOfPlan(computed.plan, store);
    return { ...computed, plan: Object.keys(names).length ? { ...computed.plan, names } : computed.plan, environment: env, commit: source.commit, uncommitted: await uncommitted };
  } finally {
    // git's reader process exits while the store checkpoints: neither waits for the other.
    await Promise.all([source.git?.close(), store.close()]);
  }
}

/**
 * Names of what the plan's changed references point to: the objects the plan itself writes,
 * then the target's (every reference of a valid plan is one or the other).
 */
async function referenceNamesOfPlan(plan: Plan, store: Store): Promise<Record<string, ObjectName>> {
  const changeset: Changeset = { changes: [] };
  const seen = new Set<string>();
  for (const step of plan.steps) {
    if (!step.source || seen.has(step.source.key)) continue;
    seen.add(step.source.key);
    changeset.changes.push(step.source);
  }
  const guids = referencedGuids(changeset);
  if (!guids.length) return {};
  const known = namesInChangeset(changeset);
  const missing = guids.filter((g) => !known.has(g));
  if (missing.length) for (const [key, o] of await store.getObjects(missing)) known.set(key, { kind: o.kind, codeName: o.codeName });
  return namesFor(guids, known);
}

export interface DeployRequest extends PlanRequest {
  dryRun?: boolean;
  /** Fetch each created/updated external asset and check its size and sha256 before writing. */
  verifyExternal?: boolean;
  actor?: string;
  lockTimeoutMs?: number;
  message?: string;
}

export interface DeployOutcome extends DeployResult {
  environment: string;
  commit?: string;
  tag?: string;
  /** See PlanResult.uncommitted. */
  uncommitted?: string[];
}

/** Validates, plans and applies a deployment to one environment. */
export async function deployEnvironment(rc: RepositoryContext, req: DeployRequest): Promise<DeployOutcome> {
  const { repo } = rc;
  const env = req.environment.name;
  const { store, source } = await openStoreAndSource(rc, req.environment, req);
  try {
    const uncommitted = uncommittedChanges(rc, req, source.git);
    const result = await deploy({
      config: repo.config,
      environment: env,
      store,
      reader: source.reader,
      commit: source.commit,
      git: source.git,
      lfs: createLfsObjects(repo.root),
      verifyExternal: req.verifyExternal ? (s) => measureExternalSource(s) : undefined,
      tag: source.tag,
      source: source.label,
      mode: req.mode,
      reconcile: req.reconcile,
      actor: await resolveActor(req.actor, rc, source.git),
      now: rc.now,
      dryRun: req.dryRun,
      lockTimeoutMs: req.lockTimeoutMs,
      message: req.message,
      onProgress: req.onProgress,
      validatorCodeCache: repo.validatorCodeCache,
    });
    return { ...result, environment: env, commit: source.commit, tag: source.tag, uncommitted: await uncommitted };
  } finally {
    // git's reader process exits while the store checkpoints: neither waits for the other.
    await Promise.all([source.git?.close(), store.close()]);
  }
}

/** The commit an environment has: its last successful deployment's to-commit. */
export async function deployedCommit(rc: RepositoryContext, environment: EnvironmentConfig): Promise<DeploymentRecord | undefined> {
  const { store } = await openEnvironment(rc, environment);
  try {
    return await store.lastSuccessfulDeployment();
  } finally {
    await store.close();
  }
}

export interface PromoteRequest {
  from: EnvironmentConfig;
  to: EnvironmentConfig;
  mode?: RestoreMode;
  dryRun?: boolean;
  actor?: string;
  lockTimeoutMs?: number;
  onProgress?: (phase: string, done: number, total: number) => void;
}

/** Deploys to `to` exactly the commit `from` has. `to` must follow `from` in the chain. */
export async function promoteEnvironment(rc: RepositoryContext, req: PromoteRequest): Promise<DeployOutcome> {
  const { config } = rc.repo;
  const [from, to] = [req.from.name, req.to.name];
  const next = nextEnvironment(config, from);
  if (next?.name !== to) {
    throw new FerryError('FERRY_E_CHAIN', `Cannot promote ${from} to ${to}: ${next ? `${from} promotes to ${next.name}` : `${from} is the last environment`}`, {
      hint: `The chain is ${config.environments.map((e) => e.name).join(' → ')}; promote one step at a time.`,
    });
  }
  const last = await deployedCommit(rc, req.from);
  if (!last?.toCommit) {
    throw new FerryError('FERRY_E_NOT_FOUND', `${from} has no deployed commit to promote`, {
      hint: `Deploy a commit to ${from} first (\`ferry deploy --env ${from}\`). Working-tree deployments cannot be promoted.`,
    });
  }
  return deployEnvironment(rc, {
    environment: req.to,
    ref: last.toCommit,
    mode: req.mode,
    dryRun: req.dryRun,
    actor: req.actor,
    lockTimeoutMs: req.lockTimeoutMs,
    message: `promote ${from} → ${to}`,
    onProgress: req.onProgress,
  });
}

/**
 * Resolves a rollback target: `#3` or `3` (a deployment id of that environment), a tag, or any
 * revision. Returns the commit.
 */
export async function resolveRollbackTarget(rc: RepositoryContext, environment: EnvironmentConfig, to: string): Promise<{ commit: string; label: string }> {
  const env = environment.name;
  const m = /^#?(\d+)$/.exec(to);
  if (m) {
    const { store } = await openEnvironment(rc, environment);
    try {
      const d = await store.getDeployment(Number(m[1]));
      if (d?.toCommit && d.environment === env) return { commit: d.toCommit, label: `deployment #${d.id}` };
      if (d && !d.toCommit) throw new FerryError('FERRY_E_NOT_FOUND', `Deployment #${d.id} of ${env} deployed a working tree, not a commit: it cannot be rolled back to`);
      if (to.startsWith('#')) throw new FerryError('FERRY_E_NOT_FOUND', `${env} has no deployment ${to}`, { hint: `List them with \`ferry history --env ${env}\`.` });
    } finally {
      await store.close();
    }
  }
  const git = await openRepositoryGit(rc);
  try {
    return { commit: await git.resolveRevision(to), label: to };
  } finally {
    await git.close();
  }
}

export interface EnvironmentStatus {
  name: string;
  from?: string;
  store: string;
  /** The last successful deployment (or no-op): its to-commit is what the environment runs. */
  /**
   * SQLite stores: the file, whether it lies outside the repository (allowed, but worth seeing),
   * and the `synchronous` level commits use (FULL with `durable: true`).
   */
  storage?: { file: string; outsideRepository: boolean; synchronous: 'NORMAL' | 'FULL' };
  deployed?: DeploymentRecord;
  /**
   * The last deployment that wrote what the environment holds (status `succeeded`). Later no-ops
   * (the same content again, or a commit that changed nothing in the repository folder) only
   * moved the deployed commit; they are in `ferry history`.
   */
  producedBy?: DeploymentRecord;
  commit?: { sha: string; subject: string; tags: string[] };
  /** Relative to the predecessor environment's deployed commit. */
  behind?: { commits: number; objects: number; predecessor: string };
  lastAttempt?: DeploymentRecord;
  drift: { changed: StoredObjectInfo[]; added: StoredObjectInfo[]; deleted: StoredObjectInfo[] };
  /** Set when the environment's store could not be reached; the other fields are then empty. */
  error?: { code: string; message: string; hint: string };
}

/** How many recent deployments status looks through for the one that produced the content (no-ops in between). */
const PRODUCED_BY_SEARCH = 200;

/** Where each environment stands: deployed commit, how far behind its predecessor, drift. */
export async function environmentStatus(rc: RepositoryContext, opts: { environment?: EnvironmentConfig } = {}): Promise<EnvironmentStatus[]> {
  const { repo } = rc;
  const names = opts.environment ? [opts.environment.name] : repo.config.environments.map((e) => e.name);
  const git = await openRepositoryGit(rc).catch(() => undefined);
  const deployedBy = new Map<string, DeploymentRecord | undefined>();
  const out: EnvironmentStatus[] = [];
  try {
    for (const environment of repo.config.environments) {
      const name = environment.name;
      if (!names.includes(name) && !names.includes(nextEnvironment(repo.config, name)?.name ?? '')) continue;
      let store: Store;
      try {
        ({ store } = await openEnvironment(rc, environment));
      } catch (e) {
        // One environment down must not hide where the others stand.
        if (!(e instanceof FerryError) || (e.code !== 'FERRY_E_UNREACHABLE' && e.code !== 'FERRY_E_STORE')) throw e;
        if (names.includes(name)) {
          out.push({ name, from: environment.from, store: redactUrl(environment.store), ...storageOf(repo.root, environment), drift: { changed: [], added: [], deleted: [] }, error: { code: e.code, message: e.message, hint: e.hint } });
        }
        continue;
      }
      try {
        const deployed = await store.lastSuccessfulDeployment();
        deployedBy.set(name, deployed);
        if (!names.includes(name)) continue;
        const recent = await store.deployments({ limit: PRODUCED_BY_SEARCH });
        const lastAttempt = recent[0];
        const producedBy = deployed?.status === 'succeeded' ? deployed : recent.find((d) => d.status === 'succeeded');
        const drift = await store.drift();
        const status: EnvironmentStatus = { name, from: environment.from, store: redactUrl(environment.store), ...storageOf(repo.root, environment), deployed, producedBy, lastAttempt, drift };
        if (deployed?.toCommit && git) {
          const info = await git.commitInfo(deployed.toCommit).catch(() => undefined);
          if (info) status.commit = { sha: info.sha, subject: info.subject, tags: await git.tagsPointingAt(info.sha) };
        }
        const prev = previousEnvironment(repo.config, name);
        const prevCommit = prev ? deployedBy.get(prev.name)?.toCommit : undefined;
        if (prev && prevCommit && git) {
          const mine = deployed?.toCommit;
          const commits = mine ? await git.countCommits(mine, prevCommit).catch(() => 0) : await git.countCommits('', prevCommit).catch(() => 0);
          const objects = mine && mine !== prevCommit ? (await git.diffTrees(mine, prevCommit, repo.config.folder)).filter((d) => d.path.endsWith('.yaml')).length : mine ? 0 : -1;
          status.behind = { commits, objects, predecessor: prev.name };
        }
        out.push(status);
      } finally {
        await store.close();
      }
    }
  } finally {
    await git?.close();
  }
  return out;
}

export async function environmentHistory(rc: RepositoryContext, opts: { environment: EnvironmentConfig; limit?: number }): Promise<DeploymentRecord[]> {
  const { store } = await openEnvironment(rc, opts.environment);
  try {
    return await store.deployments({ limit: opts.limit ?? 20 });
  } finally {
    await store.close();
  }
}

export interface MigrationReport {
  environment: string;
  /** The store URL, password hidden. */
  store: string;
  from: number;
  to: number;
  applied: { version: number; description: string }[];
}

/**
 * `ferry migrate --env E`: opens the environment's local store, which brings its schema up to
 * date (every open does; this does it on purpose, e.g. before starting replicas), and says what ran.
 */
export async function migrateEnvironment(rc: RepositoryContext, opts: { environment: EnvironmentConfig }): Promise<MigrationReport> {
  const { environment, store } = await openEnvironment(rc, opts.environment);
  try {
    const m = (store as Store & { migration?: { from: number; to: number; applied: readonly { version: number; description: string }[] } }).migration;
    if (!m) {
      throw new FerryError('FERRY_E_STORE_URL', `${environment.name}'s store ${redactUrl(store.url)} is not a local store: migrate it where it runs (\`ferry migrate\` on the instance machine).`, {
        data: { environment: environment.name },
      });
    }
    return { environment: environment.name, store: redactUrl(store.url), from: m.from, to: m.to, applied: m.applied.map((a) => ({ version: a.version, description: a.description })) };
  } finally {
    await store.close();
  }
}

/** `{ storage }` for a SQLite environment, `{}` for others. */
function storageOf(root: string, environment: { store: string; durable?: boolean }): Pick<EnvironmentStatus, 'storage'> {
  const file = sqliteFileOf(environment.store, root);
  if (!file) return {};
  return { storage: { file, outsideRepository: isOutside(root, file), synchronous: environment.durable ? 'FULL' : 'NORMAL' } };
}
