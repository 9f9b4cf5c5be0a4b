import type { GitPort } from './git-port.js';
import { createPlumbingGit, GitBinaryMissingError } from './plumbing-git.js';

export type GitAdapterName = 'plumbing' | 'isomorphic';

export interface OpenGitOptions {
  /** Force an adapter. Default: plumbing, or isomorphic when no `git` binary can be run. */
  adapter?: GitAdapterName;
  /**
   * The caller's environment, read for `FERRY_GIT_ADAPTER=isomorphic|plumbing` when `adapter` is
   * not given. Adapters do not read `process.env` themselves.
   */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Opens the repository that contains `cwd` (or the bare repository at `cwd`). git's own plumbing
 * is the default because it is 5–11x faster; isomorphic-git serves machines without git.
 *
 * @example
 * const git = await openGit(process.cwd());
 * try { console.log(await git.resolveRevision('HEAD')); } finally { await git.close(); }
 */
export async function openGit(cwd: string, options: OpenGitOptions = {}): Promise<GitPort> {
  const requested = options.adapter ?? adapterFromEnv(options.env);
  if (requested === 'isomorphic') return (await import('./iso-git.js')).createIsoGit(cwd);
  try {
    return await createPlumbingGit(cwd);
  } catch (e) {
    if (e instanceof GitBinaryMissingError && requested === undefined) return (await import('./iso-git.js')).createIsoGit(cwd);
    throw e;
  }
}

function adapterFromEnv(env: OpenGitOptions['env']): GitAdapterName | undefined {
  const v = env?.FERRY_GIT_ADAPTER?.trim().toLowerCase();
  if (v === 'isomorphic' || v === 'isomorphic-git' || v === 'iso') return 'isomorphic';
  if (v === 'plumbing' || v === 'git') return 'plumbing';
  return undefined;
}
