/** What the delivery API reads from an environment's store: the DeliveryReads port (src/model/delivery-reads.ts), from `Store.deliveryReads()`. */
export type { DeliveryReads } from '../../model/delivery-reads.js';
