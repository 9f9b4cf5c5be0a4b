import type pg from 'pg';
import { FerryError } from '../../errors/index.js';
import type { FerryObject } from '../../model/index.js';
import { contentReferenceKeys } from '../../model/references.js';
import { STORE_FORMAT_VERSION } from '../format-version.js';

/**
 * The PostgreSQL schema, as numbered migrations recorded in `ferry_migrations` (one row each). A
 * migration is never edited once released: change the schema with a new one. The tables mirror
 * the SQLite store's (src/store/sqlite/migrations.ts) so both answer the port the same way; text
 * columns that are sorted or compared use the "C" collation (code-point order, as SQLite's BINARY
 * and Ferry's compareCodePoints), so both stores list and page in the same order.
 */
export interface PgMigration {
  version: number;
  description: string;
  sql: string;
  /** Data the SQL cannot derive (runs after `sql`, in the same transaction). */
  run?: (client: pg.ClientBase) => Promise<void>;
}

export const PG_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    description: 'objects, variants, drift triggers, blobs, deployments, change log, locks, delivery keys',
    sql: `
CREATE TABLE meta (
  key text COLLATE "C" PRIMARY KEY,
  value text NOT NULL
);

-- One row per object. ferry_stamp changes on every write Ferry makes (in the same statement);
-- the triggers below treat a write that leaves it alone as made outside Ferry (drift).
CREATE TABLE objects (
  key text COLLATE "C" PRIMARY KEY,
  kind text COLLATE "C" NOT NULL CHECK (kind IN ('language', 'workspace', 'channel', 'contentType', 'assetFolder', 'asset', 'contentItem', 'page')),
  guid text COLLATE "C",
  code_name text COLLATE "C" NOT NULL,
  content_type text COLLATE "C",
  path text COLLATE "C",
  source_hash text COLLATE "C",
  data text NOT NULL,
  ferry_stamp bigint,
  drift text CHECK (drift IN ('changed', 'added'))
);
-- Lookups by (kind, code name); covering (INCLUDE) so index() can be an index-only scan.
CREATE INDEX objects_kind_code_name ON objects (kind, code_name) INCLUDE (key, content_type, path, source_hash, drift);
-- Partial: stays empty on a clean store, so "is there drift?" is one index probe.
CREATE INDEX objects_drift ON objects (drift) WHERE drift IS NOT NULL;

-- Objects Ferry had written that were deleted outside Ferry: what Ferry last knew of them.
CREATE TABLE drift_deleted (
  key text COLLATE "C" PRIMARY KEY,
  kind text COLLATE "C" NOT NULL,
  guid text COLLATE "C",
  code_name text COLLATE "C" NOT NULL,
  content_type text COLLATE "C",
  path text COLLATE "C",
  source_hash text COLLATE "C"
);

-- One row per language variant of an item or page, for the delivery and Sync APIs. change_seq is
-- the variant's last change-log event (0: none), version its number of entry_published events.
CREATE TABLE variants (
  key text COLLATE "C" NOT NULL,
  locale text COLLATE "C" NOT NULL,
  kind text COLLATE "C" NOT NULL CHECK (kind IN ('contentItem', 'page')),
  status text COLLATE "C" NOT NULL CHECK (status IN ('draft', 'published', 'unpublished')),
  content_type text COLLATE "C" NOT NULL,
  display_name text NOT NULL,
  slug text,
  data text NOT NULL,
  updated_at text NOT NULL,
  created_at text,
  change_seq bigint NOT NULL DEFAULT 0,
  version integer NOT NULL DEFAULT 0,
  published_at text,
  PRIMARY KEY (key, locale)
);
CREATE INDEX variants_sync ON variants (status, content_type, locale, key);
CREATE INDEX variants_sync_locale ON variants (status, locale, content_type, key);

-- Drift. A write without a new ferry_stamp that changes content marks the row 'changed'.
CREATE FUNCTION ferry_objects_outside_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.drift IS NULL AND (NEW.data IS DISTINCT FROM OLD.data OR NEW.kind IS DISTINCT FROM OLD.kind OR NEW.guid IS DISTINCT FROM OLD.guid
      OR NEW.code_name IS DISTINCT FROM OLD.code_name OR NEW.content_type IS DISTINCT FROM OLD.content_type) THEN
    NEW.drift := 'changed';
  END IF;
  RETURN NEW;
END $$;
-- WHEN is checked without calling the function, so Ferry's own upserts pay nothing for it.
CREATE TRIGGER objects_outside_update BEFORE UPDATE ON objects
FOR EACH ROW WHEN (NEW.ferry_stamp IS NOT DISTINCT FROM OLD.ferry_stamp) EXECUTE FUNCTION ferry_objects_outside_update();

-- Ferry always inserts with a stamp and a source hash. A row deleted outside Ferry and inserted
-- again is a change of that object, not a new one: it gets back what Ferry knew of it.
CREATE FUNCTION ferry_objects_outside_insert() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  known drift_deleted%ROWTYPE;
BEGIN
  SELECT * INTO known FROM drift_deleted WHERE key = NEW.key;
  IF FOUND THEN
    NEW.drift := 'changed';
    NEW.source_hash := known.source_hash;
    NEW.path := coalesce(known.path, NEW.path);
    DELETE FROM drift_deleted WHERE key = NEW.key;
  ELSE
    NEW.drift := 'added';
    NEW.source_hash := NULL;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER objects_outside_insert BEFORE INSERT ON objects
FOR EACH ROW WHEN (NEW.ferry_stamp IS NULL OR NEW.source_hash IS NULL) EXECUTE FUNCTION ferry_objects_outside_insert();

-- Ferry marks a row with ferry_stamp = -1 just before deleting it. Rows without a source hash
-- were never Ferry's, so deleting them is not drift.
CREATE FUNCTION ferry_objects_outside_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO drift_deleted (key, kind, guid, code_name, content_type, path, source_hash)
  VALUES (OLD.key, OLD.kind, OLD.guid, OLD.code_name, OLD.content_type, OLD.path, OLD.source_hash)
  ON CONFLICT (key) DO UPDATE SET kind = excluded.kind, guid = excluded.guid, code_name = excluded.code_name,
    content_type = excluded.content_type, path = excluded.path, source_hash = excluded.source_hash;
  RETURN OLD;
END $$;
CREATE TRIGGER objects_outside_delete AFTER DELETE ON objects
FOR EACH ROW WHEN (OLD.ferry_stamp IS DISTINCT FROM -1 AND OLD.source_hash IS NOT NULL) EXECUTE FUNCTION ferry_objects_outside_delete();

-- Variants go with their object, also when it is deleted with plain SQL.
CREATE FUNCTION ferry_objects_delete_variants() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM variants WHERE key = OLD.key;
  RETURN OLD;
END $$;
CREATE TRIGGER objects_delete_variants AFTER DELETE ON objects
FOR EACH ROW EXECUTE FUNCTION ferry_objects_delete_variants();

-- Blobs up to the store's inline limit live in bytes; larger ones in the blob folder (bytes NULL).
CREATE TABLE blobs (
  sha256 text COLLATE "C" PRIMARY KEY,
  size bigint NOT NULL,
  bytes bytea,
  created_at text NOT NULL
);

-- pid and host say which process runs a deployment, so one left running by a dead process
-- can be recognised.
CREATE TABLE deployments (
  id bigserial PRIMARY KEY,
  environment text NOT NULL,
  from_commit text,
  to_commit text,
  source text NOT NULL,
  tag text,
  mode text NOT NULL CHECK (mode IN ('Create', 'CreateUpdate', 'Full')),
  actor text NOT NULL,
  started_at text NOT NULL,
  finished_at text,
  status text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'no-op')),
  counts text NOT NULL,
  diagnostics text NOT NULL,
  message text,
  pid integer,
  host text,
  config_digest text
);
CREATE INDEX deployments_status ON deployments (status, id);

-- seq is assigned by commitDeployment under a transaction lock (max + 1, …), so seq order is
-- commit order: a Sync API reader that saw seq S never later finds an event below S appear.
CREATE TABLE change_log (
  seq bigint PRIMARY KEY,
  type text COLLATE "C" NOT NULL CHECK (type IN ('entry_published', 'entry_unpublished', 'entry_deleted', 'asset_published', 'asset_unpublished', 'asset_deleted', 'content_type_deleted')),
  key text COLLATE "C" NOT NULL,
  kind text COLLATE "C" NOT NULL,
  content_type text COLLATE "C",
  locale text COLLATE "C",
  at text NOT NULL,
  deployment_id bigint REFERENCES deployments (id)
);
CREATE INDEX change_log_key ON change_log (key, seq);

-- Who holds the environment's deployment lock (the lock itself is an advisory lock, see
-- advisory-lock.ts); backend_pid is the holding session.
CREATE TABLE locks (
  name text COLLATE "C" PRIMARY KEY,
  holder text NOT NULL,
  token text NOT NULL,
  backend_pid integer NOT NULL,
  acquired_at text NOT NULL
);

-- Keys the instances sign their Sync API tokens with: made on first use, shared by every
-- replica (so a token from one is good on another). Kept out of meta, which tools print.
CREATE TABLE delivery_keys (
  name text COLLATE "C" PRIMARY KEY,
  value text NOT NULL
);
`,
  },
  {
    version: 2,
    description: 'ferry serve state shared by replicas: sync tasks, request nonces, deployment leases',
    sql: `
-- A package is stored here before the client hears "accepted"; one replica claims it
-- (FOR UPDATE SKIP LOCKED) and restores it.
CREATE TABLE sync_tasks (
  id bigserial PRIMARY KEY,
  environment text NOT NULL,
  status text NOT NULL CHECK (status IN ('Queued', 'Restoring', 'Completed', 'Failed')),
  deployment_id bigint NOT NULL,
  received_at text NOT NULL,
  started_at text,
  finished_at text,
  counts text NOT NULL,
  writes integer NOT NULL,
  events integer NOT NULL,
  bytes bigint NOT NULL,
  error text,
  deployment text,
  -- The replica restoring it (host, pid, backend pid): a task whose restorer is gone is settled.
  claimed_by text,
  package bytea
);
CREATE INDEX sync_tasks_status ON sync_tasks (environment, status, id);
CREATE INDEX sync_tasks_finished ON sync_tasks (finished_at);

-- Signed-request nonces until their timestamp leaves the accepted window: a replay is refused by
-- every replica and after a restart.
CREATE TABLE sync_nonces (
  nonce text COLLATE "C" PRIMARY KEY,
  expires_at bigint NOT NULL
);
CREATE INDEX sync_nonces_expires ON sync_nonces (expires_at);

-- The deployment lease a remote client holds, visible to every replica (renewed through any).
CREATE TABLE sync_leases (
  environment text COLLATE "C" PRIMARY KEY,
  token text NOT NULL,
  holder text NOT NULL,
  expires_at bigint NOT NULL,
  deployments text NOT NULL DEFAULT '[]'
);
`,
  },

  {
    version: 3,
    description: 'object_refs: which objects may reference a key, so a deletion re-validates its referrers without a scan',
    sql: `
-- One row per (referenced key, referring object), from contentReferenceKeys: a page's parent and
-- every guid in an item's or page's field values. Maintained by every Ferry write.
CREATE TABLE object_refs (
  to_key text COLLATE "C" NOT NULL,
  from_key text COLLATE "C" NOT NULL,
  PRIMARY KEY (to_key, from_key)
);
CREATE INDEX object_refs_from ON object_refs (from_key);
`,
    // Stores made before this migration: fill the table from the objects they hold.
    run: fillObjectRefs,
  },

  {
    version: 4,
    description: 'sync_tasks.package_key: one task per package idempotency key (GET /api/sync/packages/:key)',
    sql: `
ALTER TABLE sync_tasks ADD COLUMN package_key text COLLATE "C";
-- Replicas receiving the same package at once insert one task: the loser reads the winner's.
CREATE UNIQUE INDEX sync_tasks_package_key ON sync_tasks (environment, package_key) WHERE package_key IS NOT NULL;
`,
  },
  {
    version: 5,
    description: 'store format 2: objects may be content folders (kind contentFolder)',
    sql: `
-- The column's CHECK has PostgreSQL's default name (<table>_<column>_check).
ALTER TABLE objects DROP CONSTRAINT objects_kind_check;
ALTER TABLE objects ADD CONSTRAINT objects_kind_check
  CHECK (kind IN ('language', 'workspace', 'channel', 'contentType', 'assetFolder', 'asset', 'contentFolder', 'contentItem', 'page'));
`,
  },
  {
    version: 6,
    description: 'object_refs: add the references written in rich text (ferry:// links, <ferry-embed>) of objects stored before they counted',
    // Rows are keyed (to, from) and inserted if missing: the rows of every later write are kept.
    sql: '',
    run: fillObjectRefs,
  },
];

