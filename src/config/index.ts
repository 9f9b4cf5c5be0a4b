export { createAjv } from './ajv.js';
export { CONFIG_SCHEMA_ID, REPOSITORY_CONFIG_SCHEMA } from './config-schema.js';
export { DEFAULT_CONFIG } from './defaults.js';
export { getEnvironment, nextEnvironment, previousEnvironment } from './environments.js';
export { isIncluded, matchesCodeNameFilter } from './filters.js';
export { maskSecrets } from './mask.js';
export {
  CONFIG_FILE,
  parseConfigText,
  resolveConfig,
  type Env,
  type ResolveConfigOptions,
  type ResolveConfigResult,
} from './resolve-config.js';
export { formatSize, parseSize } from './size.js';
export { orderChain, type ChainLink, type ChainProblem, type ChainResult } from './chain.js';
