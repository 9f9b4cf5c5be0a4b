import type { DeploymentRecord } from '../../model/index.js';
import type { SyncTask, WireError } from '../protocol.js';
import type { InstanceState, NewTask } from './instance-state.js';
import type { LeaseRecords } from './lease-records.js';
import type { RestoreThread } from './restore-thread.js';

/**
 * The instance state as the request thread sees it when packages are restored on the restore
 * thread. The thread queues every package on its OWN connection to the state (on PostgreSQL its
 * session holds each task's owner lock), so the steps that belong to the task's owner — queue,
 * claim, finish, list its unfinished tasks — go to the thread; reads, nonces, leases and the
 * settling of other replicas' orphans use the request thread's connection.
 */
export class ThreadTaskState implements InstanceState {
  constructor(
    private readonly local: InstanceState,
    private readonly thread: Pick<RestoreThread, 'accept' | 'claimNext' | 'finish' | 'ownUnfinished'>,
  ) {}

  get location(): string {
    return this.local.location;
  }

  get shared(): boolean {
    return this.local.shared;
  }

  get leases(): LeaseRecords {
    return this.local.leases;
  }

  /** Queued by the thread, which parses and checks the body itself (the counts come from it). */
  insert(t: NewTask): Promise<SyncTask> {
    return this.thread.accept(t.body, { receivedAt: t.receivedAt, deploymentId: t.deploymentId, packageKey: t.packageKey });
  }

  byPackageKey(key: string): Promise<SyncTask | undefined> {
    return this.local.byPackageKey(key);
  }

  get(id: number): Promise<SyncTask | undefined> {
    return this.local.get(id);
  }

  list(limit: number): Promise<SyncTask[]> {
    return this.local.list(limit);
  }

  claimNext(at: string): Promise<SyncTask | undefined> {
    return this.thread.claimNext(at);
  }

  packageOf(id: number): Promise<Buffer | undefined> {
    return this.local.packageOf(id);
  }

  orphaned(): Promise<SyncTask[]> {
    return this.local.orphaned();
  }

  ownUnfinished(): Promise<SyncTask[]> {
    return this.thread.ownUnfinished();
  }

  hasPendingFor(deploymentId: number): Promise<boolean> {
    return this.local.hasPendingFor(deploymentId);
  }

  markCompleted(id: number, deployment: DeploymentRecord, at: string): Promise<void> {
    return this.thread.finish(id, at, { deployment });
  }

  markFailed(id: number, error: WireError, at: string): Promise<void> {
    return this.thread.finish(id, at, { error });
  }

  cleanup(before: string): Promise<number> {
    return this.local.cleanup(before);
  }

  rememberNonce(nonce: string, expiresAt: number, now: number): Promise<'ok' | 'replayed' | 'full'> {
    return this.local.rememberNonce(nonce, expiresAt, now);
  }

  /** Closes the request thread's connection; the thread closes its own (RestoreThread.close). */
  close(): Promise<void> {
    return this.local.close();
  }
}
