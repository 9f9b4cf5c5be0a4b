import { randomBytes } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import type pg from 'pg';
import { FerryError } from '../../errors/index.js';
import type { Asset, ChangeEvent, ContentType, Language, VariantStatus } from '../../model/index.js';
import type { BlobFolder } from '../blob-folder.js';
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
import { assertSha256 } from '../sha256.js';
import { changeFromRow, type ChangeRow } from '../sqlite/rows.js';
import { guardPg, withTransaction, type Queryable } from './transaction.js';

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

/**
 * The PostgreSQL store's delivery reads (the DeliveryReads port): the same queries as the SQLite
 * store's, in PostgreSQL's dialect. A snapshot is one REPEATABLE READ, READ ONLY transaction on
 * one pooled connection, so every query of a page sees one committed state; any number of
 * snapshots run at once (one connection each).
 */
export class PgDeliveryReads implements DeliveryReads {
  constructor(
    private readonly pool: pg.Pool,
    private readonly q: Queryable,
    private readonly shown: string,
    private readonly blobs: BlobFolder,
  ) {}

  async snapshot<T>(fn: (reads: DeliveryReads) => Promise<T>): Promise<T> {
    return withTransaction(this.pool, (c) => fn(new PgDeliveryReads(this.pool, c, this.shown, this.blobs)), 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  }

  // ---- initial sync ----------------------------------------------------------------------------

  async syncVariants(filter: VariantFilter, upToSeq: number, after: VariantCursor | undefined, limit: number): Promise<DeliveryVariant[]> {
    const w = new Where();
    variantWhere(w, filter);
    w.add(keysetAfter(w, filter, after));
    w.add(`change_seq <= ${w.param(upToSeq)}`);
    const sql = `SELECT ${VARIANT_COLUMNS} FROM variants WHERE ${w.sql()} ORDER BY content_type, locale, key LIMIT ${w.param(clampLimit(limit))}`;
    return this.run('read a sync page', async () => (await this.q.query<VariantDbRow>(sql, w.params)).rows.map(variantFromRow));
  }

  async countSyncVariants(filter: VariantFilter, upToSeq?: number): Promise<number> {
    const w = new Where();
    variantWhere(w, filter);
    if (upToSeq !== undefined) w.add(`change_seq <= ${w.param(upToSeq)}`);
    return this.count('count published variants', `SELECT count(*) AS n FROM variants WHERE ${w.sql()}`, w.params);
  }

  async syncAssets(publishedSince: string | undefined, upToSeq: number, after: AssetCursor | undefined, limit: number): Promise<DeliveryAsset[]> {
    const params: unknown[] = [after?.codeName ?? '', after?.key ?? '', upToSeq, clampLimit(limit)];
    const since = publishedSince === undefined ? '' : ` AND coalesce(published_at, first_at, '') >= $${params.push(publishedSince)}`;
    const sql = `SELECT * FROM (SELECT ${ASSET_COLUMNS}, o.code_name AS code_name FROM objects o
      WHERE o.kind = 'asset' AND (o.code_name, o.key) > ($1, $2)) a
      WHERE last_seq <= $3${since} ORDER BY code_name, key LIMIT $4`;
    return this.run('read a sync page of assets', async () => (await this.q.query<AssetDbRow>(sql, params)).rows.map((r) => this.assetFromRow(r)));
  }

  async countSyncAssets(publishedSince: string | undefined, upToSeq?: number): Promise<number> {
    if (publishedSince === undefined && upToSeq === undefined) return this.countAssets();
    const w = new Where();
    if (upToSeq !== undefined) w.add(`last_seq <= ${w.param(upToSeq)}`);
    if (publishedSince !== undefined) w.add(`coalesce(published_at, first_at, '') >= ${w.param(publishedSince)}`);
    return this.count('count assets', `SELECT count(*) AS n FROM (SELECT ${ASSET_COLUMNS} FROM objects o WHERE o.kind = 'asset') a WHERE ${w.sql()}`, w.params);
  }

  // ---- change log ------------------------------------------------------------------------------

  async changes(afterSeq: number, upToSeq: number, filter: ChangeFilter, limit: number): Promise<ChangeEvent[]> {
    const w = changeWhere(afterSeq, upToSeq, filter);
    const sql = `SELECT seq, type, key, kind, content_type, locale, at, deployment_id FROM change_log WHERE ${w.sql()} ORDER BY seq LIMIT ${w.param(clampLimit(limit))}`;
    return this.run('read the change log', async () => (await this.q.query<ChangeRow>(sql, w.params)).rows.map(changeFromRow));
  }

  async countChanges(afterSeq: number, upToSeq: number, filter: ChangeFilter): Promise<number> {
    const w = changeWhere(afterSeq, upToSeq, filter);
    return this.count('count change-log events', `SELECT count(*) AS n FROM change_log WHERE ${w.sql()}`, w.params);
  }

  async lastChangeSeq(): Promise<number> {
    return this.count('read the change log', 'SELECT coalesce(max(seq), 0) AS n FROM change_log', []);
  }

  // ---- lookups ---------------------------------------------------------------------------------

  async variantsByKeys(pairs: readonly { key: string; locale: string }[]): Promise<Map<string, DeliveryVariant>> {
    const out = new Map<string, DeliveryVariant>();
    if (pairs.length === 0) return out;
    const sql = `SELECT ${VARIANT_COLUMNS.split(', ').map((c) => `v.${c}`).join(', ')} FROM unnest($1::text[], $2::text[]) AS p(key, locale)
      JOIN variants v ON v.key = p.key AND v.locale = p.locale`;
    return this.run('read variants', async () => {
      for (const r of (await this.q.query<VariantDbRow>(sql, [pairs.map((p) => p.key), pairs.map((p) => p.locale)])).rows) out.set(variantKey(r.key, r.locale), variantFromRow(r));
      return out;
    });
  }

  async assetsByKeys(keys: readonly string[]): Promise<Map<string, DeliveryAsset>> {
    const out = new Map<string, DeliveryAsset>();
    if (keys.length === 0) return out;
    const sql = `SELECT ${ASSET_COLUMNS} FROM objects o WHERE o.kind = 'asset' AND o.key = ANY($1::text[])`;
    return this.run('read assets', async () => {
      for (const r of (await this.q.query<AssetDbRow>(sql, [[...new Set(keys)]])).rows) out.set(r.key, this.assetFromRow(r));
      return out;
    });
  }

  async contentTypesOfKeys(keys: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (keys.length === 0) return out;
    return this.run('read reference targets', async () => {
      const rows = (await this.q.query<{ key: string; content_type: string }>('SELECT key, content_type FROM objects WHERE key = ANY($1::text[]) AND content_type IS NOT NULL', [[...new Set(keys)]])).rows;
      for (const r of rows) out.set(r.key, r.content_type);
      return out;
    });
  }

  async contentTypes(): Promise<ContentType[]> {
    return this.run('read content types', async () =>
      (await this.q.query<{ data: string }>("SELECT data FROM objects WHERE kind = 'contentType' ORDER BY code_name")).rows.map((r) => this.parse<ContentType>(r.data, 'content type')),
    );
  }

  async languages(): Promise<Language[]> {
    return this.run('read languages', async () =>
      (await this.q.query<{ data: string }>("SELECT data FROM objects WHERE kind = 'language' ORDER BY code_name")).rows.map((r) => this.parse<Language>(r.data, 'language')),
    );
  }

  // ---- entries and assets endpoints ------------------------------------------------------------

  async publishedEntries(contentType: string, locale: string, limit: number, offset: number): Promise<DeliveryVariant[]> {
    const sql = `SELECT ${VARIANT_COLUMNS} FROM variants WHERE status = 'published' AND content_type = $1 AND locale = $2 ORDER BY key LIMIT $3 OFFSET $4`;
    return this.run('read entries', async () => (await this.q.query<VariantDbRow>(sql, [contentType, locale, clampLimit(limit), Math.max(0, Math.floor(offset))])).rows.map(variantFromRow));
  }

  async countPublishedEntries(contentType: string, locale: string): Promise<number> {
    return this.count('count entries', "SELECT count(*) AS n FROM variants WHERE status = 'published' AND content_type = $1 AND locale = $2", [contentType, locale]);
  }

  async publishedEntry(contentType: string, key: string, locale: string): Promise<DeliveryVariant | undefined> {
    const sql = `SELECT ${VARIANT_COLUMNS} FROM variants WHERE key = $1 AND locale = $2 AND content_type = $3 AND status = 'published'`;
    return this.run('read an entry', async () => {
      const r = (await this.q.query<VariantDbRow>(sql, [key, locale, contentType])).rows[0];
      return r && variantFromRow(r);
    });
  }

  async assets(limit: number, offset: number): Promise<DeliveryAsset[]> {
    const sql = `SELECT ${ASSET_COLUMNS} FROM objects o WHERE o.kind = 'asset' ORDER BY o.code_name, o.key LIMIT $1 OFFSET $2`;
    return this.run('read assets', async () => (await this.q.query<AssetDbRow>(sql, [clampLimit(limit), Math.max(0, Math.floor(offset))])).rows.map((r) => this.assetFromRow(r)));
  }

  async countAssets(): Promise<number> {
    return this.count('count assets', "SELECT count(*) AS n FROM objects WHERE kind = 'asset'", []);
  }

  // ---- misc ------------------------------------------------------------------------------------

  async revision(): Promise<string> {
    return this.run('read the deployments', async () => {
      const r = (await this.q.query<{ id: number; n: number }>("SELECT coalesce(max(id), 0) AS id, count(*) AS n FROM deployments WHERE status IN ('succeeded', 'no-op')")).rows[0];
      return `${r.id}:${r.n}`;
    });
  }

  /** Written through the pool (never inside a read-only snapshot); every replica reads the same key. */
  async tokenKey(): Promise<Buffer> {
    return this.run('read the token key', async () => {
      await this.pool.query('INSERT INTO delivery_keys (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [TOKEN_KEY, randomBytes(32).toString('hex')]);
      const r = await this.pool.query<{ value: string }>('SELECT value FROM delivery_keys WHERE name = $1', [TOKEN_KEY]);
      return Buffer.from(r.rows[0].value, 'hex');
    });
  }

  async blob(sha256: string): Promise<DeliveryBlob | undefined> {
    assertSha256(sha256);
    return this.run('read a blob', async () => {
      const r = (await this.q.query<{ size: number; bytes: Buffer | null }>('SELECT size, bytes FROM blobs WHERE sha256 = $1', [sha256])).rows[0];
      if (!r) return undefined;
      const bytes = r.bytes;
      if (bytes !== null) return { size: bytes.byteLength, open: (start: number, end: number) => Readable.from([bytes.subarray(start, end + 1)]) };
      const path = this.blobs.pathOf(sha256);
      let size: number;
      try {
        size = statSync(path).size;
      } catch {
        return undefined;
      }
      return { size, open: (start: number, end: number) => createReadStream(path, { start, end }) };
    });
  }

  // ---- internals -----------------------------------------------------------------------------

  private async count(what: string, sql: string, params: unknown[]): Promise<number> {
    return this.run(what, async () => Number((await this.q.query<{ n: number }>(sql, params)).rows[0].n));
  }

  private assetFromRow(r: AssetDbRow): DeliveryAsset {
    const a: DeliveryAsset = { key: r.key, asset: this.parse<Asset>(r.data, r.key), lastSeq: Number(r.last_seq), version: Number(r.version) };
    if (r.first_at !== null) a.createdAt = r.first_at;
    if (r.published_at !== null) a.publishedAt = r.published_at;
    return a;
  }

  private parse<T>(json: string, key: string): T {
    try {
      return JSON.parse(json) as T;
    } catch (e) {
      throw new FerryError('FERRY_E_STORE', `Object ${key} in ${this.shown} holds invalid JSON; was it edited outside Ferry?`, { data: { url: this.shown, key }, cause: e });
    }
  }

  private run<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return guardPg(this.shown, what, fn);
  }
}

/** A WHERE clause with numbered parameters. */
class Where {
  readonly params: unknown[] = [];
  private readonly parts: string[] = [];
  param(v: unknown): string {
    return `$${this.params.push(v)}`;
  }
  add(sql: string): void {
    this.parts.push(sql);
  }
  sql(): string {
    return this.parts.length ? this.parts.join(' AND ') : 'TRUE';
  }
}

function variantWhere(w: Where, filter: VariantFilter): void {
  w.add("status = 'published'");
  if (filter.contentType !== undefined) w.add(`content_type = ${w.param(filter.contentType)}`);
  if (filter.locale !== undefined) w.add(`locale = ${w.param(filter.locale)}`);
  if (filter.publishedSince !== undefined) w.add(`coalesce(published_at, updated_at) >= ${w.param(filter.publishedSince)}`);
}

/** "After the cursor" in (content_type, locale, key) order, without the columns the filter fixes (so the index is sought). */
function keysetAfter(w: Where, filter: VariantFilter, after: VariantCursor | undefined): string {
  const ct = filter.contentType !== undefined;
  const lo = filter.locale !== undefined;
  const k = w.param(after?.key ?? '');
  if (ct && lo) return `key > ${k}`;
  if (ct) return `(locale, key) > (${w.param(after?.locale ?? '')}, ${k})`;
  if (lo) return `(content_type, key) > (${w.param(after?.contentType ?? '')}, ${k})`;
  return `(content_type, locale, key) > (${w.param(after?.contentType ?? '')}, ${w.param(after?.locale ?? '')}, ${k})`;
}

function changeWhere(afterSeq: number, upToSeq: number, filter: ChangeFilter): Where {
  const w = new Where();
  w.add(`seq > ${w.param(afterSeq)}`);
  w.add(`seq <= ${w.param(upToSeq)}`);
  if (filter.types !== undefined) w.add(`type = ANY(${w.param([...filter.types])}::text[])`);
  if (filter.contentType !== undefined) w.add(`content_type = ${w.param(filter.contentType)} AND type NOT LIKE 'asset\\_%'`);
  if (filter.locale !== undefined) w.add(`(locale = ${w.param(filter.locale)} OR locale IS NULL)`);
  if (filter.since !== undefined) w.add(`at >= ${w.param(filter.since)}`);
  return w;
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
    version: Number(r.version),
    changeSeq: Number(r.change_seq),
  };
  if (r.slug !== null) v.slug = r.slug;
  if (r.published_at !== null) v.publishedAt = r.published_at;
  return v;
}
