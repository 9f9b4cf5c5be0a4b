export { createDeliveryHandler, type DeliveryHandlerOptions } from './delivery-handler.js';
export { checkCredentials, type DeliveryCredentials } from './credentials.js';
export { DeliveryError, ERROR_CODES as DELIVERY_ERROR_CODES } from './delivery-error.js';
export type { DeliveryReads } from './delivery-reads.js';
export { SyncService, SYNC_PAGE_SIZE, type SyncItem, type SyncPage, type SyncServiceOptions } from './sync-service.js';
export { encodeToken, decodeToken, type SyncFilters, type TokenState, type InitCursor } from './sync-token.js';
export { parseSyncRequest, type SyncRequest, type RequestedFilters } from './sync-request.js';
export { entryData, assetData, assetUrl, ASSETS_CONTENT_TYPE_UID, type ShapeContext } from './contentstack-shape.js';
export { parseRange, ifNoneMatchHits, ifRangeHolds } from './http-range.js';
