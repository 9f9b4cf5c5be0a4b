import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FerryError } from '../../src/errors/index.js';
import { objectKey, type ChangeEvent, type Store, type StoreWrite } from '../../src/model/index.js';
import { SCHEMA_VERSION, STORE_FORMAT_VERSION, SqliteStore, openStore, registerStoreFactory } from '../../src/store/index.js';
import { BlobFolder } from '../../src/store/blob-folder.js';
import { SECONDARY_INDEXES } from '../../src/store/sqlite/sqlite-store.js';
import { VERSION } from '../../src/version.js';
import { pidOfExitedProcess, runStoreContract } from './store-contract.js';
import { COUNTS, asset, bulkItem, everyKind, hashOf, item, language, newDeployment, page, pathOf, put, workspace } from './store-fixtures.js';

let root: string;
let counter = 0;
const now = () => new Date('2024-06-01T12:00:00.000Z');

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'ferry-sqlite-store-'));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

function newDir(): string {
  const dir = join(root, `case-${++counter}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

async function newStore(): Promise<SqliteStore> {
  return (await openStore('sqlite:.ferry/env.db', { cwd: newDir(), now })) as SqliteStore;
}

/** Every row of every table, read through a separate connection: what "exactly as before" means. */
async function rawDump(store: Store): Promise<unknown> {
  const db = new Database((store as SqliteStore).file, { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all() as string[];
    return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM "${t}" ORDER BY 1, 2`).all()]));
  } finally {
    db.close();
  }
}

runStoreContract('SqliteStore (temp file)', newStore, { rawDump, outsideFerry: (store) => store });

