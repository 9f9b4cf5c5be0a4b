import type { Store } from '../../model/index.js';
import type { DeliveryReads, HasDeliveryReads } from '../../store/delivery-reads.js';

/** What the delivery API reads from an environment's store: the DeliveryReads port (src/store/delivery-reads.ts). */
export type { DeliveryReads };

/** The delivery reads of a store, when it has them (the local SQLite and PostgreSQL stores do). */
export function deliveryReadsOf(store: Store): DeliveryReads | undefined {
  const s = store as Store & Partial<HasDeliveryReads>;
  return typeof s.deliveryReads === 'function' ? s.deliveryReads() : undefined;
}
