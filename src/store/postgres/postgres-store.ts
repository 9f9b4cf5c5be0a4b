import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import type pg from 'pg';
import { FerryError } from '../../errors/index.js';
import {
  KIND_ORDER,
  OBJECT_KINDS,
  compareCodePoints,
  objectKey,
  type ChangeEvent,
  type DeploymentCounts,
  type DeploymentRecord,
  type Diagnostic,
  type FerryObject,
  type LockHolder,
  type NewDeployment,
  type ObjectKind,
  type Store,
  type StoreWrite,
  type StoredObject,
  type StoredObjectInfo,
} from '../../model/index.js';
import { VERSION } from '../../version.js';
import { BlobFolder } from '../blob-folder.js';
import type { WritesOutsideFerry } from '../outside-writes.js';
import { isProcessAlive } from '../process-alive.js';
import { assertSha256, sha256Hex } from '../sha256.js';
import {
  DEPLOYMENT_COLUMNS,
  INFO_COLUMNS,
  ZERO_COUNTS,
  changeFromRow,
  deploymentFromRow,
  infoFromRow,
  objectFromRow,
  type ChangeRow,
  type DeploymentRow,
  type InfoRow,
  type ObjectRow,
} from '../sqlite/rows.js';
import { AdvisoryLock } from './advisory-lock.js';
import { bulkLoadPg } from './bulk-load.js';
import { createPool, isConnectionLost, messageOf, parsePgStoreUrl, type PgStoreUrl } from './connection.js';
import { PgDeliveryReads } from './delivery-reads.js';
import { ADVISORY_CHANGE_LOG, ADVISORY_CLASS, PG_SCHEMA_VERSION, migratePg, type PgMigrateResult } from './migrations.js';
import { PgInstanceState } from './instance-state.js';
import { applyRemainingVariantChanges, applyWrites, contentTypeOf, insertEvents, writeError, writeVariants } from './object-writes.js';
import { guardPg, withTransaction, type Queryable } from './transaction.js';


export interface PostgresStoreOptions {
  /** Folder a relative `blob_dir` (and the default blob folder) is resolved against. */
  cwd: string;
  /** Clock for the timestamps the store itself writes (blob rows, repairs, lock times). */
  now?: () => Date;
  /** Writes from which the first deployment into an empty store takes the bulk path (default 5,000). */
  bulkLoadMinWrites?: number;
}

const INTERRUPTED = 'interrupted (process died)';
const BULK_MIN_WRITES = 5000;
const KIND_ORDER_SQL = `CASE kind ${OBJECT_KINDS.map((k) => `WHEN '${k}' THEN ${KIND_ORDER[k]}`).join(' ')} ELSE 99 END`;
const KINDS = new Set<string>(OBJECT_KINDS);

/**
 * An environment store in a PostgreSQL database (one database per environment), shared by every
 * process that opens the same URL: CLI deployments and any number of `ferry serve` replicas.
 * Same tables and semantics as the SQLite store: one transaction per deployment, drift recorded
 * by triggers, change-log seqs in commit order; the deployment lock is an advisory lock held by
 * a session (a dropped connection releases it). Blobs up to `blob_inline_max` live in the
 * database, larger ones in a blob folder every replica shares.
 */
export class PostgresStore implements Store, WritesOutsideFerry {
  readonly url: string;
  readonly shown: string;
  readonly blobDir: string;
  /** What the last open migrated (from = to when nothing). */
  readonly migration: PgMigrateResult;
  private readonly blobs: BlobFolder;
  private readonly now: () => Date;
  private readonly bulkLoadMinWrites: number;
  private readonly lock: AdvisoryLock;
  private delivery: PgDeliveryReads | undefined;
  private closed = false;

  /** Connects, brings the schema up to date (see migrations.ts) and settles interrupted deployments. */
  static async open(url: string, opts: PostgresStoreOptions): Promise<PostgresStore> {
    const u = parsePgStoreUrl(url);
    const pool = createPool(u, `ferry ${VERSION}`);
    const now = opts.now ?? (() => new Date());
    try {
      const client = await pool.connect();
      let migration: PgMigrateResult;
      try {
        migration = await migratePg(client, { shown: u.shown, now, ferryVersion: VERSION });
      } finally {
        client.release();
      }
      const store = new PostgresStore(pool, url, u, opts, now, migration);
      await store.repairInterruptedDeployments();
      return store;
    } catch (e) {
      await pool.end().catch(() => undefined);
      if (e instanceof FerryError) throw e;
      throw new FerryError('FERRY_E_STORE', `Cannot open the store ${u.shown}: ${messageOf(e)}`, {
        data: { url: u.shown },
        cause: e,
        hint: 'Check that the PostgreSQL server is up and reachable, and the user, password, database and sslmode in the store URL.',
      });
    }
  }

