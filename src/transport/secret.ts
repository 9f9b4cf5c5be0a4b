import { FerryError } from '../errors/index.js';

/** The variable that holds the shared sync secret when an environment names none (`secretEnv`). */
export const DEFAULT_SECRET_ENV = 'FERRY_SYNC_SECRET';
export const MIN_SECRET_LENGTH = 32;

/**
 * Reads the shared sync secret from the variable named `name`. Refuses a missing or short one
 * (FERRY_E_AUTH): the message names the variable, never the value.
 */
export function readSyncSecret(env: Readonly<Record<string, string | undefined>>, name: string = DEFAULT_SECRET_ENV, environment?: string): string {
  const value = env[name];
  const whose = environment ? ` of environment ${environment}` : '';
  if (value === undefined || value === '') {
    throw new FerryError('FERRY_E_AUTH', `The shared sync secret${whose} is missing: set the environment variable ${name}.`, {
      data: { variable: name },
      hint: `Set ${name} to the same random string (at least ${MIN_SECRET_LENGTH} characters) on the instance and on the client, e.g. \`openssl rand -hex 32\`.`,
    });
  }
  if (value.length < MIN_SECRET_LENGTH) {
    throw new FerryError('FERRY_E_AUTH', `The shared sync secret in ${name}${whose} is too short: ${value.length} characters, at least ${MIN_SECRET_LENGTH} are required.`, {
      data: { variable: name, length: value.length, minimum: MIN_SECRET_LENGTH },
      hint: `Use a random string of at least ${MIN_SECRET_LENGTH} characters, e.g. \`openssl rand -hex 32\`.`,
    });
  }
  return value;
}
