import { createHash, timingSafeEqual } from 'node:crypto';
import { DeliveryError, ERROR_CODES } from './delivery-error.js';

/** An environment's delivery credentials (`EnvironmentConfig.delivery`). */
export interface DeliveryCredentials {
  apiKey: string;
  /** name → delivery token. */
  tokens: Record<string, string>;
}

/**
 * Checks `api_key` and `access_token` against the environment's credentials and returns the name
 * of the delivery token used. Every comparison runs in constant time over sha256 digests (so
 * neither the value nor its length leaks through timing) and every configured token is compared,
 * so the time does not say which one nearly matched.
 */
export function checkCredentials(environment: string, creds: DeliveryCredentials | undefined, apiKey: string | undefined, accessToken: string | undefined): string {
  if (!creds) {
    throw new DeliveryError(412, ERROR_CODES.apiKey, `The delivery API of environment ${environment} is not configured: set environments[].delivery (apiKey and tokens) in repository.config.yaml.`, {
      api_key: ['is not valid.'],
    });
  }
  if (!apiKey) throw new DeliveryError(412, ERROR_CODES.apiKey, 'The api_key is missing: send it as the api_key header.', { api_key: ['is required.'] });
  if (!sameSecret(apiKey, creds.apiKey)) throw new DeliveryError(412, ERROR_CODES.apiKey, `The api_key is not valid for environment ${environment}.`, { api_key: ['is not valid.'] });
  if (!accessToken) {
    throw new DeliveryError(412, ERROR_CODES.accessToken, 'The access_token is missing: send a delivery token as the access_token header.', { access_token: ['is required.'] });
  }
  let matched: string | undefined;
  for (const [name, token] of Object.entries(creds.tokens)) {
    if (sameSecret(accessToken, token) && matched === undefined) matched = name;
  }
  if (matched === undefined) {
    throw new DeliveryError(412, ERROR_CODES.accessToken, `The access_token is not a valid delivery token of environment ${environment}.`, { access_token: ['is not valid.'] });
  }
  return matched;
}

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b) && expected.length > 0;
}
