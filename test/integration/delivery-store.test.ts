import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChangeEvent, ContentItem, StoreWrite } from '../../src/model/index.js';
import { SCHEMA_VERSION, SqliteStore } from '../../src/store/index.js';
import { COUNTS, asset, contentType, item, language, languageEs, newDeployment, put, workspace } from './store-fixtures.js';

/**
 * What the SQLite store keeps for the Sync API (migration 3): per-variant change seq, version and
 * times maintained by commitDeployment, kept across rewrites of the item, and backfilled for
 * stores written before the migration.
 */

const dirs: string[] = [];
const stores: SqliteStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function open(file?: string): SqliteStore {
  const f = file ?? join((dirs[dirs.push(mkdtempSync(join(tmpdir(), 'ferry-delivery-store-'))) - 1]), 'prod.db');
  const s = SqliteStore.open(f);
  stores.push(s);
  return s;
}

async function deploy(s: SqliteStore, writes: StoreWrite[], events: Omit<ChangeEvent, 'at'>[], at: string): Promise<void> {
  const d = await s.startDeployment(newDeployment({ startedAt: at }));
  await s.commitDeployment(d.id, writes, events.map((e) => ({ ...e, at })), COUNTS, at);
}

const published = (locale: string) => ({ type: 'entry_published' as const, key: item.guid, kind: 'contentItem' as const, contentType: 'article', locale });
const both: ContentItem = { ...item, variants: { ...item.variants, 'es-ES': { ...item.variants['es-ES'], status: 'published' } } };

