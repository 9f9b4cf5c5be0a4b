import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { FerryError } from '../../errors/index.js';
import type { Asset, ChangeEvent, ContentType, Language, VariantStatus } from '../../model/index.js';
import { BlobFolder } from '../blob-folder.js';
import {
  clampLimit,
  variantKey,
  type AssetCursor,
  type ChangeFilter,
  type DeliveryAsset,
  type DeliveryBlob,
  type DeliveryReads,
  type DeliveryVariant,
  type VariantCursor,
  type VariantFilter,
} from '../../model/delivery-reads.js';
import { guardStore } from './guard.js';
import { changeFromRow, type ChangeRow } from './rows.js';

export { variantKey };
// The shapes now live with the port; re-exported for code that imports them from here.
export type { AssetCursor, ChangeFilter, DeliveryAsset, DeliveryVariant, VariantCursor, VariantFilter } from '../../model/delivery-reads.js';

/**
 * The SQLite store's delivery reads (the DeliveryReads port, src/model/delivery-reads.ts): they
 * lean on the `variants` rows, the per-variant `change_seq` and the change log's key index
 * (migration 3). They read through a read-only connection of their own, so a snapshot (one read
 * transaction, held across the awaits of a request) never wraps a deployment the store commits
 * meanwhile on its own connection; snapshots take turns on that connection.
 */

type VariantDbRow = {
  key: string;
  kind: 'contentItem' | 'page';
  locale: string;
  content_type: string;
  status: VariantStatus;
  display_name: string;
  slug: string | null;
  data: string;
  created_at: string | null;
  updated_at: string;
  published_at: string | null;
  version: number;
  change_seq: number;
};

type AssetDbRow = { key: string; data: string; last_seq: number; first_at: string | null; published_at: string | null; version: number };

const VARIANT_COLUMNS = 'key, kind, locale, content_type, status, display_name, slug, data, created_at, updated_at, published_at, version, change_seq';
const ASSET_COLUMNS = `o.key AS key, o.data AS data,
  coalesce((SELECT max(seq) FROM change_log c WHERE c.key = o.key), 0) AS last_seq,
  (SELECT at FROM change_log c WHERE c.key = o.key ORDER BY seq LIMIT 1) AS first_at,
  (SELECT at FROM change_log c WHERE c.key = o.key AND c.type = 'asset_published' ORDER BY seq DESC LIMIT 1) AS published_at,
  (SELECT count(*) FROM change_log c WHERE c.key = o.key AND c.type = 'asset_published') AS version`;
const TOKEN_KEY = 'sync_token_hmac';

export class SqliteDeliveryReads implements DeliveryReads {
  private readonly statements = new Map<string, Database.Statement>();
  private readonly blobs: BlobFolder;
  private readonly db: Database.Database;
  /** The end of the last snapshot queued: snapshots run one after another. */
  private turn: Promise<unknown> = Promise.resolve();

