import { resolve } from 'node:path';
import type { EnvironmentConfig } from '../model/index.js';
import { storeToFiles, writeRepositoryFiles } from '../restore/serialize.js';
import { openEnvironment, type RepositoryContext } from './context.js';

export interface PullRequest {
  /** The environment to pull from, resolved from the config. */
  environment: EnvironmentConfig;
  /** Repository root to write into, relative to the context's `cwd` (default: this repository). */
  out?: string;
}

export interface PullResult {
  environment: string;
  /** The root written into. */
  root: string;
  written: string[];
  removed: string[];
  unchanged: number;
}

/**
 * `ferry pull --from E`: writes what environment E holds (local or a remote instance) as
 * canonical files into a working tree, for review with `git diff`. Never deploys anything.
 */
export async function pullEnvironment(rc: RepositoryContext, req: PullRequest): Promise<PullResult> {
  const { store } = await openEnvironment(rc, req.environment);
  try {
    const files = await storeToFiles(store, rc.repo.config);
    const root = req.out ? resolve(rc.cwd, req.out) : rc.repo.root;
    const result = await writeRepositoryFiles(root, rc.repo.config, files);
    return { environment: req.environment.name, root, ...result };
  } finally {
    await store.close();
  }
}
