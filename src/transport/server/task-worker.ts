import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { FerryError } from '../../errors/index.js';
import { OBJECT_KINDS, type DeploymentRecord, type Store, type StoreWrite } from '../../model/index.js';
import { toWireError, type SyncPackage, type SyncTask, type WireError } from '../protocol.js';
import type { Logger } from './log.js';
import type { InstanceState } from './instance-state.js';
import type { RestoreThread } from './restore-thread.js';

export interface TaskWorkerOptions {
  db: InstanceState;
  store: Store;
  environment: string;
  now: () => Date;
  log: Logger;
  /**
   * Commits packages on this thread (see restore-thread.ts) instead of the request thread: the
   * instance keeps answering during a restore. Without it the store commits in this thread. With
   * it, `db` is the thread's view of the state (ThreadTaskState): the thread claims and finishes
   * the tasks it queued.
   */
  restoreThread?: Pick<RestoreThread, 'commit' | 'lastThreadId'>;
  /** Test hooks: wait this long inside the task step BEFORE the store commit (abortable). */
  delayBeforeCommitMs?: number;
  /** Test hook: wait this long AFTER the commit, before the task is marked Completed. */
  delayAfterCommitMs?: number;
}

const INTERRUPTED_HINT = 'Deploy again: the store is exactly as it was before this task.';

/**
 * Applies queued packages one at a time, in arrival order, each with the store's ONE
 * transaction (`commitDeployment`). A task is Queued → Restoring → Completed | Failed; the
 * store's deployment record is the truth about whether it was applied, which is how a task left
 * Restoring by a crash is settled on the next start.
 */
export class TaskWorker {
  private readonly events = new EventEmitter();
  private running?: Promise<void>;
  /** A kick arrived while draining: look again when done. */
  private again = false;
  private sweeper?: NodeJS.Timeout;
  private stopping = false;
  private readonly abort = new AbortController();

  constructor(private readonly o: TaskWorkerOptions) {
    this.events.setMaxListeners(0);
  }

  /**
   * Settles what a previous run left unfinished. A task found Restoring whose deployment is
   * recorded succeeded was committed just before the stop: Completed. Any other unfinished task
   * (Restoring or Queued) is Failed, never retried: its transaction never committed, so the store
   * is untouched, and a retry could apply an old package after a newer one.
   */
  async recover(): Promise<void> {
    const at = this.o.now().toISOString();
    for (const t of await this.o.db.orphaned()) {
      const d = await this.o.store.getDeployment(t.deploymentId);
      if (t.status === 'Restoring' && d && (d.status === 'succeeded' || d.status === 'no-op')) {
        await this.o.db.markCompleted(t.id, d, at);
        this.log(t.id, 'recovered', { status: 'Completed', deployment: d.id, note: 'committed before the instance stopped' });
        continue;
      }
      const message = `Interrupted: the instance stopped while the task was ${t.status}; its transaction never committed, so nothing was applied.`;
      await this.o.db.markFailed(t.id, { code: 'FERRY_E_UNREACHABLE', message, hint: INTERRUPTED_HINT }, at);
      if (d?.status === 'running') await this.o.store.failDeployment(d.id, [], `task #${t.id} interrupted by an instance restart; nothing was applied`, at).catch(() => undefined);
      this.log(t.id, 'recovered', { status: 'Failed', deployment: t.deploymentId, was: t.status });
    }
  }

  /** Starts working through the queue unless already busy. */
  kick(): void {
    if (this.stopping) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.again = false;
    this.running = this.drain()
      .catch((e: unknown) => this.o.log('error', 'task worker', { environment: this.o.environment, error: (e as Error).message ?? String(e) }))
      .finally(() => {
        this.running = undefined;
        // A package may have arrived between the last look and the end of the loop.
        if (this.again) this.kick();
      });
  }