/** Adds the object_refs rows contentReferenceKeys gives for every stored item and page. */
async function fillObjectRefs(client: pg.ClientBase): Promise<void> {
  for (let after = ''; ; ) {
    const rows = (await client.query<{ key: string; data: string }>("SELECT key, data FROM objects WHERE kind IN ('contentItem', 'page') AND key > $1 ORDER BY key LIMIT 1000", [after])).rows;
    if (!rows.length) break;
    const to: string[] = [];
    const from: string[] = [];
    for (const r of rows) {
      for (const k of contentReferenceKeys(JSON.parse(r.data) as FerryObject)) {
        to.push(k);
        from.push(r.key);
      }
    }
    await client.query('INSERT INTO object_refs (to_key, from_key) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING', [to, from]);
    after = rows[rows.length - 1].key;
  }
}

export const PG_SCHEMA_VERSION = PG_MIGRATIONS.length;

/** Two-int advisory lock keys: Ferry's class id, then what is locked. */
export const ADVISORY_CLASS = 0x46455259; // 'FERY'
export const ADVISORY_MIGRATE = 1;
export const ADVISORY_DEPLOY = 2;
export const ADVISORY_CHANGE_LOG = 3;

export interface PgMigrateResult {
  from: number;
  to: number;
  applied: PgMigration[];
}

