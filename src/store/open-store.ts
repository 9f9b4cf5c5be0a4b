import { FerryError } from '../errors/index.js';
import type { Store } from '../model/index.js';
import { redactUrl } from './redact-url.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import { sqliteFileOf } from './sqlite-url.js';

export { redactUrl };

export interface OpenStoreOptions {
  /** Folder a relative `sqlite:PATH` is resolved against. */
  cwd: string;
  /** Clock for the timestamps the store itself writes. */
  now?: () => Date;
  /** Environment variables, for factories that read secrets (the SQLite store does not). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Name of the variable holding the environment's shared secret (remote instances). */
  secretEnv?: string;
  /** Commit so that a power loss loses nothing committed (SQLite: `synchronous=FULL`). Remote stores ignore it: the instance decides. */
  durable?: boolean;
}

/** Opens a store for one URL scheme. `url` is the full URL as given. */
export type StoreFactory = (url: string, opts: OpenStoreOptions) => Promise<Store>;

const factories = new Map<string, StoreFactory>();

/**
 * Adds (or replaces) the factory for a URL scheme, e.g. `registerStoreFactory('https:', …)` from
 * the transport layer. `sqlite:` and `postgres:` are built in and cannot be replaced.
 */
export function registerStoreFactory(scheme: string, factory: StoreFactory): void {
  const s = normalizeScheme(scheme);
  if (s === 'sqlite:' || s === 'postgres:' || s === 'postgresql:') throw new FerryError('FERRY_E_INTERNAL', `The ${s} store factory is built in and cannot be replaced.`);
  factories.set(s, factory);
}

/** Schemes `openStore` accepts now, sorted. */
export function supportedStoreSchemes(): string[] {
  return ['postgres:', 'postgresql:', 'sqlite:', ...factories.keys()].sort();
}

/**
 * Opens an environment's store from its URL: `sqlite:PATH` (relative to `cwd`; parent folders
 * are created), `postgres://…` (see src/store/postgres/connection.ts for its parameters), or a
 * scheme another module registered (`https:` for remote instances).
 */
export async function openStore(url: string, opts: OpenStoreOptions): Promise<Store> {
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url);
  // One letter is a Windows drive (`C:\…`), not a scheme.
  const scheme = match && match[1].length > 1 ? `${match[1].toLowerCase()}:` : undefined;
  if (scheme === 'sqlite:') return openSqlite(url, opts);
  if (scheme === 'postgres:' || scheme === 'postgresql:') {
    // Loaded on first use: commands on SQLite stores never load the PostgreSQL driver.
    const { PostgresStore } = await import('./postgres/postgres-store.js');
    return PostgresStore.open(url, { cwd: opts.cwd, now: opts.now });
  }
  const factory = scheme && factories.get(scheme);
  if (factory) return factory(url, opts);
  const shown = redactUrl(url);
  if (scheme === 'http:' || scheme === 'https:') {
    throw new FerryError('FERRY_E_STORE_URL', `Remote instances (${shown}) come with \`ferry serve\`, which this build does not include yet.`, {
      data: { url: shown },
      hint: 'Use sqlite:PATH for now.',
    });
  }
  throw new FerryError('FERRY_E_STORE_URL', `Unsupported store URL ${JSON.stringify(shown)}: supported schemes are ${supportedStoreSchemes().join(', ')} (e.g. sqlite:.ferry/dev.db).`, {
    data: { url: shown, supported: supportedStoreSchemes() },
  });
}

function openSqlite(url: string, opts: OpenStoreOptions): Store {
  // Accepts sqlite:///abs/path and sqlite://rel/path as well as sqlite:path.
  const file = sqliteFileOf(url, opts.cwd);
  if (!file) {
    throw new FerryError('FERRY_E_STORE_URL', `Store URL ${JSON.stringify(url)} names no file: use sqlite:PATH, e.g. sqlite:.ferry/dev.db.`, { data: { url } });
  }
  return SqliteStore.open(file, { url, now: opts.now, durable: opts.durable });
}

function normalizeScheme(scheme: string): string {
  const s = scheme.toLowerCase().replace(/:$/, '');
  if (!/^[a-z][a-z0-9+.-]+$/.test(s)) throw new FerryError('FERRY_E_INTERNAL', `Invalid URL scheme ${JSON.stringify(scheme)}.`);
  return `${s}:`;
}