  /**
   * On state shared by replicas: settles, every `everyMs`, the tasks of replicas that went away
   * (see recover), and looks for work.
   */
  startSweeping(everyMs: number): void {
    if (!this.o.db.shared) return;
    this.sweeper = setInterval(() => {
      if (this.stopping) return;
      void this.recover()
        .then(() => this.kick())
        .catch(() => undefined);
    }, everyMs);
    this.sweeper.unref();
  }

  /** Resolves with the task once it is Completed or Failed, or as it is after `waitMs`. */
  async waitFor(id: number, waitMs: number, signal?: AbortSignal): Promise<SyncTask | undefined> {
    const now = await this.o.db.get(id);
    if (!now || now.status === 'Completed' || now.status === 'Failed' || waitMs <= 0) return now;
    await new Promise<void>((resolve) => {
      // Another replica may be the one restoring it: then only the shared state tells.
      const poll = this.o.db.shared
        ? setInterval(() => {
            void this.o.db.get(id).then((t) => (t && (t.status === 'Completed' || t.status === 'Failed') ? done() : undefined), () => undefined);
          }, 250)
        : undefined;
      const done = () => {
        clearTimeout(timer);
        if (poll) clearInterval(poll);
        this.events.off(`finished:${id}`, done);
        this.events.off('stopped', done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, waitMs);
      this.events.on(`finished:${id}`, done);
      this.events.on('stopped', done);
      signal?.addEventListener('abort', done);
    });
    return this.o.db.get(id);
  }

  /** Whether a queued or restoring task holds this deployment's package. */
  async hasPendingFor(deploymentId: number): Promise<boolean> {
    return this.o.db.hasPendingFor(deploymentId);
  }

  /**
   * Graceful stop: a task waiting before its commit is abandoned (Failed, store untouched); a
   * commit in progress finishes; queued tasks are failed so their clients hear it now.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.sweeper) clearInterval(this.sweeper);
    this.abort.abort();
    await this.running;
    const at = this.o.now().toISOString();
    for (const t of await this.o.db.ownUnfinished()) {
      const message = 'Abandoned: the instance shut down before applying this package; nothing was applied.';
      await this.o.db.markFailed(t.id, { code: 'FERRY_E_UNREACHABLE', message, hint: INTERRUPTED_HINT }, at);
      await this.o.store.failDeployment(t.deploymentId, [], `task #${t.id} abandoned at shutdown; nothing was applied`, at).catch(() => undefined);
      this.log(t.id, 'abandoned', { deployment: t.deploymentId });
      this.events.emit(`finished:${t.id}`);
    }
    this.events.emit('stopped');
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.stopping) return;
      const task = await this.o.db.claimNext(this.o.now().toISOString());
      if (!task) return;
      // An abandoned task is settled (and announced) by stop().
      if (await this.apply(task)) this.events.emit(`finished:${task.id}`);
    }
  }

  /** Applies one task; false when it was abandoned for a shutdown (left for stop() to settle). */
  private async apply(task: SyncTask): Promise<boolean> {
    const { db, store } = this.o;
    const started = performance.now();
    this.log(task.id, 'restoring', { deployment: task.deploymentId, writes: task.writes, events: task.events, bytes: task.bytes });
    try {
      const thread = this.o.restoreThread;
      let commit: () => Promise<DeploymentRecord>;
      // Off the request thread the package is read and parsed there; here it is checked before waiting.
      if (thread) commit = () => thread.commit(task.id);
      else {
        const pkg = parsePackage(await db.packageOf(task.id));
        commit = () => store.commitDeployment(pkg.deploymentId, pkg.writes, pkg.events, pkg.counts, pkg.finishedAt, pkg.status);
      }
      if (this.o.delayBeforeCommitMs) await sleep(this.o.delayBeforeCommitMs, undefined, { signal: this.abort.signal });
      if (this.stopping) throw new AbandonedError();
      const deployment = await commit();
      if (this.o.delayAfterCommitMs) {
        this.log(task.id, 'committed', { deployment: deployment.id });
        await sleep(this.o.delayAfterCommitMs);
      }
      await db.markCompleted(task.id, deployment, this.o.now().toISOString());
      this.log(task.id, 'completed', { deployment: deployment.id, status: deployment.status, ms: Math.round(performance.now() - started), ...(thread ? { thread: thread.lastThreadId } : {}) });
      return true;
    } catch (e) {
      if (e instanceof AbandonedError || (e as Error).name === 'AbortError') {
        // Left Queued-or-Restoring for stop() to fail with the deployment record.
        this.log(task.id, 'abandoning', { deployment: task.deploymentId });
        return false;
      }
      const error: WireError =
        e instanceof FerryError ? toWireError(e) : { code: 'FERRY_E_INTERNAL', message: `Task #${task.id} failed unexpectedly: ${(e as Error).message ?? String(e)}` };
      await db.markFailed(task.id, error, this.o.now().toISOString());
      this.log(task.id, 'failed', { deployment: task.deploymentId, code: error.code, error: error.message, ms: Math.round(performance.now() - started) }, 'warn');
      return true;
    }
  }

  private log(task: number, step: string, fields: Record<string, unknown>, level: 'info' | 'warn' = 'info'): void {
    this.o.log(level, 'task', { task, step, environment: this.o.environment, ...fields });
  }
}

class AbandonedError extends Error {}

/** Parses and shape-checks a stored package (the store checks each object as it writes it). */
export function parsePackage(body: Buffer | undefined): SyncPackage {
  if (!body) throw new FerryError('FERRY_E_INTERNAL', 'The task has no package body.');
  let v: unknown;
  try {
    v = JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw new FerryError('FERRY_E_USAGE', `The package is not valid JSON: ${(e as Error).message}`);
  }
  return checkPackageShape(v);
}

/** An idempotency key: what a nonce may be, too. */
export const PACKAGE_KEY_RE = /^[A-Za-z0-9_-]{16,128}$/;

export function checkPackageShape(v: unknown): SyncPackage {
  const bad = (why: string) => new FerryError('FERRY_E_USAGE', `Malformed package: ${why}.`);
  if (typeof v !== 'object' || v === null) throw bad('not an object');
  const p = v as Partial<SyncPackage>;
  if (!Number.isSafeInteger(p.deploymentId)) throw bad('deploymentId must be an integer');
  if (!Array.isArray(p.writes)) throw bad('writes must be an array');
  if (!Array.isArray(p.events)) throw bad('events must be an array');
  if (typeof p.counts !== 'object' || p.counts === null) throw bad('counts must be an object');
  if (typeof p.finishedAt !== 'string') throw bad('finishedAt must be an ISO timestamp');
  if (p.status !== 'succeeded' && p.status !== 'no-op') throw bad('status must be succeeded or no-op');
  if (p.packageKey !== undefined && (typeof p.packageKey !== 'string' || !PACKAGE_KEY_RE.test(p.packageKey))) throw bad('packageKey must be 16–128 URL-safe characters');
  const kinds = new Set<string>(OBJECT_KINDS);
  p.writes.forEach((w: StoreWrite, i: number) => {
    if (typeof w !== 'object' || w === null) throw bad(`write ${i + 1} is not an object`);
    if (w.op === 'put') {
      if (typeof w.object !== 'object' || w.object === null || typeof w.path !== 'string' || typeof w.sourceHash !== 'string') throw bad(`write ${i + 1} (put) needs object, path and sourceHash`);
    } else if (w.op === 'delete') {
      if (typeof w.key !== 'string' || !kinds.has(w.kind)) throw bad(`write ${i + 1} (delete) needs a key and a known kind`);
    } else throw bad(`write ${i + 1} has unknown op ${JSON.stringify((w as { op?: unknown }).op)}`);
  });
  return p as SyncPackage;
}
