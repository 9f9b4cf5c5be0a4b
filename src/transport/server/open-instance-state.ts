import { FerryError } from '../../errors/index.js';
import type { Store } from '../../model/index.js';
import type { HasInstanceState, InstanceState } from './instance-state.js';
import { TaskDb } from './task-db.js';

/**
 * The instance state for a store: the store's own when it keeps one (PostgreSQL: shared by
 * replicas), else the SQLite task file beside it. Used by the instance and by its restore thread,
 * so both open the same state for one store URL.
 */
export async function openInstanceState(store: Store, o: { environment: string; tasksFile?: string; nonceCapacity?: number }): Promise<InstanceState> {
  const s = store as Store & Partial<HasInstanceState>;
  if (typeof s.openInstanceState === 'function') return s.openInstanceState(o.environment, { nonceCapacity: o.nonceCapacity });
  if (!o.tasksFile) throw new FerryError('FERRY_E_USAGE', `The store of ${o.environment} keeps no task state: pass a task database file (--tasks-db).`);
  return new TaskDb(o.tasksFile, { environment: o.environment }, o.nonceCapacity);
}