describe('per-variant Sync API columns', () => {
  it('follow the variant’s own events and survive rewrites of its item', async () => {
    const s = open();
    const reads = s.deliveryReads();
    await deploy(s, [put(language), put(languageEs), put(workspace), put(contentType), put(asset), put(both)], [published('en-US'), published('es-ES')], '2024-05-01T10:00:00.000Z');
    const first = await reads.variantsByKeys([{ key: item.guid, locale: 'en-US' }, { key: item.guid, locale: 'es-ES' }]);
    expect([...first.values()].map((v) => [v.locale, v.changeSeq, v.version, v.createdAt, v.publishedAt])).toEqual([
      ['en-US', 1, 1, '2024-05-01T10:00:00.000Z', '2024-05-01T10:00:00.000Z'],
      ['es-ES', 2, 1, '2024-05-01T10:00:00.000Z', '2024-05-01T10:00:00.000Z'],
    ]);

    // Only en-US changes: es-ES is rewritten with its item but keeps what it had.
    const edited = { ...both, variants: { ...both.variants, 'en-US': { ...both.variants['en-US'], displayName: 'Edited' } } };
    await deploy(s, [put(edited, 2)], [published('en-US')], '2024-05-02T10:00:00.000Z');
    const second = await reads.variantsByKeys([{ key: item.guid, locale: 'en-US' }, { key: item.guid, locale: 'es-ES' }]);
    expect(second.get(`${item.guid}\nen-US`)).toMatchObject({ displayName: 'Edited', changeSeq: 3, version: 2, createdAt: '2024-05-01T10:00:00.000Z', publishedAt: '2024-05-02T10:00:00.000Z', updatedAt: '2024-05-02T10:00:00.000Z' });
    expect(second.get(`${item.guid}\nes-ES`)).toMatchObject({ changeSeq: 2, version: 1, publishedAt: '2024-05-01T10:00:00.000Z' });

    // Unpublishing moves the change seq, not the version; removing a variant drops its row.
    const gone: ContentItem = { ...edited, variants: { 'en-US': { ...edited.variants['en-US'], status: 'unpublished' } } };
    await deploy(s, [put(gone, 3)], [{ ...published('en-US'), type: 'entry_unpublished' }, { ...published('es-ES'), type: 'entry_deleted' }], '2024-05-03T10:00:00.000Z');
    const third = await reads.variantsByKeys([{ key: item.guid, locale: 'en-US' }, { key: item.guid, locale: 'es-ES' }]);
    expect([...third.values()].map((v) => [v.locale, v.status, v.changeSeq, v.version])).toEqual([['en-US', 'unpublished', 4, 2]]);
    expect(await reads.countSyncVariants({}, 100)).toBe(0);
  });

  it('serve an initial sync only the variants last changed at or before its start', async () => {
    const s = open();
    const reads = s.deliveryReads();
    await deploy(s, [put(language), put(languageEs), put(workspace), put(contentType), put(both)], [published('en-US'), published('es-ES')], '2024-05-01T10:00:00.000Z');
    expect((await reads.syncVariants({}, 2, undefined, 10)).map((v) => v.locale)).toEqual(['en-US', 'es-ES']);
    await deploy(s, [put({ ...both, fields: { heroImage: [] } }, 2)], [published('es-ES')], '2024-05-02T10:00:00.000Z');
    expect((await reads.syncVariants({}, 2, undefined, 10)).map((v) => v.locale)).toEqual(['en-US']);
    expect(await reads.countSyncVariants({}, 2)).toBe(1);
    expect((await reads.syncVariants({}, 3, undefined, 10)).map((v) => v.locale)).toEqual(['en-US', 'es-ES']);
    expect(await reads.syncVariants({ locale: 'es-ES' }, 3, { contentType: 'article', locale: 'es-ES', key: item.guid }, 10)).toEqual([]);
  });

  it('are backfilled from the change log when a store written before them is opened', async () => {
    const s = open();
    const file = s.file;
    await deploy(s, [put(language), put(languageEs), put(workspace), put(contentType), put(both)], [published('en-US'), published('es-ES')], '2024-05-01T10:00:00.000Z');
    await deploy(s, [put(both, 2)], [published('en-US')], '2024-05-02T10:00:00.000Z');
    await s.close();
    stores.splice(stores.indexOf(s), 1);

    // Take the file back to schema 2, as an older Ferry left it.
    const db = new Database(file);
    db.exec(`CREATE INDEX variants_delivery ON variants (content_type, locale, status, key);
      DROP INDEX variants_sync; DROP INDEX variants_sync_locale; DROP INDEX change_log_key; DROP TABLE delivery_keys;
      ALTER TABLE variants DROP COLUMN change_seq; ALTER TABLE variants DROP COLUMN version;
      ALTER TABLE variants DROP COLUMN created_at; ALTER TABLE variants DROP COLUMN published_at;
      DROP TABLE object_refs;`);
    db.pragma('user_version = 2');
    db.close();

    const reopened = open(file);
    expect(reopened.meta().format_version).toBeDefined();
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    // Migration 4 drops the index every variant query could do without.
    const indexes = (raw.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'variants' AND sql IS NOT NULL ORDER BY name").pluck().all() as string[]);
    expect(indexes).toEqual(['variants_sync', 'variants_sync_locale']);
    raw.close();
    const v = await reopened.deliveryReads().variantsByKeys([{ key: item.guid, locale: 'en-US' }, { key: item.guid, locale: 'es-ES' }]);
    expect([...v.values()].map((x) => [x.locale, x.changeSeq, x.version, x.publishedAt])).toEqual([
      ['en-US', 3, 2, '2024-05-02T10:00:00.000Z'],
      ['es-ES', 2, 1, '2024-05-01T10:00:00.000Z'],
    ]);
  });

  it('keep one token key per store, outside the meta table', async () => {
    const s = open();
    const k1 = await s.deliveryReads().tokenKey();
    expect(k1.length).toBe(32);
    expect((await s.deliveryReads().tokenKey()).equals(k1)).toBe(true);
    expect(Object.keys(s.meta())).not.toContain('sync_token_hmac');
    const file = s.file;
    await s.close();
    stores.splice(stores.indexOf(s), 1);
    expect((await open(file).deliveryReads().tokenKey()).equals(k1)).toBe(true);
    expect((await open().deliveryReads().tokenKey()).equals(k1)).toBe(false);
  });
});