  private constructor(
    readonly pool: pg.Pool,
    url: string,
    private readonly u: PgStoreUrl,
    opts: PostgresStoreOptions,
    now: () => Date,
    migration: PgMigrateResult,
  ) {
    this.url = url;
    this.shown = u.shown;
    this.now = now;
    this.migration = migration;
    const dir = u.blobDir ?? join('.ferry', 'blobs', u.database);
    this.blobDir = isAbsolute(dir) ? dir : resolve(opts.cwd, dir);
    this.blobs = new BlobFolder(this.blobDir);
    this.bulkLoadMinWrites = opts.bulkLoadMinWrites ?? BULK_MIN_WRITES;
    this.lock = new AdvisoryLock(pool, { shown: u.shown, pollMs: u.lockPollMs, now });
  }

  /** Schema version this Ferry writes. */
  static readonly schemaVersion = PG_SCHEMA_VERSION;

  // ---- objects -------------------------------------------------------------------------------

  async index(): Promise<StoredObjectInfo[]> {
    return this.run('read the object index', async () => (await this.rows<InfoRow>(this.pool, `SELECT ${INFO_COLUMNS} FROM objects`, [])).map(infoFromRow));
  }

  async getObjects(keys: readonly string[]): Promise<Map<string, StoredObject>> {
    return this.run('read objects', async () => {
      const out = new Map<string, StoredObject>();
      if (keys.length === 0) return out;
      for (const r of await this.rows<ObjectRow>(this.pool, `SELECT ${INFO_COLUMNS}, data FROM objects WHERE key = ANY($1::text[])`, [[...keys]])) {
        out.set(r[0], objectFromRow(r, this.shown));
      }
      return out;
    });
  }

  async findByCodeNames(pairs: readonly { kind: ObjectKind; codeName: string }[]): Promise<StoredObjectInfo[]> {
    return this.run('find objects by code name', async () => {
      if (pairs.length === 0) return [];
      const cols = INFO_COLUMNS.split(', ').map((c) => `o.${c}`).join(', ');
      const sql = `SELECT ${cols} FROM unnest($1::text[], $2::text[]) AS p(kind, code_name) JOIN objects o ON o.kind = p.kind AND o.code_name = p.code_name`;
      return (await this.rows<InfoRow>(this.pool, sql, [pairs.map((p) => p.kind), pairs.map((p) => p.codeName)])).map(infoFromRow);
    });
  }

  async getInfos(keys: readonly string[]): Promise<StoredObjectInfo[]> {
    return this.run('read index rows', async () => {
      if (keys.length === 0) return [];
      return (await this.rows<InfoRow>(this.pool, `SELECT ${INFO_COLUMNS} FROM objects WHERE key = ANY($1::text[])`, [[...keys]])).map(infoFromRow);
    });
  }

  async findReferrers(keys: readonly string[]): Promise<StoredObjectInfo[]> {
    return this.run('find referrers', async () => {
      if (keys.length === 0) return [];
      const sql = `SELECT ${INFO_COLUMNS} FROM objects WHERE key IN (SELECT from_key FROM object_refs WHERE to_key = ANY($1::text[])) ORDER BY key`;
      return (await this.rows<InfoRow>(this.pool, sql, [[...keys]])).map(infoFromRow);
    });
  }

  async listObjects(kinds?: readonly ObjectKind[]): Promise<StoredObject[]> {
    return this.run('list objects', async () => {
      const rows =
        kinds === undefined
          ? await this.rows<ObjectRow>(this.pool, `SELECT ${INFO_COLUMNS}, data FROM objects ORDER BY ${KIND_ORDER_SQL}, key`, [])
          : await this.rows<ObjectRow>(this.pool, `SELECT ${INFO_COLUMNS}, data FROM objects WHERE kind = ANY($1::text[]) ORDER BY ${KIND_ORDER_SQL}, key`, [[...kinds]]);
      return rows.map((r) => objectFromRow(r, this.shown));
    });
  }

