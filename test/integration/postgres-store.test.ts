import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/model/index.js';
import { openStore } from '../../src/store/index.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { freshPostgresUrl, hasPostgres, sqlOn } from '../support/postgres.js';
import { runStoreContract } from './store-contract.js';

const now = () => new Date('2024-06-01T12:00:00.000Z');

/** Every row of every table of the store's database: what "exactly as before" means. */
async function rawDump(store: Store): Promise<unknown> {
  const url = (store as PostgresStore).url;
  const tables = (await sqlOn<{ tablename: string }>(url, "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")).map((r) => r.tablename);
  const out: Record<string, unknown> = {};
  for (const t of tables) out[t] = await sqlOn(url, `SELECT * FROM "${t}" ORDER BY 1, 2`);
  return out;
}

async function newStore(): Promise<PostgresStore> {
  return (await openStore(await freshPostgresUrl(), { cwd: process.cwd(), now })) as PostgresStore;
}

if (hasPostgres()) runStoreContract('PostgresStore (fresh database)', newStore, { rawDump });

describe.skipIf(!hasPostgres())('PostgresStore', () => {
  const opened: Store[] = [];
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
  });

  it('migrates a new database once, records the migrations, and opens it again without migrating', async () => {
    const url = await freshPostgresUrl();
    const a = (await openStore(url, { cwd: process.cwd(), now })) as PostgresStore;
    opened.push(a);
    expect(a.migration.from).toBe(0);
    expect(a.migration.applied.map((m) => m.version)).toEqual([1, 2]);
    const b = (await openStore(url, { cwd: process.cwd(), now })) as PostgresStore;
    opened.push(b);
    expect(b.migration).toEqual({ from: 2, to: 2, applied: [] });
    const rows = await sqlOn<{ version: number }>(url, 'SELECT version FROM ferry_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual([1, 2]);
  });
});
