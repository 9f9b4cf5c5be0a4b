import type { ObjectKind } from './objects.js';
import type { RestoreMode } from './store.js';

/** Include/exclude code-name patterns with `*` and `?` wildcards. */
export interface CodeNameFilter {
  include: string[];
  exclude: string[];
}

export interface EnvironmentConfig {
  name: string;
  /** The environment this one is promoted from (absent for the first of the chain). */
  from?: string;
  /** Store URL: `sqlite:PATH`, `postgres://…`, `https://…` (`${VAR}` already resolved). */
  store: string;
  /** Environment variable names that hold secrets for this environment (never printed). */
  secretEnv?: string;
  /** SQLite stores commit with `synchronous=FULL` (default false: NORMAL). */
  durable?: boolean;
  delivery?: {
    apiKey: string;
    /** name → token (resolved from `${VAR}`). */
    tokens: Record<string, string>;
    /** Asset files served without credentials (absent: true, as Contentstack's asset URLs). */
    publicAssets?: boolean;
  };
}

/** The resolved repository.config.yaml. */
export interface RepositoryConfig {
  /** Repository folder, relative to the repository root (POSIX), e.g. `content`. */
  folder: string;
  /** Kinds this repository holds and deploys. */
  kinds: ObjectKind[];
  filters: Partial<Record<ObjectKind, CodeNameFilter>>;
  restoreMode: RestoreMode;
  assets: {
    maxSize: number;
    /** Lower-case extensions without the dot. */
    extensions: string[];
  };
  /** Limit on each YAML file's size in bytes. */
  maxFileSize: number;
  /** Release tag pattern for `ferry release` and the deploy workflow (glob, e.g. `v*`). */
  releaseTagPattern: string;
  /** Environments in chain order (first has no `from`). */
  environments: EnvironmentConfig[];
  /** Secret values seen while resolving `${VAR}`, to mask in any output. */
  secrets: string[];
}
