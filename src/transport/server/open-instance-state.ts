import { FerryError } from '../../errors/index.js';
import type { Store } from '../../model/index.js';
import type { InstanceState } from './instance-state.js';
import { TaskDb } from './task-db.js';

/**
 * The instance state for a store: the store's own when it keeps one (PostgreSQL: shared by
 * replicas), else the SQLite task file beside it. Used by the instance and by its restore thread,
 * so both open the same state for one store URL.
 */
export async function openInstanceState(store: Store, o: { environment: string; tasksFile?: string; nonceCapacity?: number }): Promise<InstanceState> {
  // PostgreSQL stores keep the state replicas share; the module (and the pg driver) loads only for them.
  if (/^postgres(ql)?:/i.test(store.url)) {
    const { PostgresStore } = await import('../../store/postgres/postgres-store.js');
    if (store instanceof PostgresStore) return store.openInstanceState(o.environment, { nonceCapacity: o.nonceCapacity });
  }
  if (!o.tasksFile) throw new FerryError('FERRY_E_USAGE', `The store of ${o.environment} keeps no task state: pass a task database file (--tasks-db).`);
  return new TaskDb(o.tasksFile, { environment: o.environment }, o.nonceCapacity);
}
