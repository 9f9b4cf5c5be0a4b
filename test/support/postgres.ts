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
  const server = postgresServerUrl();
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const u = new URL(server);
  u.pathname = `/${name}`;
  return u.toString();
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
