import type { FerryObject } from '../model/index.js';

/**
 * A hook for tests and tools, not part of the Store port: writes an object the way someone
 * editing the store by hand would (no deployment, no change log), so drift can be simulated.
 * The local stores (SQLite, PostgreSQL) have it; a remote store does not (write to the store
 * behind its server instead).
 */
export interface WritesOutsideFerry {
  writeObjectOutsideFerry(object: FerryObject): Promise<void>;
}