  constructor(
    /** The store's own connection: only the token key is written through it. */
    private readonly writer: Database.Database,
    private readonly file: string,
    blobDir: string,
  ) {
    this.blobs = new BlobFolder(blobDir);
    this.db = new Database(file, { readonly: true, fileMustExist: true, timeout: 5000 });
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  // ---- initial sync ----------------------------------------------------------------------------

  /**
   * Published variants whose last event is at or before `upToSeq`, after `after` in
   * (content type, locale, key) order: one keyset page of an initial sync. Variants changed after
   * the sync began are left to its delta, which reads their events.
   */
  async syncVariants(filter: VariantFilter, upToSeq: number, after: VariantCursor | undefined, limit: number): Promise<DeliveryVariant[]> {
    const where = this.variantWhere(filter);
    where.sql.push(keysetAfter(filter), 'change_seq <= @upToSeq');
    const sql = `SELECT ${VARIANT_COLUMNS} FROM variants WHERE ${where.sql.join(' AND ')} ORDER BY content_type, locale, key LIMIT @limit`;
    return this.run('read a sync page', () =>
      (
        this.statement(sql).all({
          ...where.params,
          afterType: after?.contentType ?? '',
          afterLocale: after?.locale ?? '',
          afterKey: after?.key ?? '',
          upToSeq,
          limit: clampLimit(limit),
        }) as VariantDbRow[]
      ).map(variantFromRow),
    );
  }

  /**
   * Published variants matching the filter, last changed at or before `upToSeq`. Without
   * `upToSeq` (an init counting in the same snapshot as it read the last seq, when no variant can
   * be later) and without a date, the count reads only the index.
   */
  async countSyncVariants(filter: VariantFilter, upToSeq?: number): Promise<number> {
    const where = this.variantWhere(filter);
    if (upToSeq !== undefined) where.sql.push('change_seq <= @upToSeq');
    const params = upToSeq === undefined ? where.params : { ...where.params, upToSeq };
    return this.run('count published variants', () => this.statement(`SELECT count(*) FROM variants WHERE ${where.sql.join(' AND ')}`).pluck().get(params) as number);
  }

  /** Assets whose last event is at or before `upToSeq`, after `after` in (code name, key) order. */
  async syncAssets(publishedSince: string | undefined, upToSeq: number, after: AssetCursor | undefined, limit: number): Promise<DeliveryAsset[]> {
    const since = publishedSince === undefined ? '' : ' AND coalesce(published_at, first_at, \'\') >= @since';
    const sql = `SELECT * FROM (SELECT ${ASSET_COLUMNS}, o.code_name AS code_name FROM objects o
      WHERE o.kind = 'asset' AND (o.code_name, o.key) > (@afterCode, @afterKey) ORDER BY o.code_name, o.key)
      WHERE last_seq <= @upToSeq${since} ORDER BY code_name, key LIMIT @limit`;
    return this.run('read a sync page of assets', () =>
      (
        this.statement(sql).all({
          afterCode: after?.codeName ?? '',
          afterKey: after?.key ?? '',
          upToSeq,
          limit: clampLimit(limit),
          ...(publishedSince === undefined ? {} : { since: publishedSince }),
        }) as (AssetDbRow & { code_name: string })[]
      ).map((r) => this.assetFromRow(r)),
    );
  }

  /** Assets last changed at or before `upToSeq` (any, when absent: see countSyncVariants). */
  async countSyncAssets(publishedSince: string | undefined, upToSeq?: number): Promise<number> {
    if (publishedSince === undefined && upToSeq === undefined) return this.countAssetsNow();
    const conditions = [...(upToSeq === undefined ? [] : ['last_seq <= @upToSeq']), ...(publishedSince === undefined ? [] : ["coalesce(published_at, first_at, '') >= @since"])];
    const sql = `SELECT count(*) FROM (SELECT ${ASSET_COLUMNS} FROM objects o WHERE o.kind = 'asset') WHERE ${conditions.join(' AND ')}`;
    return this.run('count assets', () =>
      this.statement(sql).pluck().get({ ...(upToSeq === undefined ? {} : { upToSeq }), ...(publishedSince === undefined ? {} : { since: publishedSince }) }) as number,
    );
  }

  // ---- change log --------------------------------------------------------------------------------

  /** Events with afterSeq < seq <= upToSeq matching the filter, ascending, at most `limit`. */
  async changes(afterSeq: number, upToSeq: number, filter: ChangeFilter, limit: number): Promise<ChangeEvent[]> {
    const where = changeWhere(filter);
    const sql = `SELECT seq, type, key, kind, content_type, locale, at, deployment_id FROM change_log WHERE ${where.sql.join(' AND ')} ORDER BY seq LIMIT @limit`;
    return this.run('read the change log', () =>
      (this.statement(sql).all({ ...where.params, afterSeq, upToSeq, limit: clampLimit(limit) }) as ChangeRow[]).map(changeFromRow),
    );
  }

  async countChanges(afterSeq: number, upToSeq: number, filter: ChangeFilter): Promise<number> {
    const where = changeWhere(filter);
    return this.run('count change-log events', () =>
      this.statement(`SELECT count(*) FROM change_log WHERE ${where.sql.join(' AND ')}`).pluck().get({ ...where.params, afterSeq, upToSeq }) as number,
    );
  }

  async lastChangeSeq(): Promise<number> {
    return this.run('read the change log', () => this.statement('SELECT coalesce(max(seq), 0) FROM change_log').pluck().get() as number);
  }

  // ---- lookups -----------------------------------------------------------------------------------

  /** Current variants (any status) for (key, locale) pairs, keyed `key + '\n' + locale`. */
  async variantsByKeys(pairs: readonly { key: string; locale: string }[]): Promise<Map<string, DeliveryVariant>> {
    const out = new Map<string, DeliveryVariant>();
    if (pairs.length === 0) return out;
    // CROSS JOIN keeps json_each outside: one primary-key probe of variants per pair.
    const sql = `SELECT ${VARIANT_COLUMNS.split(', ').map((c) => `v.${c}`).join(', ')} FROM json_each(?) j
      CROSS JOIN variants v ON v.key = json_extract(j.value, '$[0]') AND v.locale = json_extract(j.value, '$[1]')`;
    return this.run('read variants', () => {
      for (const r of this.statement(sql).all(JSON.stringify(pairs.map((p) => [p.key, p.locale]))) as VariantDbRow[]) out.set(variantKey(r.key, r.locale), variantFromRow(r));
      return out;
    });
  }

  /** Current assets by key (missing keys are absent). */
  async assetsByKeys(keys: readonly string[]): Promise<Map<string, DeliveryAsset>> {
    const out = new Map<string, DeliveryAsset>();
    if (keys.length === 0) return out;
    const sql = `SELECT ${ASSET_COLUMNS} FROM objects o WHERE o.kind = 'asset' AND o.key IN (SELECT value FROM json_each(?))`;
    return this.run('read assets', () => {
      for (const r of this.statement(sql).all(JSON.stringify([...new Set(keys)])) as AssetDbRow[]) out.set(r.key, this.assetFromRow(r));
      return out;
    });
  }

  /** Content type code names of items and pages by key (for references). */
  async contentTypesOfKeys(keys: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (keys.length === 0) return out;
    return this.run('read reference targets', () => {
      const rows = this.statement('SELECT key, content_type FROM objects WHERE key IN (SELECT value FROM json_each(?)) AND content_type IS NOT NULL').all(
        JSON.stringify([...new Set(keys)]),
      ) as { key: string; content_type: string }[];
      for (const r of rows) out.set(r.key, r.content_type);
      return out;
    });
  }

  async contentTypes(): Promise<ContentType[]> {
    return this.run('read content types', () =>
      (this.statement("SELECT data FROM objects WHERE kind = 'contentType' ORDER BY code_name").pluck().all() as string[]).map((d) => JSON.parse(d) as ContentType),
    );
  }

  async languages(): Promise<Language[]> {
    return this.run('read languages', () =>
      (this.statement("SELECT data FROM objects WHERE kind = 'language' ORDER BY code_name").pluck().all() as string[]).map((d) => JSON.parse(d) as Language),
    );
  }

  // ---- entries and assets endpoints --------------------------------------------------------------

  /** Published variants of one content type and locale, by key, offset paging. */
  async publishedEntries(contentType: string, locale: string, limit: number, offset: number): Promise<DeliveryVariant[]> {
    const sql = `SELECT ${VARIANT_COLUMNS} FROM variants WHERE content_type = ? AND locale = ? AND status = 'published' ORDER BY key LIMIT ? OFFSET ?`;
    return this.run('read entries', () => (this.statement(sql).all(contentType, locale, clampLimit(limit), Math.max(0, Math.floor(offset))) as VariantDbRow[]).map(variantFromRow));
  }

  async countPublishedEntries(contentType: string, locale: string): Promise<number> {
    return this.run('count entries', () =>
      this.statement("SELECT count(*) FROM variants WHERE content_type = ? AND locale = ? AND status = 'published'").pluck().get(contentType, locale) as number,
    );
  }

  async publishedEntry(contentType: string, key: string, locale: string): Promise<DeliveryVariant | undefined> {
    const sql = `SELECT ${VARIANT_COLUMNS} FROM variants WHERE key = ? AND locale = ? AND content_type = ? AND status = 'published'`;
    return this.run('read an entry', () => {
      const r = this.statement(sql).get(key, locale, contentType) as VariantDbRow | undefined;
      return r && variantFromRow(r);
    });
  }

  async assets(limit: number, offset: number): Promise<DeliveryAsset[]> {
    const sql = `SELECT ${ASSET_COLUMNS} FROM objects o WHERE o.kind = 'asset' ORDER BY o.code_name, o.key LIMIT ? OFFSET ?`;
    return this.run('read assets', () => (this.statement(sql).all(clampLimit(limit), Math.max(0, Math.floor(offset))) as AssetDbRow[]).map((r) => this.assetFromRow(r)));
  }

  async countAssets(): Promise<number> {
    return this.countAssetsNow();
  }

  private countAssetsNow(): number {
    return this.run('count assets', () => this.statement("SELECT count(*) FROM objects WHERE kind = 'asset'").pluck().get() as number);
  }

  // ---- misc --------------------------------------------------------------------------------------

  /**
   * Runs `fn` in one read transaction on the read connection, so every query of a page sees the
   * same state even when a deployment commits meanwhile (WAL keeps the snapshot). Snapshots wait
   * for each other (so do not start one inside another).
   */
  async snapshot<T>(fn: (reads: DeliveryReads) => Promise<T>): Promise<T> {
    const run = async () => {
      this.statement('BEGIN').run();
      try {
        return await fn(this);
      } finally {
        this.statement('COMMIT').run();
      }
    };
    const result = this.turn.then(run, run);
    this.turn = result.catch(() => undefined);
    return result;
  }

  /** Changes whenever a deployment finishes: a cache key for content types and languages. */
  async revision(): Promise<string> {
    return this.run('read the deployments', () => {
      const r = this.statement("SELECT coalesce(max(id), 0) AS id, count(*) AS n FROM deployments WHERE status IN ('succeeded', 'no-op')").get() as { id: number; n: number };
      return `${r.id}:${r.n}`;
    });
  }

  /** The instance's Sync API token key (32 random bytes), made on first use. */
  async tokenKey(): Promise<Buffer> {
    return this.run('read the token key', () => {
      this.writer.prepare('INSERT OR IGNORE INTO delivery_keys (name, value) VALUES (?, ?)').run(TOKEN_KEY, randomBytes(32).toString('hex'));
      return Buffer.from(this.writer.prepare('SELECT value FROM delivery_keys WHERE name = ?').pluck().get(TOKEN_KEY) as string, 'hex');
    });
  }

  /** A blob from the blob folder (undefined when its file is missing). */
  async blob(sha256: string): Promise<DeliveryBlob | undefined> {
    const path = this.blobs.pathOf(sha256);
    let size: number;
    try {
      size = statSync(path).size;
    } catch {
      return undefined;
    }
    return { size, open: (start, end) => createReadStream(path, { start, end }) };
  }

  // ---- internals -----------------------------------------------------------------------------

  private variantWhere(filter: VariantFilter): { sql: string[]; params: Record<string, string> } {
    const sql = ["status = 'published'"];
    const params: Record<string, string> = {};
    if (filter.contentType !== undefined) {
      sql.push('content_type = @contentType');
      params.contentType = filter.contentType;
    }
    if (filter.locale !== undefined) {
      sql.push('locale = @locale');
      params.locale = filter.locale;
    }
    if (filter.publishedSince !== undefined) {
      sql.push('coalesce(published_at, updated_at) >= @since');
      params.since = filter.publishedSince;
    }
    return { sql, params };
  }

  private assetFromRow(r: AssetDbRow): DeliveryAsset {
    const a: DeliveryAsset = { key: r.key, asset: this.parse<Asset>(r.data, r.key), lastSeq: r.last_seq, version: r.version };
    if (r.first_at !== null) a.createdAt = r.first_at;
    if (r.published_at !== null) a.publishedAt = r.published_at;
    return a;
  }

  private parse<T>(json: string, key: string): T {
    try {
      return JSON.parse(json) as T;
    } catch (e) {
      throw new FerryError('FERRY_E_STORE', `Object ${key} in ${this.file} holds invalid JSON; was it edited outside Ferry?`, { data: { path: this.file, key }, cause: e });
    }
  }

  /** One prepared statement per distinct SQL text (filter combinations make a handful). */
  private statement(sql: string): Database.Statement {
    let st = this.statements.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      this.statements.set(sql, st);
    }
    return st;
  }

