import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/model/index.js';
import { openStore } from '../../src/store/index.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { FerryError } from '../../src/errors/index.js';
import { removeGitRepos } from '../support/gitdir.js';
import { freshPostgresUrl, hasPostgres, sqlOn } from '../support/postgres.js';
import { ferry } from '../support/sample-repo.js';
import { makeContentRepo } from '../support/serve.js';
import type { Page } from '../../src/model/index.js';
import { COUNTS, asset, bulkItem, everyKind, item, newDeployment, page, put } from './store-fixtures.js';
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

if (hasPostgres()) runStoreContract('PostgresStore (fresh database)', newStore, { rawDump, outsideFerry: (store) => store });

describe.skipIf(!hasPostgres())('PostgresStore', () => {
  const opened: Store[] = [];
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
    removeGitRepos();
  });
  async function open(url: string): Promise<PostgresStore> {
    const s = (await openStore(url, { cwd: process.cwd(), now })) as PostgresStore;
    opened.push(s);
    return s;
  }

  it('migrates a new database once, records the migrations, and opens it again without migrating', async () => {
    const url = await freshPostgresUrl();
    const a = (await openStore(url, { cwd: process.cwd(), now })) as PostgresStore;
    opened.push(a);
    expect(a.migration.from).toBe(0);
    expect(a.migration.applied.map((m) => m.version)).toEqual([1, 2, 3, 4, 5, 6]);
    const b = (await openStore(url, { cwd: process.cwd(), now })) as PostgresStore;
    opened.push(b);
    expect(b.migration).toEqual({ from: 6, to: 6, applied: [] });
    const rows = await sqlOn<{ version: number }>(url, 'SELECT version FROM ferry_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('migrates a store of format 1 (schema 4) in place: its rows kept, content folders accepted (migration 5)', async () => {
    const url = await freshPostgresUrl();
    const s = await open(url);
    const format1 = everyKind.filter((o) => o.kind !== 'contentFolder');
    const d = await s.startDeployment(newDeployment());
    await s.commitDeployment(d.id, format1.map((o) => put(o)), [], COUNTS, '2024-05-01T10:00:00.000Z');
    await s.close();
    opened.splice(opened.indexOf(s), 1);
    // As a Ferry of store format 1 left it.
    await sqlOn(url, `ALTER TABLE objects DROP CONSTRAINT objects_kind_check;
      ALTER TABLE objects ADD CONSTRAINT objects_kind_check CHECK (kind IN ('language', 'workspace', 'channel', 'contentType', 'assetFolder', 'asset', 'contentItem', 'page'));
      DELETE FROM ferry_migrations WHERE version >= 5; UPDATE meta SET value = '1' WHERE key = 'format_version';`);
    const reopened = await open(url);
    expect(reopened.migration).toMatchObject({ from: 4, to: 6, applied: [{ version: 5 }, { version: 6 }] });
    expect((await reopened.listObjects()).map((o) => o.object)).toEqual(format1);
    const d2 = await reopened.startDeployment(newDeployment());
    await reopened.commitDeployment(d2.id, [put(everyKind.find((o) => o.kind === 'contentFolder')!)], [], COUNTS, '2024-05-02T10:00:00.000Z');
    expect((await reopened.listObjects(['contentFolder'])).map((o) => o.codeName)).toEqual(['events']);
    expect((await sqlOn<{ value: string }>(url, "SELECT value FROM meta WHERE key = 'format_version'"))[0].value).toBe('2');
  });

  it('ferry migrate --env migrates an empty database and then reports it up to date; every command works on it', async () => {
    const url = await freshPostgresUrl();
    const repo = makeContentRepo();
    const env = { FERRY_STORE_PROD: url };
    const first = await ferry(repo.dir, ['migrate', '--env', 'prod', '--format', 'json'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ status: 'ok', environment: 'prod', from: 0, to: 6, applied: [{ version: 1 }, { version: 2 }, { version: 3 }, { version: 4 }, { version: 5 }, { version: 6 }] });
    const again = await ferry(repo.dir, ['migrate', '--env', 'prod'], env);
    expect(again.stdout).toMatch(/^prod \(postgres:\/\/.*\): schema 6, up to date\.\n$/);
    const deployed = await ferry(repo.dir, ['deploy', '--env', 'prod'], env);
    expect(deployed.code, deployed.stderr).toBe(0);
    const history = await ferry(repo.dir, ['history', '--env', 'prod', '--format', 'json'], env);
    expect(JSON.parse(history.stdout).deployments[0]).toMatchObject({ status: 'succeeded', toCommit: repo.head() });
    const noop = await ferry(repo.dir, ['deploy', '--env', 'prod', '--format', 'json'], env);
    expect(JSON.parse(noop.stdout).status).toBe('no_changes');
    const status = await ferry(repo.dir, ['status', '--env', 'prod', '--format', 'json'], env);
    expect(status.code, status.stderr).toBe(0);
  });

  it('refuses a database with tables Ferry did not create, and changes nothing in it', async () => {
    const url = await freshPostgresUrl();
    await sqlOn(url, 'CREATE TABLE customers (id int)');
    const err = (await openStore(url, { cwd: process.cwd() }).catch((e: unknown) => e)) as FerryError;
    expect(err).toBeInstanceOf(FerryError);
    expect(err.code).toBe('FERRY_E_STORE');
    expect(err.message).toContain('not a Ferry store');
    expect(err.message).toContain('customers');
    const tables = await sqlOn<{ tablename: string }>(url, 'SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename');
    expect(tables.map((t) => t.tablename)).toEqual(['customers']);
  });

  it('refuses a store migrated by a newer Ferry with FERRY_E_STORE_FORMAT', async () => {
    const url = await freshPostgresUrl();
    await (await open(url)).close();
    await sqlOn(url, "INSERT INTO ferry_migrations (version, description, applied_at) VALUES (99, 'from the future', 'x')");
    await expect(openStore(url, { cwd: process.cwd() })).rejects.toMatchObject({ code: 'FERRY_E_STORE_FORMAT', message: expect.stringContaining('schema 99') });
  });

  it('a connection lost mid-commit rolls the deployment back and says so', async () => {
    const url = await freshPostgresUrl();
    const store = await open(url);
    const d0 = await store.startDeployment(newDeployment());
    await store.commitDeployment(d0.id, [put(bulkItem(1))], [], COUNTS, '2024-05-01T10:01:00.000Z');
    const before = await store.index();
    const d = await store.startDeployment(newDeployment());
    // Kill the session that runs the commit as soon as it holds the change-log lock.
    const killer = setInterval(() => {
      void sqlOn(url, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active' AND query LIKE 'INSERT INTO objects%'`).catch(() => undefined);
    }, 5);
    const writes = Array.from({ length: 4000 }, (_, i) => put(bulkItem(i + 10)));
    const err = (await store.commitDeployment(d.id, writes, [], COUNTS, '2024-05-01T10:02:00.000Z').catch((e: unknown) => e)) as FerryError;
    clearInterval(killer);
    expect(err).toBeInstanceOf(FerryError);
    expect(err.code).toBe('FERRY_E_STORE');
    expect(err.message).toContain('connection to the database was lost');
    expect(err.message).toContain('Nothing was applied');
    expect(await store.index()).toEqual(before);
    expect((await store.getDeployment(d.id))?.status).toBe('running');
  });

  it('round-trips text COPY must escape (tab, newline, CR, backslash, a literal \\N) through the bulk and the staging paths', async () => {
    const store = await open(await freshPostgresUrl());
    const tricky = 'tab\there\nnew line\r\\ back \\N not null, "quoted", \u00e9\u{1F600}';
    const items = Array.from({ length: 5000 }, (_, i) => {
      const it = bulkItem(i);
      return i % 1000 === 7 ? { ...it, fields: { rank: i, note: tricky }, variants: { 'en-US': { ...it.variants['en-US'], displayName: tricky } } } : it;
    });
    // First deployment into an empty store: the bulk path (COPY into the tables).
    const d1 = await store.startDeployment(newDeployment());
    await store.commitDeployment(d1.id, items.map((o) => put(o)), [], COUNTS, '2024-05-01T10:01:00.000Z');
    const keys = items.filter((_, i) => i % 1000 === 7).map((o) => o.guid);
    const got = await store.getObjects(keys);
    for (const k of keys) expect(got.get(k)?.object).toEqual(items.find((o) => o.guid === k));
    // An update of 600 objects: the general path's COPY into staging tables.
    const edited = items.slice(0, 600).map((o) => ({ ...o, fields: { rank: o.fields.rank, note: `${tricky} #${o.codeName}` } }));
    const d2 = await store.startDeployment(newDeployment());
    await store.commitDeployment(d2.id, edited.map((o) => put(o, 2)), [], COUNTS, '2024-05-01T10:02:00.000Z');
    const again = await store.getObjects(edited.map((o) => o.guid));
    expect(edited.every((o) => JSON.stringify(again.get(o.guid)?.object) === JSON.stringify(o))).toBe(true);
    const reads = store.deliveryReads();
    const v = await reads.variantsByKeys([{ key: items[7].guid, locale: 'en-US' }]);
    expect([...v.values()][0]?.displayName).toBe(tricky);
  });

  it('keeps blobs over blob_inline_max in the blob folder, small ones in the database; both read back and serve for download', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-pg-blobs-'));
    try {
      const url = `${await freshPostgresUrl()}?blob_inline_max=1KB&blob_dir=${encodeURIComponent(join(dir, 'blobs'))}`;
      const store = await open(url);
      const small = Buffer.from('small blob');
      const large = Buffer.alloc(5000, 7);
      const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
      await store.putBlob(sha(small), small);
      await store.putBlob(sha(large), large);
      const rows = await sqlOn<{ sha256: string; inline: boolean }>(url.replace(/\?.*$/, ''), 'SELECT sha256, bytes IS NOT NULL AS inline FROM blobs ORDER BY size');
      expect(rows).toEqual([{ sha256: sha(small), inline: true }, { sha256: sha(large), inline: false }]);
      expect(existsSync(join(dir, 'blobs', sha(large).slice(0, 2), sha(large).slice(2)))).toBe(true);
      expect(Buffer.from((await store.readBlob(sha(large)))!)).toEqual(large);
      expect(Buffer.from((await store.readBlob(sha(small)))!)).toEqual(small);
      const blob = await store.deliveryReads().blob(sha(large));
      expect(blob?.size).toBe(5000);
      const chunks: Buffer[] = [];
      for await (const c of blob!.open(10, 19)) chunks.push(c as Buffer);
      expect(Buffer.concat(chunks)).toEqual(large.subarray(10, 20));
      // A large blob whose file went missing is not there (so a client uploads it again).
      rmSync(join(dir, 'blobs'), { recursive: true, force: true });
      expect(await store.hasBlob(sha(large))).toBe(false);
      expect(await store.hasBlob(sha(small))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds the items and pages that may reference a key (object_refs), through the general and the bulk path, and follows updates and deletions', async () => {
    const store = await open(await freshPostgresUrl());
    const child: Page = { ...page, guid: '70000000-0000-4000-8000-000000000002', codeName: 'child', parent: page.guid, variants: { 'en-US': { ...page.variants['en-US'], slug: 'child' } } };
    const d = await store.startDeployment(newDeployment());
    await store.commitDeployment(d.id, [...everyKind.map((o) => put(o)), put(child)], [], COUNTS, '2024-05-01T10:01:00.000Z');
    const keysOf = async (keys: string[]) => (await store.findReferrers(keys)).map((i) => i.key).sort();
    expect(await keysOf([asset.guid])).toEqual([item.guid]);
    expect(await keysOf([page.guid])).toEqual([child.guid]);
    expect(await store.findReferrers([])).toEqual([]);
    const d2 = await store.startDeployment(newDeployment());
    await store.commitDeployment(d2.id, [put({ ...item, fields: {} }, 2), { op: 'delete', key: child.guid, kind: 'page' }], [], COUNTS, '2024-05-01T10:02:00.000Z');
    expect(await keysOf([asset.guid, page.guid])).toEqual([]);

    // The first load of a big deployment (COPY) records them too.
    const bulk = await open(await freshPostgresUrl());
    const many = Array.from({ length: 5000 }, (_, i) => ({ ...bulkItem(i), fields: { rank: i, image: [asset.guid] } }));
    const d3 = await bulk.startDeployment(newDeployment());
    await bulk.commitDeployment(d3.id, many.map((o) => put(o)), [], COUNTS, '2024-05-01T10:03:00.000Z');
    expect((await bulk.findReferrers([asset.guid])).length).toBe(5000);
  });

  it('streams blobs in chunks (putBlobStream), inline or into the blob folder; refuses bytes that do not match', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-pg-stream-'));
    try {
      const store = await open(`${await freshPostgresUrl()}?blob_inline_max=100KB&blob_dir=${encodeURIComponent(dir)}`);
      for (const n of [1000, 300_000]) {
        const big = new Uint8Array(n).map((_, i) => (i * 7919) % 251);
        const sha = createHash('sha256').update(big).digest('hex');
        const chunks = async function* () {
          for (let i = 0; i < big.byteLength; i += 65_536) yield big.subarray(i, i + 65_536);
        };
        await store.putBlobStream(sha, big.byteLength, chunks);
        await store.putBlobStream(sha, big.byteLength, chunks);
        expect(Buffer.from((await store.readBlob(sha)) ?? []).equals(Buffer.from(big))).toBe(true);
        await expect(store.putBlobStream(createHash('sha256').update('x').digest('hex'), n, chunks)).rejects.toMatchObject({ code: 'FERRY_E_ASSET' });
        const other = createHash('sha256').update(`${n}`).digest('hex');
        await expect(store.putBlobStream(other, n + 1, chunks)).rejects.toMatchObject({ code: 'FERRY_E_ASSET' });
        expect(await store.hasBlob(other)).toBe(false);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to serve replicas from a pool too small for them (pool_max), with FERRY_E_STORE_URL', async () => {
    const store = await open(`${await freshPostgresUrl()}?pool_max=2`);
    await expect(store.openInstanceState('prod')).rejects.toMatchObject({ code: 'FERRY_E_STORE_URL', message: expect.stringContaining('pool_max=2') });
  });
});