  async writeObjectOutsideFerry(object: FerryObject): Promise<void> {
    await this.run('write an object outside Ferry', () =>
      this.transaction(async (c) => {
        const key = objectKey(object);
        const data = JSON.stringify(object);
        const guid = object.kind === 'language' ? null : object.guid;
        const contentType = contentTypeOf(object);
        // No ferry_stamp and no source hash: exactly what an edit made with plain SQL looks like.
        const updated = await c.query('UPDATE objects SET kind = $1, guid = $2, code_name = $3, content_type = $4, data = $5 WHERE key = $6', [
          object.kind,
          guid,
          object.codeName,
          contentType,
          data,
          key,
        ]);
        if (updated.rowCount === 0) {
          await c.query('INSERT INTO objects (key, kind, guid, code_name, content_type, data) VALUES ($1, $2, $3, $4, $5, $6)', [key, object.kind, guid, object.codeName, contentType, data]);
        }
        await writeVariants(c, [object], this.now().toISOString(), new Map());
      }),
    );
  }

  // ---- drift ---------------------------------------------------------------------------------

  async drift(): Promise<{ changed: StoredObjectInfo[]; added: StoredObjectInfo[]; deleted: StoredObjectInfo[] }> {
    return this.run('read drift', async () => {
      const of = async (d: string) => (await this.rows<InfoRow>(this.pool, `SELECT ${INFO_COLUMNS} FROM objects WHERE drift = $1`, [d])).map(infoFromRow).sort(compareInfo);
      const deleted = (await this.rows<InfoRow>(this.pool, 'SELECT key, kind, code_name, content_type, path, source_hash, NULL FROM drift_deleted', [])).map(infoFromRow).sort(compareInfo);
      return { changed: await of('changed'), added: await of('added'), deleted };
    });
  }

  async hasDrift(): Promise<boolean> {
    return this.run('check for drift', async () => {
      const r = await this.pool.query('SELECT EXISTS (SELECT 1 FROM objects WHERE drift IS NOT NULL) OR EXISTS (SELECT 1 FROM drift_deleted) AS d');
      return r.rows[0].d === true;
    });
  }

  // ---- blobs ---------------------------------------------------------------------------------

  async hasBlob(sha256: string): Promise<boolean> {
    assertSha256(sha256);
    return this.run('look up a blob', async () => {
      const r = await this.pool.query('SELECT bytes IS NOT NULL AS inline FROM blobs WHERE sha256 = $1', [sha256]);
      if (r.rowCount === 0) return false;
      // A large blob's row is written after its file; the file must still be there.
      return r.rows[0].inline === true || this.blobs.has(sha256);
    });
  }

  async putBlob(sha256: string, bytes: Uint8Array): Promise<void> {
    assertSha256(sha256);
    const actual = sha256Hex(bytes);
    if (actual !== sha256) {
      throw new FerryError('FERRY_E_ASSET', `Blob bytes do not match their sha256: expected ${sha256}, got ${actual} (${bytes.byteLength} bytes).`, {
        data: { expected: sha256, actual, size: bytes.byteLength },
      });
    }
    await this.run('store a blob', async () => {
      const inline = bytes.byteLength <= this.u.blobInlineMax;
      if (!inline) this.blobs.write(sha256, bytes);
      await this.pool.query('INSERT INTO blobs (sha256, size, bytes, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING', [
        sha256,
        bytes.byteLength,
        inline ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : null,
        this.now().toISOString(),
      ]);
    });
  }