describe('SqliteStore', () => {
  const opened: Store[] = [];
  const raw: Database.Database[] = [];
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
    for (const d of raw.splice(0)) d.close();
  });
  async function store(): Promise<SqliteStore> {
    const s = await newStore();
    opened.push(s);
    return s;
  }
  /** A second, plain connection: what someone editing the database by hand uses. */
  function outside(s: SqliteStore): Database.Database {
    const db = new Database(s.file);
    raw.push(db);
    return db;
  }
  async function deploy(s: Store, writes: Parameters<Store['commitDeployment']>[1]) {
    const d = await s.startDeployment(newDeployment());
    return s.commitDeployment(d.id, writes, [], COUNTS, '2024-06-01T12:00:00.000Z');
  }

  describe('opening', () => {
    it('resolves sqlite:PATH against cwd, creates parent folders, and sets up WAL, schema and meta', async () => {
      const cwd = newDir();
      const s = (await openStore('sqlite:deep/er/dev.db', { cwd, now })) as SqliteStore;
      opened.push(s);
      expect(s.file).toBe(join(cwd, 'deep/er/dev.db'));
      expect(s.url).toBe('sqlite:deep/er/dev.db');
      expect(existsSync(s.file)).toBe(true);
      const db = outside(s);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(s.meta()).toEqual({ created_at: '2024-06-01T12:00:00.000Z', ferry_version: VERSION, format_version: String(STORE_FORMAT_VERSION) });
    });

    it('accepts absolute paths and reopens an existing store with its data', async () => {
      const file = join(newDir(), 'abs.db');
      const a = await openStore(`sqlite:${file}`, { cwd: '/nonexistent', now });
      await deploy(a, [put(language)]);
      await a.close();
      const b = await openStore(`sqlite:${file}`, { cwd: '/', now });
      opened.push(b);
      expect((await b.index()).map((i) => i.key)).toEqual([objectKey(language)]);
    });

    it('refuses a store of a newer schema or format with FERRY_E_STORE_FORMAT', async () => {
      const s = await store();
      const file = s.file;
      await s.close();
      const db = new Database(file);
      db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
      db.close();
      await expect(openStore(`sqlite:${file}`, { cwd: '/', now })).rejects.toMatchObject({ code: 'FERRY_E_STORE_FORMAT', message: expect.stringContaining(file) });

      const t = await store();
      await t.close();
      const db2 = new Database(t.file);
      db2.prepare("UPDATE meta SET value = ? WHERE key = 'format_version'").run(String(STORE_FORMAT_VERSION + 1));
      db2.prepare("UPDATE meta SET value = '9.9.9' WHERE key = 'ferry_version'").run();
      db2.close();
      await expect(openStore(`sqlite:${t.file}`, { cwd: '/', now })).rejects.toMatchObject({ code: 'FERRY_E_STORE_FORMAT', message: expect.stringContaining('9.9.9') });
    });

    it('refuses files that are not Ferry stores with FERRY_E_STORE naming the path', async () => {
      const dir = newDir();
      const garbage = join(dir, 'garbage.db');
      writeFileSync(garbage, 'this is not an SQLite database, just some text that is long enough '.repeat(20));
      const e1 = (await openStore(`sqlite:${garbage}`, { cwd: '/', now }).catch((e: unknown) => e)) as FerryError;
      expect(e1).toBeInstanceOf(FerryError);
      expect(e1.code).toBe('FERRY_E_STORE');
      expect(e1.exitCode).toBe(4);
      expect(e1.message).toContain(garbage);

      const other = join(dir, 'other.db');
      const db = new Database(other);
      db.exec('CREATE TABLE customers (id INTEGER PRIMARY KEY)');
      db.close();
      await expect(openStore(`sqlite:${other}`, { cwd: '/', now })).rejects.toMatchObject({ code: 'FERRY_E_STORE', message: expect.stringContaining('not a Ferry store') });
      // Nothing was added to the foreign database.
      const check = new Database(other, { readonly: true });
      expect(check.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all()).toEqual(['customers']);
      check.close();

      writeFileSync(join(dir, 'a-file'), 'x');
      await expect(openStore(`sqlite:${join(dir, 'a-file', 'store.db')}`, { cwd: '/', now })).rejects.toMatchObject({
        code: 'FERRY_E_STORE',
        message: expect.stringContaining(join(dir, 'a-file', 'store.db')),
      });
      await expect(openStore(`sqlite:${dir}`, { cwd: '/', now })).rejects.toMatchObject({ code: 'FERRY_E_STORE', message: expect.stringContaining(dir) });
    });
  });

  describe('index rows by key', () => {
    it('gives the index rows of existing keys without bodies, as index() has them', async () => {
      const s = await store();
      await deploy(s, everyKind.map((o) => put(o)));
      const index = new Map((await s.index()).map((i) => [i.key, i]));
      const keys = [item.guid, objectKey(language), 'no-such-key', page.guid];
      const infos = await s.getInfos(keys);
      expect(infos.map((i) => i.key).sort()).toEqual([item.guid, objectKey(language), page.guid].sort());
      for (const i of infos) {
        expect(i).toEqual(index.get(i.key));
        expect(i).not.toHaveProperty('object');
      }
      expect(await s.getInfos([])).toEqual([]);
    });
  });

  describe('store URLs', () => {
    it('refuses remote and unknown URLs with FERRY_E_STORE_URL; an unreachable PostgreSQL is FERRY_E_STORE; no password printed', async () => {
      const e1 = (await openStore('postgres://ferry:s3cret-pw@127.0.0.1:1/ferry', { cwd: '/' }).catch((e: unknown) => e)) as FerryError;
      expect(e1.code).toBe('FERRY_E_STORE');
      expect(e1.message).toContain('Cannot open the store postgres://ferry:***@127.0.0.1:1/ferry');
      expect(JSON.stringify(e1.toJSON())).not.toContain('s3cret-pw');
      await expect(openStore('postgres://ferry@127.0.0.1:1/', { cwd: '/' })).rejects.toMatchObject({ code: 'FERRY_E_STORE_URL', message: expect.stringContaining('names no database') });
      await expect(openStore('https://cms.example.com', { cwd: '/' })).rejects.toMatchObject({ code: 'FERRY_E_STORE_URL', message: expect.stringContaining('ferry serve') });
      await expect(openStore('http://127.0.0.1:8080', { cwd: '/' })).rejects.toMatchObject({ code: 'FERRY_E_STORE_URL', message: expect.stringContaining('ferry serve') });
      await expect(openStore('mysql://x/y', { cwd: '/' })).rejects.toMatchObject({ code: 'FERRY_E_STORE_URL', message: expect.stringContaining('sqlite:') });
      await expect(openStore('just-a-path.db', { cwd: '/' })).rejects.toMatchObject({ code: 'FERRY_E_STORE_URL' });
      await expect(openStore('sqlite:', { cwd: '/' })).rejects.toMatchObject({ code: 'FERRY_E_STORE_URL' });
      await expect(openStore('sqlite::memory:', { cwd: '/' })).rejects.toMatchObject({ code: 'FERRY_E_STORE_URL' });
    });

    it('opens registered schemes through their factory', async () => {
      const file = join(newDir(), 'via-factory.db');
      const seen: string[] = [];
      registerStoreFactory('ferrytest:', async (url, opts) => {
        seen.push(url);
        return SqliteStore.open(file, { url, now: opts.now });
      });
      const s = await openStore('ferrytest://somewhere', { cwd: '/', now });
      opened.push(s);
      expect(seen).toEqual(['ferrytest://somewhere']);
      expect(s.url).toBe('ferrytest://somewhere');
      await expect(openStore('mysql://x/y', { cwd: '/' })).rejects.toMatchObject({ message: expect.stringContaining('ferrytest:') });
    });
  });

  describe('drift made with plain SQL on the database file', () => {
    it('finds an updated row as changed, an inserted row as added, a deleted row as deleted', async () => {
      const s = await store();
      await deploy(s, everyKind.map((o) => put(o)));
      expect(await s.hasDrift()).toBe(false);
      const db = outside(s);

      db.prepare("UPDATE objects SET data = json_set(data, '$.displayName', 'Hand-edited') WHERE key = ?").run(workspace.guid);
      db.prepare("INSERT INTO objects (key, kind, guid, code_name, data) VALUES ('manual-1', 'assetFolder', 'manual-1', 'manual', '{}')").run();
      db.prepare('DELETE FROM objects WHERE key = ?').run(page.guid);
      // An update that does not change the content is not drift.
      db.prepare('UPDATE objects SET data = data WHERE key = ?').run(item.guid);

      expect(await s.hasDrift()).toBe(true);
      const drift = await s.drift();
      expect(drift.changed).toEqual([
        { key: workspace.guid, kind: 'workspace', guid: workspace.guid, codeName: 'editorial', path: pathOf(workspace), sourceHash: hashOf(workspace), drift: 'changed' },
      ]);
      expect(drift.added).toEqual([{ key: 'manual-1', kind: 'assetFolder', guid: 'manual-1', codeName: 'manual', path: '', sourceHash: '', drift: 'added' }]);
      expect(drift.deleted).toEqual([{ key: page.guid, kind: 'page', guid: page.guid, codeName: 'home', contentType: 'article', path: pathOf(page), sourceHash: hashOf(page) }]);
      // The delivery rows of the deleted page went with it.
      expect(s.publishedVariants({ limit: 10, offset: 0 }).map((v) => v.key)).toEqual([item.guid]);

      // Ferry's next writes of those keys clear their drift.
      await deploy(s, [put(workspace, 2), put(page, 2), { op: 'delete', key: 'manual-1', kind: 'assetFolder' }]);
      expect(await s.drift()).toEqual({ changed: [], added: [], deleted: [] });
      expect(await s.hasDrift()).toBe(false);
    });

    it('a row deleted and inserted again by hand is a change of that object, with its source hash kept', async () => {
      const s = await store();
      await deploy(s, [put(language), put(workspace)]);
      const db = outside(s);
      db.prepare('DELETE FROM objects WHERE key = ?').run(workspace.guid);
      db.prepare("INSERT INTO objects (key, kind, guid, code_name, data) VALUES (?, 'workspace', ?, 'editorial', '{}')").run(workspace.guid, workspace.guid);
      const drift = await s.drift();
      expect(drift.deleted).toEqual([]);
      expect(drift.added).toEqual([]);
      expect(drift.changed).toEqual([{ key: workspace.guid, kind: 'workspace', guid: workspace.guid, codeName: 'editorial', path: pathOf(workspace), sourceHash: hashOf(workspace), drift: 'changed' }]);
    });

    it('Ferry deleting an object that was deleted by hand clears the record', async () => {
      const s = await store();
      await deploy(s, [put(language), put(workspace)]);
      outside(s).prepare('DELETE FROM objects WHERE key = ?').run(workspace.guid);
      expect((await s.drift()).deleted.map((d) => d.key)).toEqual([workspace.guid]);
      await deploy(s, [{ op: 'delete', key: workspace.guid, kind: 'workspace' }]);
      expect(await s.hasDrift()).toBe(false);
    });

    it('reports a row whose JSON was broken by hand as FERRY_E_STORE naming the object', async () => {
      const s = await store();
      await deploy(s, [put(workspace)]);
      outside(s).prepare("UPDATE objects SET data = '{broken' WHERE key = ?").run(workspace.guid);
      await expect(s.getObjects([workspace.guid])).rejects.toMatchObject({ code: 'FERRY_E_STORE', message: expect.stringContaining(workspace.guid) });
      expect((await s.drift()).changed.map((c) => c.key)).toEqual([workspace.guid]);
    });

    it('answers hasDrift from the partial index, not a table scan', async () => {
      const s = await store();
      const plan = outside(s)
        .prepare('EXPLAIN QUERY PLAN SELECT EXISTS (SELECT 1 FROM objects WHERE drift IS NOT NULL) OR EXISTS (SELECT 1 FROM drift_deleted)')
        .all() as { detail: string }[];
      expect(plan.map((p) => p.detail).join('\n')).toContain('objects_drift');
    });
  });

  describe('delivery variants', () => {
    it('keeps one row per language variant, merged fields, maintained on put and delete', async () => {
      const s = await store();
      await deploy(s, everyKind.map((o) => put(o)));
      expect(s.countPublishedVariants()).toBe(2);
      expect(s.publishedVariants({ contentType: 'article', locale: 'en-US', limit: 10, offset: 0 })).toEqual([
        {
          key: item.guid,
          kind: 'contentItem',
          locale: 'en-US',
          contentType: 'article',
          displayName: 'Coffee origins',
          fields: { heroImage: [objectKey(everyKind[5])], title: 'Coffee origins', body: '<p>Beans.</p>\n<p>More.</p>' },
          updatedAt: '2024-06-01T12:00:00.000Z',
        },
        { key: page.guid, kind: 'page', locale: 'en-US', contentType: 'article', displayName: 'Home', slug: 'home', fields: { title: 'Welcome' }, updatedAt: '2024-06-01T12:00:00.000Z' },
      ]);
      expect(s.countPublishedVariants({ locale: 'es-ES' })).toBe(0);

      // Publish the Spanish variant, unpublish the English one.
      const next = { ...item, variants: { 'en-US': { ...item.variants['en-US'], status: 'unpublished' as const }, 'es-ES': { ...item.variants['es-ES'], status: 'published' as const } } };
      await deploy(s, [put(next, 2)]);
      expect(s.publishedVariants({ locale: 'es-ES', limit: 10, offset: 0 }).map((v) => [v.key, v.displayName])).toEqual([[item.guid, 'Orígenes del café']]);
      expect(s.publishedVariants({ locale: 'en-US', limit: 10, offset: 0 }).map((v) => v.key)).toEqual([page.guid]);

      await deploy(s, [{ op: 'delete', key: page.guid, kind: 'page' }]);
      expect(s.countPublishedVariants({ contentType: 'article' })).toBe(1);
      expect(outside(s).prepare('SELECT count(*) FROM variants').pluck().get()).toBe(2);
    });

    it('pages through published variants in a stable order', async () => {
      const s = await store();
      await deploy(s, Array.from({ length: 60 }, (_, i) => put(bulkItem(i))));
      const total = s.countPublishedVariants({ contentType: 'type-1' });
      expect(total).toBe(Array.from({ length: 60 }, (_, i) => i).filter((i) => i % 20 === 1 && i % 3 !== 0).length);
      const all = s.publishedVariants({ limit: 1000, offset: 0 });
      expect(all.length).toBe(s.countPublishedVariants());
      const paged = [...s.publishedVariants({ limit: 15, offset: 0 }), ...s.publishedVariants({ limit: 15, offset: 15 }), ...s.publishedVariants({ limit: 15, offset: 30 })];
      expect(paged.map((v) => v.key)).toEqual(all.map((v) => v.key));
    });
  });

  describe('blobs on disk', () => {
    it('keeps blobs in <db>.blobs/ab/cdef… with a row in the blobs table', async () => {
      const s = await store();
      const bytes = new TextEncoder().encode('espresso bytes');
      const sha = createHash('sha256').update(bytes).digest('hex');
      await s.putBlob(sha, bytes);
      const file = join(`${s.file}.blobs`, sha.slice(0, 2), sha.slice(2));
      expect(readFileSync(file, 'utf8')).toBe('espresso bytes');
      expect(outside(s).prepare('SELECT sha256, size, created_at FROM blobs').all()).toEqual([{ sha256: sha, size: bytes.byteLength, created_at: '2024-06-01T12:00:00.000Z' }]);
    });
  });

  describe('lock across connections', () => {
    it('holds against a second connection to the same file, and close() releases it', async () => {
      const a = await store();
      const b = (await openStore(`sqlite:${a.file}`, { cwd: '/', now })) as SqliteStore;
      opened.push(b);
      const holder = { pid: process.pid, host: hostname(), actor: 'carol', since: '2024-06-01T12:00:00.000Z', purpose: 'promote staging prod' };
      await a.acquireLock(holder, 0);
      await expect(b.acquireLock({ ...holder, actor: 'dave' }, 300)).rejects.toMatchObject({ code: 'FERRY_E_LOCK', message: expect.stringContaining('carol') });
      await a.close();
      const release = await b.acquireLock({ ...holder, actor: 'dave' }, 0);
      await release();
    });
  });

  describe('interrupted deployments', () => {
    it('marks a deployment left running by a dead process as failed when the store is opened', async () => {
      const s = await store();
      const file = s.file;
      await deploy(s, [put(language)]);
      const dead = await s.startDeployment(newDeployment({ message: 'doomed' }));
      const alive = await s.startDeployment(newDeployment());
      await s.close();
      const deadPid = await pidOfExitedProcess();
      const db = new Database(file);
      db.prepare('UPDATE deployments SET pid = ? WHERE id = ?').run(deadPid, dead.id);
      db.close();

      const reopened = (await openStore(`sqlite:${file}`, { cwd: '/', now: () => new Date('2024-06-02T00:00:00.000Z') })) as SqliteStore;
      opened.push(reopened);
      expect(await reopened.getDeployment(dead.id)).toMatchObject({ status: 'failed', message: 'interrupted (process died)', finishedAt: '2024-06-02T00:00:00.000Z' });
      // Still running in a live process (this one): left alone.
      expect((await reopened.getDeployment(alive.id))?.status).toBe('running');
      expect((await reopened.index()).map((i) => i.key)).toEqual([objectKey(language)]);
    });
  });

  describe('performance', () => {
    it('reads the index of 100,000 objects from the covering index', async () => {
      const s = await store();
      const db = outside(s);
      // Filled with plain SQL (as Ferry would have written them: stamped, with source hashes).
      const data = JSON.stringify(bulkItem(0));
      db.prepare(
        `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 99999)
         INSERT INTO objects (key, kind, guid, code_name, content_type, path, source_hash, data, ferry_stamp)
         SELECT printf('%08d-0000-4000-8000-000000000000', i), 'contentItem', printf('%08d-0000-4000-8000-000000000000', i),
                printf('item-%08d', i), printf('type-%d', i % 20), printf('content/items/type-%d/item-%08d.yaml', i % 20, i), printf('%040x', i), ?, 1 FROM n`,
      ).run(data);
      expect(await s.hasDrift()).toBe(false);
      const query = 'SELECT key, kind, code_name, content_type, path, source_hash, drift FROM objects';
      expect((db.prepare(`EXPLAIN QUERY PLAN ${query}`).all() as { detail: string }[]).map((p) => p.detail).join()).toContain('COVERING INDEX');

      // How fast, next to the raw query's floor, is a bench figure (`npm run bench:guards`).
      const index = await s.index();
      expect(index.length).toBe(100_000);
      expect(index[0]).toMatchObject({ key: '00000000-0000-4000-8000-000000000000', path: 'content/items/type-0/item-00000000.yaml' });
      expect(await s.hasDrift()).toBe(false);
    });
  });
});

