import type { DeploymentCounts, DeploymentRecord } from '../../model/index.js';
import type { SyncTask, WireError } from '../protocol.js';
import type { LeaseRecords } from './lease-records.js';

/**
 * What `ferry serve` keeps beyond the store's content: synchronization tasks (each with its
 * package until it finishes) and the nonces of signed requests. Two implementations:
 *
 * - `TaskDb` (task-db.ts): a SQLite file beside a SQLite store, for one instance process;
 * - `PgInstanceState` (src/store/postgres/instance-state.ts): tables in the PostgreSQL store's
 *   database, shared by every replica of the environment.
 *
 * An accepted package is durable before the client hears so; exactly one process restores it.
 */
export interface InstanceState {
  /** Where the state lives (for the log): a file, or the redacted database URL. */
  readonly location: string;
  /** Whether other processes (replicas) share this state: then tasks finish elsewhere too, and orphans are swept while running. */
  readonly shared: boolean;
  /** Queues a package; one task per package key: a key already known answers its task, nothing is inserted. */
  insert(t: NewTask): Promise<SyncTask>;
  /** The task of the package with this idempotency key (kept as long as the task is). */
  byPackageKey(key: string): Promise<SyncTask | undefined>;
  get(id: number): Promise<SyncTask | undefined>;
  /** Newest first. */
  list(limit: number): Promise<SyncTask[]>;
  /**
   * Takes the oldest task this process may restore, Queued → Restoring, when no older task is
   * still unfinished (so packages apply in arrival order); undefined when there is none. Only one
   * caller, in any process, gets a given task.
   */
  claimNext(at: string): Promise<SyncTask | undefined>;
  /** The package body of an unfinished task (dropped once it finishes). */
  packageOf(id: number): Promise<Buffer | undefined>;
  /**
   * Unfinished tasks (Queued or Restoring) whose process is gone, to be settled: on a SQLite file,
   * every unfinished task at start; on PostgreSQL, those whose receiving replica is no longer
   * connected.
   */
  orphaned(): Promise<SyncTask[]>;
  /** Unfinished tasks this process owns (stop() fails them). */
  ownUnfinished(): Promise<SyncTask[]>;
  /** Whether a queued or restoring task exists for the deployment. */
  hasPendingFor(deploymentId: number): Promise<boolean>;
  markCompleted(id: number, deployment: DeploymentRecord, at: string): Promise<void>;
  markFailed(id: number, error: WireError, at: string): Promise<void>;
  /** Deletes finished tasks older than `before` (ISO); returns how many. */
  cleanup(before: string): Promise<number>;
  /**
   * Remembers a signed request's nonce until `expiresAt` (ms): 'replayed' when it is known and
   * unexpired (in any process, before or after a restart), 'full' when too many live nonces are
   * held, else 'ok'.
   */
  rememberNonce(nonce: string, expiresAt: number, now: number): Promise<'ok' | 'replayed' | 'full'>;
  /** The deployment lease in force (lease-lock.ts): in memory for one process, shared by replicas on PostgreSQL. */
  readonly leases: LeaseRecords;
  close(): Promise<void>;
}

export interface NewTask {
  deploymentId: number;
  /** The client's idempotency key for the package (GET /api/sync/packages/:key). */
  packageKey?: string;
  receivedAt: string;
  counts: DeploymentCounts;
  writes: number;
  events: number;
  body: Buffer;
}
