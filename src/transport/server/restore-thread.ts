import { threadId, Worker } from 'node:worker_threads';
import { ERROR_CATALOG, FerryError, type ErrorCode } from '../../errors/index.js';
import type { DeploymentRecord } from '../../model/index.js';
import type { WireError } from '../protocol.js';

/** Where the restore thread finds the store: the same URL (and options) `ferry serve` opened it with. */
export interface StoreLocation {
  url: string;
  /** Folder a relative `sqlite:PATH` is resolved against. */
  cwd: string;
  durable?: boolean;
  /** Environment variables, for stores that read them (never logged). */
  env?: Readonly<Record<string, string | undefined>>;
}

/** A package to commit: its body bytes, moved (not copied) to the thread. */
export interface RestoreJob {
  id: number;
  body: ArrayBuffer;
}

export type RestoreReply =
  | { id: number; ok: true; deployment: DeploymentRecord; threadId: number }
  | { id: number; ok: false; error: WireError; ferry: boolean };

/** The first message of the thread: its store is open (or why not). */
export type RestoreReady = { ready: true } | { ready: false; error: WireError };

/**
 * Commits packages on a worker thread with its OWN store connection, opened through `openStore`
 * from the same URL as the instance's store (so it fits any store the instance can serve, not
 * only SQLite). The request thread never runs a restore's transaction: `/healthz`, the delivery
 * and the Sync API keep answering while thousands of writes are applied. All-or-nothing is the
 * store's own: the thread calls the very same `commitDeployment`, one transaction per package.
 * Packages are parsed on the thread as well (a large package is megabytes of JSON).
 */
export class RestoreThread {
  private worker?: Worker;
  private ready?: Promise<void>;
  private readonly waiting = new Map<number, { resolve(d: DeploymentRecord): void; reject(e: unknown): void }>();
  private nextId = 1;
  /** Thread id of the last commit (for logs: it is not the request thread's). */
  lastThreadId = threadId;

  constructor(private readonly location: StoreLocation) {}

  /** Starts the thread and opens its store; rejects with the store's error when it cannot. */
  start(): Promise<void> {
    this.ready ??= new Promise<void>((resolve, reject) => {
      const worker = new Worker(new URL('./restore-thread-entry.js', import.meta.url), { workerData: this.location });
      this.worker = worker;
      worker.once('message', (m: RestoreReady) => {
        if (m.ready) {
          worker.on('message', (r: RestoreReply) => this.settle(r));
          resolve();
        } else reject(errorFromWire(m.error));
      });
      worker.on('error', (e) => this.fail(e, reject));
      worker.on('exit', (code) => this.fail(new Error(`the restore thread exited (code ${code})`), reject));
    });
    return this.ready;
  }

  /** Parses, checks and commits one package body on the thread; resolves with the deployment record. */
  async commit(body: Uint8Array): Promise<DeploymentRecord> {
    await this.start();
    const copy = new ArrayBuffer(body.byteLength);
    new Uint8Array(copy).set(body);
    const id = this.nextId++;
    return new Promise<DeploymentRecord>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      const job: RestoreJob = { id, body: copy };
      this.worker!.postMessage(job, [copy]);
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
      p.resolve(r.deployment);
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