  /**
   * A blob from chunks, its sha256 and size checked as they arrive: up to `blob_inline_max` it is
   * gathered (bounded by that size) and stored in the database; larger ones stream into the blob
   * folder (BlobFolder.writeStream), so memory stays flat.
   */
  async putBlobStream(sha256: string, size: number, open: () => AsyncIterable<Uint8Array>): Promise<void> {
    assertSha256(sha256);
    if (size > this.u.blobInlineMax) {
      await this.blobs.writeStream(sha256, size, open());
      await this.run('store a blob', () =>
        this.pool.query('INSERT INTO blobs (sha256, size, bytes, created_at) VALUES ($1, $2, NULL, $3) ON CONFLICT (sha256) DO NOTHING', [sha256, size, this.now().toISOString()]),
      );
      return;
    }
    if (await this.hasBlob(sha256)) return;
    const parts: Uint8Array[] = [];
    let got = 0;
    for await (const chunk of open()) {
      got += chunk.byteLength;
      if (got > size) break;
      parts.push(chunk);
    }
    const bytes = Buffer.concat(parts);
    const actual = got > size ? undefined : sha256Hex(bytes);
    if (got !== size || actual !== sha256) {
      throw new FerryError('FERRY_E_ASSET', `Blob bytes do not match their id: expected ${sha256} (${size} bytes), got ${got > size ? `more than ${size} bytes` : `${actual} (${got} bytes)`}; nothing was stored.`, {
        data: { expected: sha256, actual, size: got, expectedSize: size },
      });
    }
    await this.putBlob(sha256, bytes);
  }

  async readBlob(sha256: string): Promise<Uint8Array | undefined> {
    assertSha256(sha256);
    return this.run('read a blob', async () => {
      const r = await this.pool.query('SELECT bytes FROM blobs WHERE sha256 = $1', [sha256]);
      if (r.rowCount === 0) return undefined;
      const bytes = r.rows[0].bytes as Buffer | null;
      return bytes === null ? this.blobs.read(sha256) : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    });
  }

  // ---- deployments ---------------------------------------------------------------------------

  async startDeployment(d: NewDeployment): Promise<DeploymentRecord> {
    return this.run('record a new deployment', async () => {
      const r = await this.pool.query<DeploymentRow>(
        `INSERT INTO deployments (environment, from_commit, to_commit, source, tag, mode, actor, started_at, status, counts, diagnostics, message, pid, host, config_digest)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'running', $9, '[]', $10, $11, $12, $13) RETURNING ${DEPLOYMENT_COLUMNS}`,
        [d.environment, d.fromCommit ?? null, d.toCommit ?? null, d.source, d.tag ?? null, d.mode, d.actor, d.startedAt, JSON.stringify(ZERO_COUNTS), d.message ?? null, process.pid, hostname(), d.configDigest ?? null],
      );
      return deploymentFromRow(r.rows[0]);
    });
  }