describe('a blob file without its row (a deploy killed between the two)', () => {
  it('is not a blob the store has, so the next deploy writes the row', async () => {
    const store = await newStore();
    try {
      const bytes = new TextEncoder().encode('left behind by a killed deploy');
      const sha = createHash('sha256').update(bytes).digest('hex');
      new BlobFolder(store.blobDir).write(sha, bytes);
      expect(await store.hasBlob(sha)).toBe(false);
      await store.putBlob(sha, bytes);
      expect(await store.hasBlob(sha)).toBe(true);
      const db = new Database(store.file, { readonly: true });
      try {
        expect(db.prepare('SELECT size FROM blobs WHERE sha256 = ?').pluck().get(sha)).toBe(bytes.byteLength);
      } finally {
        db.close();
      }
    } finally {
      await store.close();
    }
  });
});

describe('migration 5: the reference index', () => {
  it('is filled from the objects of a store written before it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-refs-migration-'));
    const file = join(dir, 'env.db');
    const s = SqliteStore.open(file);
    const d = await s.startDeployment(newDeployment());
    await s.commitDeployment(d.id, everyKind.map((o) => put(o)), [], COUNTS, '2024-05-01T10:00:00.000Z');
    await s.close();
    // As a Ferry before the index left the file.
    const db = new Database(file);
    db.exec('DROP TABLE object_refs;');
    db.pragma('user_version = 4');
    db.close();
    const reopened = SqliteStore.open(file);
    try {
      expect((await reopened.findReferrers([asset.guid])).map((i) => i.key)).toEqual([item.guid]);
    } finally {
      await reopened.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('migration 6: store format 2 (content folders)', () => {
  it('rebuilds the objects table of a format-1 store in place: rows, drift triggers and indexes kept, content folders accepted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-format2-migration-'));
    const file = join(dir, 'env.db');
    const s = SqliteStore.open(file);
    const d = await s.startDeployment(newDeployment());
    const format1 = everyKind.filter((o) => o.kind !== 'contentFolder');
    await s.commitDeployment(d.id, format1.map((o) => put(o)), [], COUNTS, '2024-05-01T10:00:00.000Z');
    await s.close();
    // As a Ferry of store format 1 left the file: schema 5, and no content folder allowed.
    const db = new Database(file);
    // (Editing the schema text is how SQLite itself documents changing a CHECK without a rebuild.)
    db.unsafeMode(true);
    db.exec(`PRAGMA writable_schema = ON;
      UPDATE sqlite_schema SET sql = replace(sql, '''asset'', ''contentFolder'', ''contentItem''', '''asset'', ''contentItem''') WHERE name = 'objects';
      PRAGMA writable_schema = OFF;`);
    db.prepare("UPDATE meta SET value = '1' WHERE key = 'format_version'").run();
    db.pragma('user_version = 5');
    db.close();
    const old = new Database(file);
    expect(() => old.prepare("INSERT INTO objects (key, kind, code_name, data) VALUES ('x', 'contentFolder', 'x', '{}')").run()).toThrow(/CHECK constraint failed/);
    old.close();

    const reopened = SqliteStore.open(file);
    try {
      expect(reopened.meta().format_version).toBe(String(STORE_FORMAT_VERSION));
      expect((await reopened.listObjects()).map((o) => o.object)).toEqual(format1);
      const d2 = await reopened.startDeployment(newDeployment());
      await reopened.commitDeployment(d2.id, [put(everyKind.find((o) => o.kind === 'contentFolder')!)], [], COUNTS, '2024-05-02T10:00:00.000Z');
      expect((await reopened.listObjects(['contentFolder'])).map((o) => o.codeName)).toEqual(['events']);
      // The drift triggers came back with the table.
      const raw = new Database(file);
      raw.prepare("UPDATE objects SET data = '{}' WHERE key = ?").run(item.guid);
      raw.close();
      expect((await reopened.drift()).changed.map((i) => i.key)).toEqual([item.guid]);
      const check = new Database(file, { readonly: true });
      expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(check.prepare("SELECT name FROM sqlite_schema WHERE tbl_name = 'objects' AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY name").pluck().all()).toEqual([
        'objects_delete_variants',
        'objects_drift',
        'objects_kind_code_name',
        'objects_outside_delete',
        'objects_outside_insert',
        'objects_outside_update',
      ]);
      check.close();
    } finally {
      await reopened.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('migration 7: rich text references in the reference index', () => {
  it('adds the rows of ferry:// links and embeds to a store written before they counted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-refs-migration-7-'));
    const file = join(dir, 'env.db');
    const s = SqliteStore.open(file);
    const linking = { ...page, variants: { 'en-US': { ...page.variants['en-US'], fields: { title: 'Welcome', body: `<p><a href="ferry://item/${item.guid}">x</a></p><ferry-embed guid="${asset.guid}"></ferry-embed>` } } } };
    const d = await s.startDeployment(newDeployment());
    await s.commitDeployment(d.id, [...everyKind.filter((o) => o.kind !== 'page'), linking].map((o) => put(o)), [], COUNTS, '2024-05-01T10:00:00.000Z');
    await s.close();
    // As a Ferry that did not read rich text left the index: no rows from the page.
    const db = new Database(file);
    db.prepare('DELETE FROM object_refs WHERE from_key = ?').run(page.guid);
    db.pragma('user_version = 6');
    db.close();
    const reopened = SqliteStore.open(file);
    try {
      expect((await reopened.findReferrers([item.guid])).map((i) => i.key)).toEqual([page.guid]);
      expect((await reopened.findReferrers([asset.guid])).map((i) => i.key).sort()).toEqual([item.guid, page.guid].sort());
    } finally {
      await reopened.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the bulk path of a first deployment into an empty store', () => {
  const open = (bulkLoadMinWrites: number) => SqliteStore.open(join(newDir(), 'env.db'), { now, bulkLoadMinWrites });
  const items = Array.from({ length: 300 }, (_, i) => bulkItem(i));
  // Published variants get an event each; a few get two (published, unpublished, published).
  const events = (): ChangeEvent[] => {
    const out: ChangeEvent[] = [];
    for (const it of items) {
      const v = it.variants['en-US'];
      if (v.status !== 'published') continue;
      const e = { type: 'entry_published' as const, key: it.guid, kind: 'contentItem' as const, contentType: it.contentType, locale: 'en-US', at: '2024-06-01T12:00:00.000Z' };
      out.push(e);
      if (Number(it.codeName.slice(-1)) === 7) out.push({ ...e, type: 'entry_unpublished', at: '2024-06-01T12:00:01.000Z' }, { ...e, at: '2024-06-01T12:00:02.000Z' });
    }
    out.push({ type: 'asset_published', key: asset.guid, kind: 'asset', at: '2024-06-01T12:00:00.000Z' });
    return out;
  };
  const writes = () => [...everyKind.map((o) => put(o)), ...items.map((it) => put(it))].reverse();

  async function commitAll(s: SqliteStore, w: StoreWrite[]): Promise<void> {
    const d = await s.startDeployment(newDeployment());
    await s.commitDeployment(d.id, w, events().map((e) => ({ ...e, deploymentId: d.id })), COUNTS, '2024-06-01T12:00:03.000Z');
  }
  const dump = (s: SqliteStore) => {
    const db = new Database(s.file, { readonly: true });
    try {
      return {
        objects: db.prepare('SELECT key, kind, guid, code_name, content_type, path, source_hash, data, ferry_stamp, drift FROM objects ORDER BY key').all(),
        variants: db.prepare('SELECT * FROM variants ORDER BY key, locale').all(),
        changes: db.prepare('SELECT * FROM change_log ORDER BY seq').all(),
        indexes: db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name").all(),
      };
    } finally {
      db.close();
    }
  };

  it('writes exactly the rows and indexes the general path writes', async () => {
    const bulk = open(1);
    const general = open(Number.POSITIVE_INFINITY);
    try {
      await commitAll(bulk, writes());
      await commitAll(general, writes());
      const a = dump(bulk);
      const b = dump(general);
      expect(a.objects).toHaveLength(everyKind.length + items.length);
      expect(a.changes.length).toBeGreaterThan(200);
      expect((a.variants as { version: number }[]).some((v) => v.version === 2)).toBe(true);
      expect(a).toEqual(b);
      // The indexes it drops and builds again are the schema's, as the migrations leave them.
      const secondary = new Set(SECONDARY_INDEXES.map((i) => i.name));
      expect((a.indexes as { name: string; sql: string }[]).filter((i) => secondary.has(i.name))).toEqual(
        [...SECONDARY_INDEXES].sort((x, y) => (x.name < y.name ? -1 : 1)),
      );
      // Later deployments take the general path on top of it.
      const d = await bulk.startDeployment(newDeployment());
      await bulk.commitDeployment(d.id, [put(items[0], 2)], [], COUNTS, '2024-06-02T00:00:00.000Z');
      expect((await bulk.getObjects([items[0].guid])).get(items[0].guid)?.sourceHash).toBe(hashOf(items[0], 2));
    } finally {
      await bulk.close();
      await general.close();
    }
  });

  it('a failing write leaves the empty store empty, indexes included', async () => {
    const s = open(1);
    try {
      const before = dump(s);
      const d = await s.startDeployment(newDeployment());
      const bad = [...writes(), put(items[5])];
      await expect(s.commitDeployment(d.id, bad, [], COUNTS, '2024-06-01T12:00:03.000Z')).rejects.toMatchObject({ code: 'FERRY_E_STORE' });
      expect(dump(s)).toEqual(before);
    } finally {
      await s.close();
    }
  });
});