  private run<T>(what: string, fn: () => T): T {
    return guardStore(this.file, what, fn);
  }
}

function variantFromRow(r: VariantDbRow): DeliveryVariant {
  const v: DeliveryVariant = {
    key: r.key,
    kind: r.kind,
    locale: r.locale,
    contentType: r.content_type,
    status: r.status,
    displayName: r.display_name,
    fields: JSON.parse(r.data) as Record<string, unknown>,
    createdAt: r.created_at ?? r.updated_at,
    updatedAt: r.updated_at,
    version: r.version,
    changeSeq: r.change_seq,
  };
  if (r.slug !== null) v.slug = r.slug;
  if (r.published_at !== null) v.publishedAt = r.published_at;
  return v;
}

function changeWhere(filter: ChangeFilter): { sql: string[]; params: Record<string, string> } {
  const sql = ['seq > @afterSeq', 'seq <= @upToSeq'];
  const params: Record<string, string> = {};
  if (filter.types !== undefined) {
    sql.push('type IN (SELECT value FROM json_each(@types))');
    params.types = JSON.stringify(filter.types);
  }
  if (filter.contentType !== undefined) {
    sql.push("content_type = @contentType AND type NOT LIKE 'asset\\_%' ESCAPE '\\'");
    params.contentType = filter.contentType;
  }
  if (filter.locale !== undefined) {
    sql.push('(locale = @locale OR locale IS NULL)');
    params.locale = filter.locale;
  }
  if (filter.since !== undefined) {
    sql.push('at >= @since');
    params.since = filter.since;
  }
  return { sql, params };
}

/**
 * "After the cursor" in (content_type, locale, key) order, written without the columns the filter
 * fixes, so that SQLite seeks the index instead of scanning the fixed prefix.
 */
function keysetAfter(filter: VariantFilter): string {
  const ct = filter.contentType !== undefined;
  const lo = filter.locale !== undefined;
  if (ct && lo) return 'key > @afterKey';
  if (ct) return '(locale, key) > (@afterLocale, @afterKey)';
  if (lo) return '(content_type, key) > (@afterType, @afterKey)';
  return '(content_type, locale, key) > (@afterType, @afterLocale, @afterKey)';
}