  async commitDeployment(
    id: number,
    writes: readonly StoreWrite[],
    events: readonly ChangeEvent[],
    counts: DeploymentCounts,
    finishedAt: string,
    status: 'succeeded' | 'no-op' = 'succeeded',
  ): Promise<DeploymentRecord> {
    // Shapes the database would refuse, named by their write (before anything is sent).
    writes.forEach((w, i) => {
      if (w.op === 'put' && !KINDS.has((w.object as Partial<FerryObject> | undefined)?.kind as string)) {
        throw writeError(new Error(`unknown kind ${JSON.stringify((w.object as { kind?: unknown } | undefined)?.kind)}`), w, i, id, this.shown);
      }
    });
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      throw new FerryError('FERRY_E_STORE', `Deployment #${id} could not be committed to ${this.shown}: cannot connect (${messageOf(e)}). Nothing was applied.`, {
        data: { url: this.shown, deploymentId: id },
        cause: e,
      });
    }
    let committing = false;
    let broken = false;
    try {
      await client.query('BEGIN');
      // Commits one at a time: change-log seqs (max + 1) then follow commit order.
      await client.query('SELECT pg_advisory_xact_lock($1, $2)', [ADVISORY_CLASS, ADVISORY_CHANGE_LOG]);
      await assertRunning(client, id, this.shown);
      const bulk = writes.length >= this.bulkLoadMinWrites && (await isEmpty(client));
      const variantChanges = await insertEvents(client, id, events);
      if (bulk) await bulkLoadPg(client, writes, variantChanges, finishedAt);
      else await applyWrites(client, writes, finishedAt, variantChanges, id, this.shown);
      await applyRemainingVariantChanges(client, variantChanges);
      await client.query('UPDATE deployments SET status = $1, finished_at = $2, counts = $3 WHERE id = $4', [status, finishedAt, JSON.stringify(counts), id]);
      committing = true;
      await client.query('COMMIT');
    } catch (e) {
      broken = isConnectionLost(e);
      if (!broken) await client.query('ROLLBACK').catch(() => undefined);
      if (e instanceof FerryError) throw e;
      if (broken && committing) {
        throw new FerryError(
          'FERRY_E_STORE',
          `Deployment #${id}: the connection to ${this.shown} was lost while PostgreSQL was committing (${messageOf(e)}); whether the commit landed is unknown.`,
          { data: { url: this.shown, deploymentId: id, connectionLost: true }, cause: e, hint: 'Run `ferry history --env <env>`: the deployment shows succeeded if it landed; otherwise deploy again.' },
        );
      }
      const why = broken ? `the connection to the database was lost (${messageOf(e)}); PostgreSQL rolled the transaction back` : messageOf(e);
      throw new FerryError('FERRY_E_STORE', `Deployment #${id} could not be committed to ${this.shown}: ${why}. Nothing was applied.`, {
        data: { url: this.shown, deploymentId: id, ...(broken ? { connectionLost: true } : {}) },
        cause: e,
        ...(broken ? { hint: 'Check the database server and network, then deploy again.' } : {}),
      });
    } finally {
      client.release(broken);
    }
    return this.run('read the deployment', () => this.deploymentOrThrow(this.pool, id));
  }

  async failDeployment(id: number, diagnostics: readonly Diagnostic[], message: string, finishedAt: string): Promise<DeploymentRecord> {
    return this.run('record a failed deployment', () =>
      this.transaction(async (c) => {
        const r = await c.query<{ status: string }>('SELECT status FROM deployments WHERE id = $1 FOR UPDATE', [id]);
        if (r.rowCount === 0) throw new FerryError('FERRY_E_NOT_FOUND', `No deployment #${id} in ${this.shown}.`, { data: { deploymentId: id } });
        const status = r.rows[0].status;
        if (status === 'succeeded' || status === 'no-op') {
          throw new FerryError('FERRY_E_CONFLICT', `Deployment #${id} already ${status}; it cannot be marked failed.`, { data: { deploymentId: id } });
        }
        await c.query("UPDATE deployments SET status = 'failed', finished_at = $1, diagnostics = $2, message = $3 WHERE id = $4", [finishedAt, JSON.stringify(diagnostics), message, id]);
        return this.deploymentOrThrow(c, id);
      }),
    );
  }

  async deployments(opts: { limit?: number } = {}): Promise<DeploymentRecord[]> {
    return this.run('list deployments', async () => {
      const limit = opts.limit === undefined ? null : Math.max(0, Math.floor(opts.limit));
      const r = await this.pool.query<DeploymentRow>(`SELECT ${DEPLOYMENT_COLUMNS} FROM deployments ORDER BY id DESC LIMIT $1`, [limit]);
      return r.rows.map(deploymentFromRow);
    });
  }

  async getDeployment(id: number): Promise<DeploymentRecord | undefined> {
    return this.run('read a deployment', async () => {
      if (!Number.isSafeInteger(id)) return undefined;
      const r = await this.pool.query<DeploymentRow>(`SELECT ${DEPLOYMENT_COLUMNS} FROM deployments WHERE id = $1`, [id]);
      return r.rows[0] && deploymentFromRow(r.rows[0]);
    });
  }

  async lastSuccessfulDeployment(): Promise<DeploymentRecord | undefined> {
    return this.run('read the last deployment', async () => {
      const r = await this.pool.query<DeploymentRow>(
        `SELECT ${DEPLOYMENT_COLUMNS} FROM deployments WHERE status IN ('succeeded', 'no-op') AND (to_commit IS NOT NULL OR source IS NOT NULL) ORDER BY id DESC LIMIT 1`,
      );
      return r.rows[0] && deploymentFromRow(r.rows[0]);
    });
  }

  // ---- change log ----------------------------------------------------------------------------

  async changes(afterSeq: number, limit: number): Promise<ChangeEvent[]> {
    return this.run('read the change log', async () => {
      const r = await this.pool.query<ChangeRow>('SELECT seq, type, key, kind, content_type, locale, at, deployment_id FROM change_log WHERE seq > $1 ORDER BY seq LIMIT $2', [
        afterSeq,
        Math.max(0, Math.floor(limit)),
      ]);
      return r.rows.map(changeFromRow);
    });
  }

  async lastChangeSeq(): Promise<number> {
    return this.run('read the change log', async () => Number((await this.pool.query('SELECT coalesce(max(seq), 0) AS s FROM change_log')).rows[0].s));
  }

  // ---- lock ----------------------------------------------------------------------------------

  async acquireLock(holder: LockHolder, timeoutMs: number): Promise<() => Promise<void>> {
    return this.lock.acquire(holder, timeoutMs);
  }

  // ---- delivery and instance state (beside the port) -----------------------------------------

  /** Reads for the delivery and Sync APIs (src/transport/delivery). */
  deliveryReads(): PgDeliveryReads {
    this.delivery ??= new PgDeliveryReads(this.pool, this.pool, this.shown, this.blobs);
    return this.delivery;
  }

  /** `ferry serve`'s state (tasks, nonces) for one environment, in this database, shared by replicas. */
  async openInstanceState(environment: string, opts: { nonceCapacity?: number } = {}): Promise<PgInstanceState> {
    return PgInstanceState.open(this.pool, environment, this.shown, opts);
  }

  /** The meta table: format_version, ferry_version, created_at. */
  async meta(): Promise<Record<string, string>> {
    return this.run('read the store meta data', async () => {
      const out: Record<string, string> = {};
      for (const r of (await this.pool.query('SELECT key, value FROM meta ORDER BY key')).rows as { key: string; value: string }[]) out[r.key] = r.value;
      return out;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.lock.releaseAll();
    await this.pool.end();
  }

  // ---- internals -----------------------------------------------------------------------------

  private async deploymentOrThrow(q: Queryable, id: number): Promise<DeploymentRecord> {
    const r = await q.query<DeploymentRow>(`SELECT ${DEPLOYMENT_COLUMNS} FROM deployments WHERE id = $1`, [id]);
    if (r.rowCount === 0) throw new FerryError('FERRY_E_NOT_FOUND', `No deployment #${id} in ${this.shown}.`, { data: { deploymentId: id } });
    return deploymentFromRow(r.rows[0]);
  }

  /** A deployment left `running` by a process on this host that died never committed: record it as failed. */
  private async repairInterruptedDeployments(): Promise<void> {
    const here = hostname();
    const running = (await this.pool.query<{ id: number; pid: number | null; host: string | null }>("SELECT id, pid, host FROM deployments WHERE status = 'running'")).rows;
    const dead = running.filter((r) => r.host === here && r.pid !== null && r.pid !== process.pid && !isProcessAlive(r.pid));
    if (dead.length === 0) return;
    await this.pool.query("UPDATE deployments SET status = 'failed', finished_at = $1, message = $2 WHERE id = ANY($3::bigint[]) AND status = 'running'", [
      this.now().toISOString(),
      INTERRUPTED,
      dead.map((r) => r.id),
    ]);
  }

  private async rows<R extends unknown[]>(q: Queryable, text: string, values: unknown[]): Promise<R[]> {
    return (await q.query<R>({ text, values, rowMode: 'array' })).rows;
  }

  private async transaction<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    return withTransaction(this.pool, fn);
  }

  private async run<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return guardPg(this.shown, what, fn);
  }
}

