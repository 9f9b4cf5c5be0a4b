import type Database from 'better-sqlite3';
import { FerryError } from '../../errors/index.js';
import { contentReferenceKeys, type FerryObject } from '../../model/index.js';
import { STORE_FORMAT_VERSION } from '../format-version.js';

/**
 * The SQLite schema, as numbered migrations. `PRAGMA user_version` holds the number of migrations
 * applied. A migration is never edited once released: change the schema with a new one. Value
 * lists in CHECK constraints are written out (not built from the model's constants) for the same
 * reason.
 */
export interface Migration {
  version: number;
  description: string;
  sql: string;
  /** Data the SQL cannot derive (runs after `sql`, in the same transaction). */
  run?: (db: Database.Database) => void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'objects, variants, drift triggers, blobs, deployments, change log, locks',
    sql: `
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

-- One row per object. ferry_stamp changes on every write Ferry makes (in the same statement);
-- the triggers below treat a write that leaves it alone as made outside Ferry (drift).
-- (NOT NULL on text primary keys: SQLite otherwise allows NULL keys in rowid tables.)
CREATE TABLE objects (
  key TEXT NOT NULL PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('language', 'workspace', 'channel', 'contentType', 'assetFolder', 'asset', 'contentItem', 'page')),
  guid TEXT,
  code_name TEXT NOT NULL,
  content_type TEXT,
  path TEXT,
  source_hash TEXT,
  data TEXT NOT NULL,
  ferry_stamp INTEGER,
  drift TEXT CHECK (drift IN ('changed', 'added'))
);
-- Serves lookups by (kind, code name) and, being covering, lets index() read 100k rows without
-- touching the wide table pages that hold the JSON.
CREATE INDEX objects_kind_code_name ON objects (kind, code_name, key, content_type, path, source_hash, drift);
-- Partial: stays empty on a clean store, so "is there drift?" is one index probe.
CREATE INDEX objects_drift ON objects (drift) WHERE drift IS NOT NULL;

-- Objects Ferry had written that were deleted outside Ferry: what Ferry last knew of them.
CREATE TABLE drift_deleted (
  key TEXT NOT NULL PRIMARY KEY,
  kind TEXT NOT NULL,
  guid TEXT,
  code_name TEXT NOT NULL,
  content_type TEXT,
  path TEXT,
  source_hash TEXT
);

-- One row per language variant of an item or page, for the delivery API.
CREATE TABLE variants (
  key TEXT NOT NULL,
  locale TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('contentItem', 'page')),
  status TEXT NOT NULL CHECK (status IN ('draft', 'published', 'unpublished')),
  content_type TEXT NOT NULL,
  display_name TEXT NOT NULL,
  slug TEXT,
  data TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (key, locale)
);
CREATE INDEX variants_delivery ON variants (content_type, locale, status, key);

CREATE TRIGGER objects_outside_update AFTER UPDATE OF data, kind, guid, code_name, content_type ON objects
WHEN NEW.ferry_stamp IS OLD.ferry_stamp
  AND (NEW.data IS NOT OLD.data OR NEW.kind IS NOT OLD.kind OR NEW.guid IS NOT OLD.guid OR NEW.code_name IS NOT OLD.code_name
       OR NEW.content_type IS NOT OLD.content_type)
BEGIN
  UPDATE objects SET drift = 'changed' WHERE key = NEW.key AND drift IS NULL;
END;

-- Ferry always inserts with a stamp and a source hash. A row deleted outside Ferry and inserted
-- again is a change of that object, not a new one: it gets back what Ferry knew of it.
CREATE TRIGGER objects_outside_insert AFTER INSERT ON objects
WHEN NEW.ferry_stamp IS NULL OR NEW.source_hash IS NULL
BEGIN
  UPDATE objects SET
    drift = CASE WHEN EXISTS (SELECT 1 FROM drift_deleted WHERE key = NEW.key) THEN 'changed' ELSE 'added' END,
    source_hash = (SELECT source_hash FROM drift_deleted WHERE key = NEW.key),
    path = coalesce((SELECT path FROM drift_deleted WHERE key = NEW.key), NEW.path)
  WHERE key = NEW.key;
  DELETE FROM drift_deleted WHERE key = NEW.key;
END;

-- Ferry marks a row with ferry_stamp = -1 just before deleting it. Rows without a source hash
-- were never Ferry's, so deleting them is not drift.
CREATE TRIGGER objects_outside_delete AFTER DELETE ON objects
WHEN OLD.ferry_stamp IS NOT -1 AND OLD.source_hash IS NOT NULL
BEGIN
  INSERT OR REPLACE INTO drift_deleted (key, kind, guid, code_name, content_type, path, source_hash)
  VALUES (OLD.key, OLD.kind, OLD.guid, OLD.code_name, OLD.content_type, OLD.path, OLD.source_hash);
END;

-- A trigger, not a foreign key: foreign keys are off by default in other connections.
CREATE TRIGGER objects_delete_variants AFTER DELETE ON objects
BEGIN
  DELETE FROM variants WHERE key = OLD.key;
END;

CREATE TABLE blobs (
  sha256 TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  created_at TEXT NOT NULL
) WITHOUT ROWID;

-- pid and host say which process runs a deployment, so one left running by a dead process
-- can be recognised.
CREATE TABLE deployments (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  environment TEXT NOT NULL,
  from_commit TEXT,
  to_commit TEXT,
  source TEXT NOT NULL,
  tag TEXT,
  mode TEXT NOT NULL CHECK (mode IN ('Create', 'CreateUpdate', 'Full')),
  actor TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'no-op')),
  counts TEXT NOT NULL,
  diagnostics TEXT NOT NULL,
  message TEXT,
  pid INTEGER,
  host TEXT
);
CREATE INDEX deployments_status ON deployments (status, id);

CREATE TABLE change_log (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  type TEXT NOT NULL CHECK (type IN ('entry_published', 'entry_unpublished', 'entry_deleted', 'asset_published', 'asset_unpublished', 'asset_deleted', 'content_type_deleted')),
  key TEXT NOT NULL,
  kind TEXT NOT NULL,
  content_type TEXT,
  locale TEXT,
  at TEXT NOT NULL,
  deployment_id INTEGER REFERENCES deployments (id)
);

CREATE TABLE locks (
  name TEXT NOT NULL PRIMARY KEY,
  holder TEXT NOT NULL,
  token TEXT NOT NULL,
  acquired_at TEXT NOT NULL
);
`,
  },
  {
    version: 2,
    description: 'deployments.config_digest: a config change (filters, kinds, limits) makes the next plan reconcile fully',
    sql: `ALTER TABLE deployments ADD COLUMN config_digest TEXT;`,
  },
  {
    version: 3,
    description: 'delivery and Sync API: per-variant change seq, version and times; change-log key index; token keys',
    sql: `
-- The Sync API's initial sync lists the published variants whose last change-log event is at or
-- before the sync's starting seq; a delta reads events after it and keeps only each variant's
-- latest. change_seq is that last event's seq (0: none), maintained by commitDeployment.
ALTER TABLE variants ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;
-- Number of entry_published events of the variant (Contentstack's _version).
ALTER TABLE variants ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
-- First write of the variant row (kept by later writes) and its last entry_published event time.
ALTER TABLE variants ADD COLUMN created_at TEXT;
ALTER TABLE variants ADD COLUMN published_at TEXT;

-- The latest event of a key (assets, superseded events) is one index probe.
CREATE INDEX change_log_key ON change_log (key, seq);

UPDATE variants SET
  created_at = updated_at,
  change_seq = coalesce((SELECT max(seq) FROM change_log c WHERE c.key = variants.key AND c.locale = variants.locale), 0),
  version = (SELECT count(*) FROM change_log c WHERE c.key = variants.key AND c.locale = variants.locale AND c.type = 'entry_published'),
  published_at = (SELECT at FROM change_log c WHERE c.key = variants.key AND c.locale = variants.locale AND c.type = 'entry_published' ORDER BY seq DESC LIMIT 1);

-- Keyset paging of an initial sync in (content_type, locale, key) order: one index serves no
-- filter, a content type, or both; the second serves a locale alone.
CREATE INDEX variants_sync ON variants (status, content_type, locale, key);
CREATE INDEX variants_sync_locale ON variants (status, locale, content_type, key);

-- Keys the instance signs its Sync API tokens with: made on first use and never rotated, so
-- tokens survive restarts. Kept out of meta, which tools print.
CREATE TABLE delivery_keys (
  name TEXT NOT NULL PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
`,
  },
  {
    version: 4,
    description: 'drop variants_delivery: every variant query filters status, which variants_sync and variants_sync_locale lead with',
    sql: `
-- Every read of variants has status = 'published' and orders by (content_type, locale, key):
-- variants_sync (status, content_type, locale, key) serves it with or without a content type,
-- variants_sync_locale a locale alone. A fourth index only made every variant write dearer.
DROP INDEX variants_delivery;
`,
  },
  {
    version: 5,
    description: 'object_refs: which objects may reference a key, so a deletion re-validates its referrers without a scan',
    sql: `
-- One row per (referenced key, referring object), from contentReferenceKeys: a page's parent and
-- every guid in an item's or page's field values. Maintained by every Ferry write; rows of
-- objects deleted outside Ferry are left behind and filtered out by joining objects.
CREATE TABLE object_refs (
  to_key TEXT NOT NULL,
  from_key TEXT NOT NULL,
  PRIMARY KEY (to_key, from_key)
) WITHOUT ROWID;
CREATE INDEX object_refs_from ON object_refs (from_key);
`,
    // Stores made before this migration: fill the table from the objects they hold.
    run: fillObjectRefs,
  },
  {
    version: 6,
    description: 'store format 2: objects may be content folders (kind contentFolder); the table is rebuilt, as SQLite cannot change a CHECK',
    sql: `
-- SQLite's documented way to change a constraint: a new table, the rows copied, the old one
-- dropped (its indexes and triggers with it; a DROP fires no trigger), the new one renamed.
CREATE TABLE objects_v6 (
  key TEXT NOT NULL PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('language', 'workspace', 'channel', 'contentType', 'assetFolder', 'asset', 'contentFolder', 'contentItem', 'page')),
  guid TEXT,
  code_name TEXT NOT NULL,
  content_type TEXT,
  path TEXT,
  source_hash TEXT,
  data TEXT NOT NULL,
  ferry_stamp INTEGER,
  drift TEXT CHECK (drift IN ('changed', 'added'))
);
INSERT INTO objects_v6 (key, kind, guid, code_name, content_type, path, source_hash, data, ferry_stamp, drift)
  SELECT key, kind, guid, code_name, content_type, path, source_hash, data, ferry_stamp, drift FROM objects;
DROP TABLE objects;
ALTER TABLE objects_v6 RENAME TO objects;

CREATE INDEX objects_kind_code_name ON objects (kind, code_name, key, content_type, path, source_hash, drift);
CREATE INDEX objects_drift ON objects (drift) WHERE drift IS NOT NULL;

CREATE TRIGGER objects_outside_update AFTER UPDATE OF data, kind, guid, code_name, content_type ON objects
WHEN NEW.ferry_stamp IS OLD.ferry_stamp
  AND (NEW.data IS NOT OLD.data OR NEW.kind IS NOT OLD.kind OR NEW.guid IS NOT OLD.guid OR NEW.code_name IS NOT OLD.code_name
       OR NEW.content_type IS NOT OLD.content_type)
BEGIN
  UPDATE objects SET drift = 'changed' WHERE key = NEW.key AND drift IS NULL;
END;

CREATE TRIGGER objects_outside_insert AFTER INSERT ON objects
WHEN NEW.ferry_stamp IS NULL OR NEW.source_hash IS NULL
BEGIN
  UPDATE objects SET
    drift = CASE WHEN EXISTS (SELECT 1 FROM drift_deleted WHERE key = NEW.key) THEN 'changed' ELSE 'added' END,
    source_hash = (SELECT source_hash FROM drift_deleted WHERE key = NEW.key),
    path = coalesce((SELECT path FROM drift_deleted WHERE key = NEW.key), NEW.path)
  WHERE key = NEW.key;
  DELETE FROM drift_deleted WHERE key = NEW.key;
END;

CREATE TRIGGER objects_outside_delete AFTER DELETE ON objects
WHEN OLD.ferry_stamp IS NOT -1 AND OLD.source_hash IS NOT NULL
BEGIN
  INSERT OR REPLACE INTO drift_deleted (key, kind, guid, code_name, content_type, path, source_hash)
  VALUES (OLD.key, OLD.kind, OLD.guid, OLD.code_name, OLD.content_type, OLD.path, OLD.source_hash);
END;

CREATE TRIGGER objects_delete_variants AFTER DELETE ON objects
BEGIN
  DELETE FROM variants WHERE key = OLD.key;
END;
`,
  },
  {
    version: 7,
    description: 'object_refs: add the references written in rich text (ferry:// links, <ferry-embed>) of objects stored before they counted',
    // Rows are keyed (to, from) and inserted if missing: the rows of every later write are kept.
    sql: '',
    run: fillObjectRefs,
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Adds the object_refs rows contentReferenceKeys gives for every stored item and page. */
function fillObjectRefs(db: Database.Database): void {
  const insert = db.prepare('INSERT OR IGNORE INTO object_refs (to_key, from_key) VALUES (?, ?)');
  // In pages of keys: the connection cannot insert while a statement iterates.
  const page = db.prepare("SELECT key, data FROM objects WHERE kind IN ('contentItem', 'page') AND key > ? ORDER BY key LIMIT 1000");
  for (let after = ''; ; ) {
    const rows = page.all(after) as { key: string; data: string }[];
    if (!rows.length) break;
    for (const row of rows) for (const to of contentReferenceKeys(JSON.parse(row.data) as FerryObject)) insert.run(to, row.key);
    after = rows[rows.length - 1].key;
  }
}

export interface MigrateOptions {
  file: string;
  now: () => Date;
  ferryVersion: string;
}

/**
 * Brings the schema up to date, or refuses a store written by a newer Ferry. Runs in one
 * immediate transaction, so two processes opening a new store at once cannot both migrate it.
 */
export function migrate(db: Database.Database, opts: MigrateOptions): MigrateResult {
  checkNotNewer(db, opts.file);
  if (userVersion(db) === SCHEMA_VERSION) return { from: SCHEMA_VERSION, to: SCHEMA_VERSION, applied: [] };
  return db.transaction((): MigrateResult => {
    const from = userVersion(db);
    if (from === SCHEMA_VERSION) return { from, to: SCHEMA_VERSION, applied: [] };
    if (from === 0) {
      const tables = db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().get() as number;
      if (tables > 0) {
        throw new FerryError('FERRY_E_STORE', `${opts.file} is an SQLite database but not a Ferry store (it has tables Ferry did not create).`, {
          data: { path: opts.file },
          hint: 'Point the store URL at a new file, or at a store Ferry created.',
        });
      }
    }
    for (const m of MIGRATIONS) {
      if (m.version <= from) continue;
      if (m.sql) db.exec(m.sql);
      m.run?.(db);
    }
    const setMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    setMeta.run('format_version', String(STORE_FORMAT_VERSION));
    setMeta.run('ferry_version', opts.ferryVersion);
    db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run('created_at', opts.now().toISOString());
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
    return { from, to: SCHEMA_VERSION, applied: MIGRATIONS.filter((m) => m.version > from) };
  }).immediate();
}

/** What opening a store migrated: schema versions before and after, and the migrations run. */
export interface MigrateResult {
  from: number;
  to: number;
  applied: readonly Migration[];
}

function userVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function checkNotNewer(db: Database.Database, file: string): void {
  const schema = userVersion(db);
  let format: number | undefined;
  const hasMeta = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'meta'").get() !== undefined;
  if (hasMeta) {
    const raw = db.prepare("SELECT value FROM meta WHERE key = 'format_version'").pluck().get() as string | undefined;
    format = raw === undefined ? undefined : Number(raw);
  }
  if (schema > SCHEMA_VERSION || (format !== undefined && !(format <= STORE_FORMAT_VERSION))) {
    const writer = hasMeta ? (db.prepare("SELECT value FROM meta WHERE key = 'ferry_version'").pluck().get() as string | undefined) : undefined;
    throw new FerryError(
      'FERRY_E_STORE_FORMAT',
      `${file} was written by a newer Ferry${writer ? ` (${writer})` : ''}: store format ${format ?? '?'}, schema ${schema}; this Ferry reads format ${STORE_FORMAT_VERSION}, schema ${SCHEMA_VERSION} at most.`,
      { data: { path: file, format, schema, supportedFormat: STORE_FORMAT_VERSION, supportedSchema: SCHEMA_VERSION } },
    );
  }
}
