import { FerryError } from '../errors/ferry-error.js';
import type { EnvironmentConfig, RepositoryConfig } from '../model/config.js';

/** The environment with this name; FERRY_E_ENV_UNKNOWN (listing the known names) when there is none. */
export function getEnvironment(config: RepositoryConfig, name: string): EnvironmentConfig {
  const env = config.environments.find((e) => e.name === name);
  if (env) return env;
  const known = config.environments.map((e) => e.name);
  throw new FerryError(
    'FERRY_E_ENV_UNKNOWN',
    known.length
      ? `unknown environment "${name}"; repository.config.yaml declares: ${known.join(', ')}`
      : `unknown environment "${name}"; repository.config.yaml declares no environments`,
    { data: { name, known } },
  );
}

/** The environment promoted from `name` (the next one in the chain), or undefined for the last. */
export function nextEnvironment(config: RepositoryConfig, name: string): EnvironmentConfig | undefined {
  getEnvironment(config, name);
  return config.environments.find((e) => e.from === name);
}

/** The environment `name` is promoted from, or undefined for the first of the chain. */
export function previousEnvironment(config: RepositoryConfig, name: string): EnvironmentConfig | undefined {
  const env = getEnvironment(config, name);
  return env.from === undefined ? undefined : getEnvironment(config, env.from);
}