async function assertRunning(c: Queryable, id: number, shown: string): Promise<void> {
  const r = await c.query<{ status: string }>('SELECT status FROM deployments WHERE id = $1 FOR UPDATE', [id]);
  if (r.rowCount === 0) throw new FerryError('FERRY_E_NOT_FOUND', `No deployment #${id} in ${shown}.`, { data: { deploymentId: id } });
  const status = r.rows[0].status;
  if (status !== 'running') {
    throw new FerryError('FERRY_E_CONFLICT', `Deployment #${id} is ${status}, not running; start a new deployment.`, { data: { deploymentId: id, status } });
  }
}

async function isEmpty(c: Queryable): Promise<boolean> {
  const r = await c.query('SELECT NOT EXISTS (SELECT 1 FROM objects) AND NOT EXISTS (SELECT 1 FROM variants) AND NOT EXISTS (SELECT 1 FROM drift_deleted) AS e');
  return r.rows[0].e === true;
}

function compareInfo(a: StoredObjectInfo, b: StoredObjectInfo): number {
  return (KIND_ORDER[a.kind] ?? 99) - (KIND_ORDER[b.kind] ?? 99) || compareCodePoints(a.key, b.key);
}

/** A random token (lock ownership). */
export function newToken(): string {
  return randomBytes(16).toString('hex');
}
