import { threadId, Worker } from 'node:worker_threads';
import { ERROR_CATALOG, FerryError, type ErrorCode } from '../../errors/index.js';
import type { DeploymentRecord } from '../../model/index.js';
import type { SyncTask, WireError } from '../protocol.js';

/** Where the restore thread finds the store: the same URL (and options) `ferry serve` opened it with. */
export interface StoreLocation {
  url: string;
  /** Folder a relative `sqlite:PATH` is resolved against. */
  cwd: string;
  durable?: boolean;
  /** Environment variables, for stores that read them (never logged). */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * What the thread opens: the store, and the instance state of its tasks (its own connection to
 * it): the store's own (PostgreSQL), else the task database file.
 */
export interface RestoreThreadData extends StoreLocation {
  tasksFile?: string;
  environment: string;
}

/** A received package to check and queue (its body moved, not copied, to the thread). */
export interface AcceptJob {
  id: number;
  op: 'accept';
  body: ArrayBuffer;
  receivedAt: string;
  /** What the signed request line said the package is; the body must agree. */
  deploymentId?: number;
  packageKey?: string;
}

/** A queued task to apply: the thread reads its package from the instance state. */
export interface CommitJob {
  id: number;
  op: 'commit';
  taskId: number;
}

/**
 * The task steps that must run on the state that queued the task (on PostgreSQL the thread's
 * session holds the owner lock of every task it queued): claim the next one, record how one
 * ended, list the unfinished ones.
 */
export type TaskStateJob =
  | { id: number; op: 'claim'; at: string }
  | { id: number; op: 'finish'; taskId: number; at: string; deployment?: DeploymentRecord; error?: WireError }
  | { id: number; op: 'unfinished' };

export type RestoreJob = AcceptJob | CommitJob | TaskStateJob;

export type RestoreReply =
  | { id: number; ok: true; task?: SyncTask; tasks?: SyncTask[]; deployment?: DeploymentRecord; threadId: number }
  | { id: number; ok: false; error: WireError; ferry: boolean };

/** The first message of the thread: its store is open (or why not). */
export type RestoreReady = { ready: true } | { ready: false; error: WireError };

/**
 * Commits packages on a worker thread with its OWN store connection, opened through `openStore`
 * from the same URL as the instance's store (so it fits any store the instance can serve, not
 * only SQLite). The request thread never runs a restore's transaction: `/healthz`, the delivery
 * and the Sync API keep answering while thousands of writes are applied. All-or-nothing is the
 * store's own: the thread calls the very same `commitDeployment`, one transaction per package.
 * Receiving is the thread's too: a package (megabytes of JSON) is parsed, checked and written to
 * the instance state (the task file, fsync'd, or the PostgreSQL tables) there, and the request
 * thread only ever sees the task row.
 */
export class RestoreThread {
  private worker?: Worker;
  private ready?: Promise<Worker>;
  private readonly waiting = new Map<number, { resolve(r: Extract<RestoreReply, { ok: true }>): void; reject(e: unknown): void }>();
  private nextId = 1;
  /** Thread id of the last commit (for logs: it is not the request thread's). */
  lastThreadId = threadId;

  constructor(private readonly data: RestoreThreadData) {}

  /** Starts the thread and opens its store; rejects with the store's error when it cannot. */
  async start(): Promise<void> {
    await this.started();
  }

  private started(): Promise<Worker> {
    this.ready ??= new Promise<Worker>((resolve, reject) => {
      const worker = new Worker(new URL('./restore-thread-entry.js', import.meta.url), { workerData: this.data });
      this.worker = worker;
      worker.once('message', (m: RestoreReady) => {
        if (m.ready) {
          worker.on('message', (r: RestoreReply) => this.settle(r));
          resolve(worker);
        } else reject(errorFromWire(m.error));
      });
      worker.on('error', (e) => this.fail(e, reject));
      worker.on('exit', (code) => this.fail(new Error(`the restore thread exited (code ${code})`), reject));
    });
    return this.ready;
  }

  /**
   * Parses and checks a received package on the thread and queues it as a task (one task per
   * package key: the same key again answers its existing task). FERRY_E_USAGE for a malformed one.
   */
  async accept(body: Buffer, p: { receivedAt: string; deploymentId?: number; packageKey?: string }): Promise<SyncTask> {
    // The received bytes usually own their buffer (one concat): moved, not copied.
    const own = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength && body.buffer instanceof ArrayBuffer;
    const buffer = own ? body.buffer : new Uint8Array(body).slice().buffer;
    const { task } = await this.run({ id: this.nextId++, op: 'accept', body: buffer, ...p }, [buffer]);
    if (!task) throw new FerryError('FERRY_E_INTERNAL', 'The restore thread accepted a package without answering its task.');
    return task;
  }

  /** Applies a queued task's package on the thread (one transaction); resolves with the deployment record. */
  async commit(taskId: number): Promise<DeploymentRecord> {
    const { deployment } = await this.run({ id: this.nextId++, op: 'commit', taskId });
    if (!deployment) throw new FerryError('FERRY_E_INTERNAL', `The restore thread committed task #${taskId} without answering its deployment.`);
    return deployment;
  }

  /** Claims the oldest task this thread queued (InstanceState.claimNext, on the thread's state). */
  async claimNext(at: string): Promise<SyncTask | undefined> {
    return (await this.run({ id: this.nextId++, op: 'claim', at })).task;
  }

  /** Records how a task ended, on the thread's state (which releases its owner lock there). */
  async finish(taskId: number, at: string, outcome: { deployment: DeploymentRecord } | { error: WireError }): Promise<void> {
    await this.run({ id: this.nextId++, op: 'finish', taskId, at, ...outcome });
  }

  /** The unfinished tasks the thread's state owns (InstanceState.ownUnfinished). */
  async ownUnfinished(): Promise<SyncTask[]> {
    return (await this.run({ id: this.nextId++, op: 'unfinished' })).tasks ?? [];
  }

  private async run(job: RestoreJob, transfer: ArrayBuffer[] = []): Promise<Extract<RestoreReply, { ok: true }>> {
    const worker = await this.started();
    return new Promise((resolve, reject) => {
      this.waiting.set(job.id, { resolve, reject });
      worker.postMessage(job, transfer);
    });
  }

  /** Closes the thread's store and ends the thread (after the commit in progress, if any). */
  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    await this.ready?.catch(() => undefined);
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage('close');
    await exited;
  }

  private settle(r: RestoreReply): void {
    const p = this.waiting.get(r.id);
    this.waiting.delete(r.id);
    if (!p) return;
    if (r.ok) {
      this.lastThreadId = r.threadId;
      p.resolve(r);
    } else p.reject(r.ferry ? errorFromWire(r.error) : new Error(r.error.message));
  }

  /** The thread died: every waiting commit fails (its transaction never committed), and the next commit starts a new thread. */
  private fail(e: unknown, rejectStart: (e: unknown) => void): void {
    rejectStart(e);
    for (const p of this.waiting.values()) p.reject(e);
    this.waiting.clear();
    this.worker = undefined;
    this.ready = undefined;
  }
}

/** The thread's FerryError again, as it was (no prefix: the task reports it as the store's). */
function errorFromWire(w: WireError): FerryError {
  const code = isErrorCode(w.code) ? w.code : 'FERRY_E_INTERNAL';
  return new FerryError(code, w.message, { hint: w.hint, data: w.data, diagnostics: w.diagnostics });
}

function isErrorCode(code: string): code is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ERROR_CATALOG, code);
}
