export { RemoteStore, assertSameFormat, type RemoteStoreOptions } from './client/remote-store.js';
export { SyncClient, parseInstanceUrl, type SyncClientOptions, type SyncResponse, type SendOptions } from './client/sync-client.js';
export { openRemoteStore, CA_FILE_ENV } from './client/open-remote-store.js';
export {
  startInstanceServer,
  DEFAULT_LIMITS,
  DEFAULT_LEASE_MS,
  DEFAULT_TASK_RETENTION_MS,
  type InstanceServer,
  type InstanceServerOptions,
  type DeliveryHandler,
} from './server/instance-server.js';
export type { SyncLimits } from './server/sync-routes.js';
export { createJsonLogger, redactQuery, type Logger, type LogLevel } from './server/log.js';
export {
  SYNC_PREFIX,
  SYNC_PROTOCOL_VERSION,
  LEASE_HEADER,
  TASK_STATUSES,
  type CheckResponse,
  type StateResponse,
  type SyncPackage,
  type SyncTask,
  type TaskStatus,
  type WireError,
} from './protocol.js';
export { SIGNATURE_HEADERS, DEFAULT_CLOCK_SKEW_MS, EMPTY_BODY_SHA256, canonicalRequest, signRequest, signatureMatches } from './signing.js';
export { DEFAULT_SECRET_ENV, MIN_SECRET_LENGTH, readSyncSecret } from './secret.js';
export { isLoopbackHost } from './loopback.js';
export { parseDuration } from './duration.js';
export * from './delivery/index.js';
