import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { FerryError } from '../../errors/index.js';
import type { OpenStoreOptions } from '../../store/open-store.js';
import { DEFAULT_SECRET_ENV, readSyncSecret } from '../secret.js';
import { RemoteStore } from './remote-store.js';
import { parseInstanceUrl } from './sync-client.js';

/** Variable naming a PEM file of extra certificate authorities to trust for instances (besides NODE_EXTRA_CA_CERTS). */
export const CA_FILE_ENV = 'FERRY_SYNC_CA_FILE';

/**
 * The store factory behind `https://…` (and `http://` to loopback) store URLs: checks the URL,
 * reads the shared secret from the variable the environment names (`secretEnv`, default
 * FERRY_SYNC_SECRET), connects and checks the instance's format version.
 */
export async function openRemoteStore(url: string, opts: OpenStoreOptions): Promise<RemoteStore> {
  parseInstanceUrl(url);
  const env = opts.env ?? process.env;
  const secret = readSyncSecret(env, opts.secretEnv ?? DEFAULT_SECRET_ENV);
  const caFile = env[CA_FILE_ENV];
  let ca: string[] | undefined;
  if (caFile) {
    try {
      ca = [...rootCertificates, readFileSync(caFile, 'utf8')];
    } catch (e) {
      throw new FerryError('FERRY_E_CONFIG_ENV', `Cannot read the certificate file ${caFile} named by ${CA_FILE_ENV}: ${(e as Error).message}`, { cause: e });
    }
  }
  // FERRY_SYNC_RECONNECT_ATTEMPTS: how often to reconnect after a dropped connection (default 6).
  const attempts = env.FERRY_SYNC_RECONNECT_ATTEMPTS ? Number(env.FERRY_SYNC_RECONNECT_ATTEMPTS) : NaN;
  return RemoteStore.open({ url, secret, ca, ...(Number.isInteger(attempts) && attempts >= 0 ? { reconnect: { attempts } } : {}) });
}
