export { openStore, registerStoreFactory, supportedStoreSchemes, redactUrl, type OpenStoreOptions, type StoreFactory } from './open-store.js';
export { SqliteStore, type SqliteStoreOptions, type PublishedVariant, type VariantQuery } from './sqlite/sqlite-store.js';
export { MIGRATIONS, SCHEMA_VERSION, type Migration } from './sqlite/migrations.js';
export { STORE_FORMAT_VERSION } from './format-version.js';
export { BlobFolder } from './blob-folder.js';
export { assertSha256, sha256Hex } from './sha256.js';
export { variantRowsOf, type VariantRow } from './variant-rows.js';
export { describeLockHolder } from './lock-holder.js';