/**
 * Brings the schema up to date, or refuses a database written by a newer Ferry, or one that holds
 * tables Ferry did not create. Runs in one transaction under an advisory lock, so replicas
 * starting together migrate once; PostgreSQL's DDL is transactional, so a failed migration
 * leaves the schema as it was.
 */
export async function migratePg(client: pg.ClientBase, opts: { shown: string; now: () => Date; ferryVersion: string }): Promise<PgMigrateResult> {
  // Fast path, every open of an up-to-date store: two reads, no DDL, no lock.
  if ((await client.query("SELECT to_regclass('ferry_migrations') IS NOT NULL AS has")).rows[0].has === true) {
    const current = Number((await client.query('SELECT coalesce(max(version), 0) AS v FROM ferry_migrations')).rows[0].v);
    await checkNotNewer(client, current, opts.shown);
    if (current === PG_SCHEMA_VERSION) return { from: current, to: PG_SCHEMA_VERSION, applied: [] };
  }
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1, $2)', [ADVISORY_CLASS, ADVISORY_MIGRATE]);
    await client.query('CREATE TABLE IF NOT EXISTS ferry_migrations (version integer PRIMARY KEY, description text NOT NULL, applied_at text NOT NULL)');
    const from = Number((await client.query('SELECT coalesce(max(version), 0) AS v FROM ferry_migrations')).rows[0].v);
    await checkNotNewer(client, from, opts.shown);
    if (from === 0) {
      const other = (
        await client.query(
          `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name <> 'ferry_migrations' ORDER BY table_name LIMIT 5`,
        )
      ).rows.map((r: { table_name: string }) => r.table_name);
      if (other.length > 0) {
        throw new FerryError('FERRY_E_STORE', `${opts.shown} is a PostgreSQL database but not a Ferry store: it has tables Ferry did not create (${other.join(', ')}).`, {
          data: { url: opts.shown, tables: other },
          hint: 'Point the store URL at a new, empty database (CREATE DATABASE …), or at one Ferry created.',
        });
      }
    }
    const applied: PgMigration[] = [];
    const at = opts.now().toISOString();
    for (const m of PG_MIGRATIONS) {
      if (m.version <= from) continue;
      if (m.sql) await client.query(m.sql);
      await m.run?.(client);
      await client.query('INSERT INTO ferry_migrations (version, description, applied_at) VALUES ($1, $2, $3)', [m.version, m.description, at]);
      applied.push(m);
    }
    if (applied.length > 0) {
      const set = 'INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value';
      await client.query(set, ['format_version', String(STORE_FORMAT_VERSION)]);
      await client.query(set, ['ferry_version', opts.ferryVersion]);
      await client.query('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', ['created_at', at]);
    }
    await client.query('COMMIT');
    return { from, to: PG_SCHEMA_VERSION, applied };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

async function checkNotNewer(client: pg.ClientBase, schema: number, shown: string): Promise<void> {
  if (schema === 0) return;
  const meta = new Map<string, string>((await client.query('SELECT key, value FROM meta')).rows.map((r: { key: string; value: string }) => [r.key, r.value]));
  const format = meta.has('format_version') ? Number(meta.get('format_version')) : undefined;
  if (schema > PG_SCHEMA_VERSION || (format !== undefined && !(format <= STORE_FORMAT_VERSION))) {
    const writer = meta.get('ferry_version');
    throw new FerryError(
      'FERRY_E_STORE_FORMAT',
      `${shown} was written by a newer Ferry${writer ? ` (${writer})` : ''}: store format ${format ?? '?'}, schema ${schema}; this Ferry reads format ${STORE_FORMAT_VERSION}, schema ${PG_SCHEMA_VERSION} at most.`,
      { data: { url: shown, format, schema, supportedFormat: STORE_FORMAT_VERSION, supportedSchema: PG_SCHEMA_VERSION } },
    );
  }
}
