import { createHash } from 'node:crypto';
import type { RepositoryConfig } from '../model/index.js';

/**
 * A digest of the config parts that decide what a deployment holds and accepts: folder, kinds,
 * filters and limits. When it differs from the last deployment's, the next plan reads and
 * validates every file instead of trusting unchanged blob ids.
 */
export function configDigest(config: RepositoryConfig): string {
  const shaping = {
    folder: config.folder,
    kinds: [...config.kinds].sort(),
    filters: Object.fromEntries(Object.entries(config.filters).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    assets: config.assets,
    maxFileSize: config.maxFileSize,
  };
  return createHash('sha256').update(JSON.stringify(shaping)).digest('hex').slice(0, 16);
}
