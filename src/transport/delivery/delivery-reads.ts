import type { Store } from '../../model/index.js';
import type { SqliteDeliveryReads } from '../../store/sqlite/delivery-reads.js';

/**
 * What the delivery API reads from an environment's store: the public methods of the SQLite
 * store's delivery reads (another store can serve the API by providing the same methods).
 */
export type DeliveryReads = { [K in keyof SqliteDeliveryReads]: SqliteDeliveryReads[K] };

/** The delivery reads of a store, when it has them (local SQLite stores do). */
export function deliveryReadsOf(store: Store): DeliveryReads | undefined {
  const s = store as Store & { deliveryReads?: () => DeliveryReads };
  return typeof s.deliveryReads === 'function' ? s.deliveryReads() : undefined;
}
