import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseConfigText } from '../config/index.js';
import { CACHE_FOLDER, openValidatorCodeCache } from '../cache/validator-code-cache.js';
import { FerryError } from '../errors/index.js';
// open-git.js, not the git index: isomorphic-git is loaded only when it is used.
import type { GitPort } from '../git/git-port.js';
import { openGit } from '../git/open-git.js';
import { runGit } from '../git/run-git.js';
import type { EnvironmentConfig, RepositoryConfig, Store } from '../model/index.js';
import { hasErrors } from '../model/index.js';
import type { ValidatorCodeCache } from '../validate/field-schema.js';

export const CONFIG_FILE = 'repository.config.yaml';

/** What every use case gets from its caller instead of reaching for globals. */
export interface FerryContext {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  now: () => Date;
}

/**
 * A command's repository, loaded once (config resolved, chain checked, secrets known so a shell
 * can mask them) and passed down with the caller's environment and clock: no use case loads the
 * config again.
 */
export interface RepositoryContext extends FerryContext {
  repo: Repository;
}

export interface Repository {
  /** Folder holding repository.config.yaml (the git top level in the usual setup). */
  root: string;
  config: RepositoryConfig;
  /** Compiled field validators kept between runs (`.ferry/cache`); absent with FERRY_CACHE=off. */
  validatorCodeCache?: ValidatorCodeCache;
}

/** Finds repository.config.yaml from `cwd` upwards and resolves it. */
export async function loadRepository(ctx: FerryContext): Promise<Repository> {
  let dir = resolve(ctx.cwd);
  for (;;) {
    if (existsSync(join(dir, CONFIG_FILE))) break;
    const parent = dirname(dir);
    if (parent === dir) {
      throw new FerryError('FERRY_E_CONFIG', `No ${CONFIG_FILE} found in ${ctx.cwd} or any parent folder`, {
        hint: 'Run ferry inside a content repository, or create one with `ferry init`.',
      });
    }
    dir = parent;
  }
  const text = await readFile(join(dir, CONFIG_FILE), 'utf8');
  const { config, diagnostics } = parseConfigText(text, ctx.env, CONFIG_FILE);
  if (!config || hasErrors(diagnostics)) {
    const first = diagnostics.find((d) => d.severity === 'error');
    throw new FerryError(first?.code ?? 'FERRY_E_CONFIG', first?.message ?? `${CONFIG_FILE} is invalid`, {
      loc: first?.file ? { file: first.file, line: first.line, column: first.column } : { file: CONFIG_FILE },
      diagnostics,
    });
  }
  return { root: dir, config, ...cacheOf(dir, ctx.env) };
}

/** Loads the repository once for a command: `loadRepository` with the context it came from. */
export async function openRepository(ctx: FerryContext): Promise<RepositoryContext> {
  return { ...ctx, repo: await loadRepository(ctx) };
}

/** The on-disk cache: `<root>/.ferry/cache`, or FERRY_CACHE_DIR (relative to the root); FERRY_CACHE=off disables it. */
function cacheOf(root: string, env: FerryContext['env']): { validatorCodeCache?: ValidatorCodeCache } {
  if (env.FERRY_CACHE?.trim().toLowerCase() === 'off') return {};
  return { validatorCodeCache: openValidatorCodeCache(resolve(root, env.FERRY_CACHE_DIR || CACHE_FOLDER)) };
}

/** The repository's git, through the adapter FERRY_GIT_ADAPTER names (openGit parses it). */
export async function openRepositoryGit(rc: RepositoryContext): Promise<GitPort> {
  return openGit(rc.repo.root, { env: rc.env });
}

export interface OpenEnvironment {
  environment: EnvironmentConfig;
  store: Store;
}

/** Opens an environment's store; `environment` is resolved already (`getEnvironment`). */
export async function openEnvironment(rc: RepositoryContext, environment: EnvironmentConfig): Promise<OpenEnvironment> {
  const { repo } = rc;
  // Loaded here, not at start-up: commands without an environment (validate, diff, fmt) never
  // load SQLite or the transport. register.js adds the https:// store to openStore.
  const [{ openStore }] = await Promise.all([import('../store/index.js'), import('../transport/register.js')]);
  const store = await openStore(environment.store, { cwd: repo.root, now: rc.now, env: rc.env, secretEnv: environment.secretEnv, durable: environment.durable });
  return { environment, store };
}

/** Who deploys: `--actor`, then `$GITHUB_ACTOR`, then the git user, then the OS user. */
export async function resolveActor(explicit: string | undefined, ctx: FerryContext, git?: GitPort): Promise<string> {
  if (explicit) return explicit;
  if (ctx.env.GITHUB_ACTOR) return ctx.env.GITHUB_ACTOR;
  const fromGit = await runGit(git?.root ?? ctx.cwd, ['config', 'user.name'], {}).catch(() => undefined);
  if (fromGit?.exitCode === 0 && fromGit.stdout.trim()) return fromGit.stdout.trim();
  return ctx.env.USER ?? ctx.env.USERNAME ?? 'unknown';
}
