import type { RepositoryConfig } from '../model/config.js';
import { OBJECT_KINDS } from '../model/objects.js';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** The values a key takes when repository.config.yaml leaves it out. Frozen: copy before changing. */
export const DEFAULT_CONFIG: Readonly<RepositoryConfig> = deepFreeze({
  folder: 'content',
  kinds: [...OBJECT_KINDS],
  filters: {},
  restoreMode: 'CreateUpdate',
  assets: {
    maxSize: 2 * 1024 ** 3,
    extensions: ['jpg', 'jpeg', 'png', 'gif', 'webp', 'svg', 'pdf'],
  },
  maxFileSize: 1024 * 1024,
  releaseTagPattern: 'v*',
  environments: [],
  secrets: [],
});
