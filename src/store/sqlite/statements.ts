import type Database from 'better-sqlite3';
import { KIND_ORDER, OBJECT_KINDS } from '../../model/index.js';
import { DEPLOYMENT_COLUMNS, INFO_COLUMNS } from './rows.js';

/** `ORDER BY` expression for the kind dependency order. */
const KIND_ORDER_SQL = `CASE kind ${OBJECT_KINDS.map((k) => `WHEN '${k}' THEN ${KIND_ORDER[k]}`).join(' ')} ELSE 99 END`;

/** `raw`: rows as arrays (the row readers in rows.ts take them by position). */
const p = (sql: string, raw = false) => ({ sql, raw });

const SQL = {
  index: p(`SELECT ${INFO_COLUMNS} FROM objects`, true),
  // CROSS JOIN keeps json_each outside: one probe of the (kind, code_name) index per pair.
  infoByCodeNames: p(`SELECT ${INFO_COLUMNS.split(', ').map((c) => `o.${c}`).join(', ')} FROM json_each(?) j
    CROSS JOIN objects o ON o.kind = json_extract(j.value, '$[0]') AND o.code_name = json_extract(j.value, '$[1]')`, true),
  infoByKeys: p(`SELECT ${INFO_COLUMNS} FROM objects WHERE key IN (SELECT value FROM json_each(?))`, true),
  infoOfReferrers: p(
    `SELECT ${INFO_COLUMNS} FROM objects WHERE key IN (SELECT from_key FROM object_refs WHERE to_key IN (SELECT value FROM json_each(?))) ORDER BY key`,
    true,
  ),
  deleteRefsFrom: p('DELETE FROM object_refs WHERE from_key = ?'),
  insertRef: p('INSERT OR IGNORE INTO object_refs (to_key, from_key) VALUES (?, ?)'),
  objectsByKeys: p(`SELECT ${INFO_COLUMNS}, data FROM objects WHERE key IN (SELECT value FROM json_each(?))`, true),
  allObjects: p(`SELECT ${INFO_COLUMNS}, data FROM objects ORDER BY ${KIND_ORDER_SQL}, key`, true),
  objectsOfKinds: p(`SELECT ${INFO_COLUMNS}, data FROM objects WHERE kind IN (SELECT value FROM json_each(?)) ORDER BY ${KIND_ORDER_SQL}, key`, true),
  // Ferry's writes bump ferry_stamp and clear drift in the same statement (see the triggers).
  upsertObject: p(`INSERT INTO objects (key, kind, guid, code_name, content_type, path, source_hash, data, ferry_stamp, drift)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, NULL)
    ON CONFLICT (key) DO UPDATE SET kind = excluded.kind, guid = excluded.guid, code_name = excluded.code_name,
      content_type = excluded.content_type, path = excluded.path, source_hash = excluded.source_hash, data = excluded.data,
      ferry_stamp = coalesce(objects.ferry_stamp, 0) + 1, drift = NULL`),
  isEmpty: p('SELECT NOT EXISTS (SELECT 1 FROM objects) AND NOT EXISTS (SELECT 1 FROM variants) AND NOT EXISTS (SELECT 1 FROM drift_deleted)'),
  insertObject: p(`INSERT INTO objects (key, kind, guid, code_name, content_type, path, source_hash, data, ferry_stamp, drift)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, NULL)`),
  insertVariant: p(`INSERT INTO variants (key, locale, kind, status, content_type, display_name, slug, data, updated_at, created_at, change_seq, version, published_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
  markDeleting: p('UPDATE objects SET ferry_stamp = -1 WHERE key = ?'),
  deleteObject: p('DELETE FROM objects WHERE key = ?'),
  clearDeletedDrift: p('DELETE FROM drift_deleted WHERE key = ?'),
  deleteOtherVariants: p('DELETE FROM variants WHERE key = ? AND locale NOT IN (SELECT value FROM json_each(?))'),
  // @seq is null when the variant has no event in this deployment: its change columns stay.
  upsertVariant: p(`INSERT INTO variants (key, locale, kind, status, content_type, display_name, slug, data, updated_at, created_at, change_seq, version, published_at)
    VALUES (@key, @locale, @kind, @status, @contentType, @displayName, @slug, @data, @at, @at, coalesce(@seq, 0), @published, @publishedAt)
    ON CONFLICT (key, locale) DO UPDATE SET kind = excluded.kind, status = excluded.status, content_type = excluded.content_type,
      display_name = excluded.display_name, slug = excluded.slug, data = excluded.data, updated_at = excluded.updated_at,
      change_seq = coalesce(@seq, variants.change_seq), version = variants.version + @published,
      published_at = coalesce(@publishedAt, variants.published_at)`),
  updateVariantContent: p(`UPDATE variants SET display_name = @displayName, slug = @slug, data = @data, updated_at = @at,
      change_seq = coalesce(@seq, change_seq), version = version + @published, published_at = coalesce(@publishedAt, published_at)
    WHERE key = @key AND locale = @locale AND kind = @kind AND status = @status AND content_type = @contentType`),
  applyVariantChange: p(`UPDATE variants SET change_seq = @seq, version = version + @published,
    published_at = coalesce(@publishedAt, published_at) WHERE key = @key AND locale = @locale`),
  outsideUpdate: p('UPDATE objects SET kind = ?, guid = ?, code_name = ?, content_type = ?, data = ? WHERE key = ?'),
  outsideInsert: p('INSERT INTO objects (key, kind, guid, code_name, content_type, data) VALUES (?, ?, ?, ?, ?, ?)'),
  driftOf: p(`SELECT ${INFO_COLUMNS} FROM objects WHERE drift = ?`, true),
  driftDeleted: p('SELECT key, kind, code_name, content_type, path, source_hash, NULL FROM drift_deleted', true),
  anyDeletedDrift: p('SELECT EXISTS (SELECT 1 FROM drift_deleted)'),
  hasDrift: p('SELECT EXISTS (SELECT 1 FROM objects WHERE drift IS NOT NULL) OR EXISTS (SELECT 1 FROM drift_deleted)'),
  insertBlob: p('INSERT OR IGNORE INTO blobs (sha256, size, created_at) VALUES (?, ?, ?)'),
  hasBlobRow: p('SELECT EXISTS (SELECT 1 FROM blobs WHERE sha256 = ?)'),
  insertDeployment: p(`INSERT INTO deployments (environment, from_commit, to_commit, source, tag, mode, actor, started_at, status, counts, diagnostics, message, pid, host, config_digest)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'running', ?, '[]', ?, ?, ?, ?)`),
  deployment: p(`SELECT ${DEPLOYMENT_COLUMNS} FROM deployments WHERE id = ?`),
  deployments: p(`SELECT ${DEPLOYMENT_COLUMNS} FROM deployments ORDER BY id DESC LIMIT ?`),
  lastSuccessful: p(`SELECT ${DEPLOYMENT_COLUMNS} FROM deployments
    WHERE status IN ('succeeded', 'no-op') AND (to_commit IS NOT NULL OR source IS NOT NULL) ORDER BY id DESC LIMIT 1`),
  finishDeployment: p('UPDATE deployments SET status = ?, finished_at = ?, counts = ? WHERE id = ?'),
  failDeployment: p("UPDATE deployments SET status = 'failed', finished_at = ?, diagnostics = ?, message = ? WHERE id = ?"),
  runningDeployments: p("SELECT id, pid, host FROM deployments WHERE status = 'running'"),
  markInterrupted: p("UPDATE deployments SET status = 'failed', finished_at = ?, message = ? WHERE id = ? AND status = 'running'"),
  insertChange: p('INSERT INTO change_log (type, key, kind, content_type, locale, at, deployment_id) VALUES (?, ?, ?, ?, ?, ?, ?)'),
  changes: p('SELECT seq, type, key, kind, content_type, locale, at, deployment_id FROM change_log WHERE seq > ? ORDER BY seq LIMIT ?'),
  lastChangeSeq: p('SELECT coalesce(max(seq), 0) FROM change_log'),
  getLock: p('SELECT holder FROM locks WHERE name = ?'),
  putLock: p('INSERT OR REPLACE INTO locks (name, holder, token, acquired_at) VALUES (?, ?, ?, ?)'),
  releaseLock: p('DELETE FROM locks WHERE name = ? AND token = ?'),
};

/** The store's statements by name. */
export type Statements = { readonly [K in keyof typeof SQL]: Database.Statement };

/** Every statement the store runs more than once, prepared once per connection. */
export function prepareStatements(db: Database.Database): Statements {
  const prepared = Object.entries(SQL).map(([name, { sql, raw }]) => [name, raw ? db.prepare(sql).raw() : db.prepare(sql)] as const);
  return Object.fromEntries(prepared) as Statements;
}
