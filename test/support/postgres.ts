/**
 * PostgreSQL for tests: the run's throwaway cluster (test/support/postgres-global-setup.ts) and a
 * fresh, empty database on it per call, so test files and tests never share state.
 *
 * @example
 * describe.skipIf(!hasPostgres())('on PostgreSQL', () => {
 *   it('…', async () => { const url = await freshPostgresUrl(); const store = await openStore(url, { cwd }); … });
 * });
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/** The store the current vitest project runs its store-parametrized suites against. */
export function storeUnderTest(): 'sqlite' | 'postgres' {
  return inject('ferryStoreUnderTest') ?? 'sqlite';
}

/**
 * A store URL for a new, empty store of the kind under test: `sqlite:<dir>/<name>.db`, or a fresh
 * database on the test PostgreSQL server. For suites that should run on both stores (listed in
 * vitest.config.ts STORE_SUITES).
 */
export async function freshStoreUrl(dir: string, name = 'env'): Promise<string> {
  return storeUnderTest() === 'postgres' ? freshPostgresUrl() : `sqlite:${dir}/${name}.db`;
}

/** Whether this run has a PostgreSQL server (installed locally, or FERRY_TEST_POSTGRES_URL). */
export function hasPostgres(): boolean {
  return inject('ferryPostgresUrl') !== '';
}

/** URL of the server's maintenance database (where databases are created). */
export function postgresServerUrl(): string {
  const url = inject('ferryPostgresUrl');
  if (!url) throw new Error('No PostgreSQL server in this test run: guard the test with hasPostgres().');
  return url;
}

/** Creates a new empty database on the test server and returns its postgres:// URL. */
export async function freshPostgresUrl(prefix = 'ferry_test'): Promise<string> {
  const url = reservePostgresUrl(prefix);
  await ensurePostgresDatabase(url);
  return url;
}

/** The URL of a database not created yet (for code that must name it synchronously); see ensurePostgresDatabase. */
export function reservePostgresUrl(prefix = 'ferry_test'): string {
  const u = new URL(postgresServerUrl());
  u.pathname = `/${prefix}_${randomBytes(6).toString('hex')}`;
  return u.toString();
}

/** Creates the database of `url` on the test server unless it exists. */
export async function ensurePostgresDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`Not a test database name: ${name}`);
  const client = new pg.Client({ connectionString: postgresServerUrl() });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } catch (e) {
    if ((e as { code?: string }).code !== '42P04') throw e;
  } finally {
    await client.end();
  }
}

/** Runs one SQL statement on the database of `url` (for tests that edit a store from outside Ferry). */
export async function sqlOn<R extends pg.QueryResultRow = pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}
