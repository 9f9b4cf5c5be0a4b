import { openRepository, type FerryContext, type RepositoryContext } from '../../api/context.js';
import { getEnvironment } from '../../config/index.js';
import { FerryError } from '../../errors/ferry-error.js';
import type { EnvironmentConfig } from '../../model/index.js';
import type { CliIo } from '../io.js';

export function contextOf(io: CliIo): FerryContext {
  return { cwd: io.cwd, env: io.env, now: io.now ?? (() => new Date()) };
}

/** A command's repository, loaded once, its secrets masked in the CI log before anything prints. */
export async function openRepositoryOf(io: CliIo): Promise<RepositoryContext> {
  const rc = await openRepository(contextOf(io));
  await io.ci.maskSecrets(rc);
  return rc;
}

/** The environment a flag names, resolved once (FERRY_E_ENV_UNKNOWN names the others). */
export function environmentOf(rc: RepositoryContext, name: string): EnvironmentConfig {
  return getEnvironment(rc.repo.config, name);
}

/** A number of seconds given to `option` (e.g. --lock-timeout), in milliseconds; refuses what is not one. */
export function seconds(value: string | undefined, fallback: number, option = '--lock-timeout'): number {
  if (value === undefined) return fallback * 1000;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) {
    throw new FerryError('FERRY_E_USAGE', `${option} takes a number of seconds (0 or more), not ${JSON.stringify(value)}`, { data: { option, value } });
  }
  return n * 1000;
}

/** A whole number of at least `min` given to `option` (e.g. --limit); refuses what is not one. */
export function wholeNumber(value: string | undefined, fallback: number, option: string, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < min) {
    throw new FerryError('FERRY_E_USAGE', `${option} takes a whole number of at least ${min}, not ${JSON.stringify(value)}`, { data: { option, value } });
  }
  return n;
}
