import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { FerryError } from '../../errors/index.js';
import { VERSION } from '../../version.js';
import {
  KIND_ORDER,
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
import { BlobFolder } from '../blob-folder.js';
import type { WritesOutsideFerry } from '../outside-writes.js';
import { isProcessAlive } from '../process-alive.js';
import { assertSha256 } from '../sha256.js';
import { BULK_MIN_WRITES, bulkLoad } from './bulk-load.js';
import { SqliteDeliveryReads } from './delivery-reads.js';
import { SqliteDeployLock } from './deploy-lock.js';
import { guardStore, messageOf } from './guard.js';
import { migrate, type MigrateResult } from './migrations.js';
import { SqliteObjectWrites, contentTypeOf, writeError } from './object-writes.js';
import { SqlitePublishedVariants, type PublishedVariant, type VariantQuery } from './published-variants.js';
import {
  ZERO_COUNTS,
  changeFromRow,
  deploymentFromRow,
  infoFromRow,
  objectFromRow,
  type ChangeRow,
  type DeploymentRow,
  type InfoRow,
  type ObjectRow,
} from './rows.js';
import { prepareStatements, type Statements } from './statements.js';

export { SECONDARY_INDEXES } from './bulk-load.js';
export type { PublishedVariant, VariantQuery } from './published-variants.js';

export interface SqliteStoreOptions {
  /** The URL the store was opened with (shown in messages); defaults to `sqlite:<file>`. */
  url?: string;
  /** Clock for the timestamps the store itself writes (blob rows, repairs, lock times). */
  now?: () => Date;
  /** How long one SQLite statement waits for another connection's write lock. */
  busyTimeoutMs?: number;
  /** How often a waiting `acquireLock` looks again. */
  lockPollMs?: number;
  /** Writes from which the first deployment into an empty store takes the bulk path (default 5,000). */
  bulkLoadMinWrites?: number;
  /**
   * `synchronous=FULL`: every commit is on disk when it returns, so a power loss loses nothing
   * committed. Default NORMAL (in WAL mode): a power loss may lose the last commits, never part
   * of one, and the file is never corrupted. See the README, "Durability".
   */
  durable?: boolean;
}

const INTERRUPTED = 'interrupted (process died)';

/**
 * The embedded environment store: one SQLite file (WAL) plus a content-addressed blob folder
 * beside it (`<file>.blobs/`). Every write of a deployment goes through one transaction; drift
 * (writes made outside Ferry) is recorded by triggers, see migrations.ts.
 */
export class SqliteStore implements Store, WritesOutsideFerry {
  readonly url: string;
  readonly file: string;
  readonly blobDir: string;
  private readonly db: Database.Database;
  private readonly blobs: BlobFolder;
  private readonly now: () => Date;
  private readonly bulkLoadMinWrites: number;
  private readonly s: Statements;
  private readonly rows: SqliteObjectWrites;
  private readonly lock: SqliteDeployLock;
  private readonly variants: SqlitePublishedVariants;
  private delivery: SqliteDeliveryReads | undefined;
  private closed = false;

  /** Opens (creating when missing) the store file and brings its schema up to date. */
  static open(file: string, opts: SqliteStoreOptions = {}): SqliteStore {
    let db: Database.Database | undefined;
    try {
      mkdirSync(dirname(file), { recursive: true });
      // `timeout` is SQLite's busy_timeout, set before the first statement so that even
      // switching to WAL waits for another process opening the same file.
      db = new Database(file, { timeout: Math.max(0, Math.floor(opts.busyTimeoutMs ?? 5000)) });
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${opts.durable ? 'FULL' : 'NORMAL'}`);
      db.pragma('foreign_keys = ON');
      const now = opts.now ?? (() => new Date());
      const migration = migrate(db, { file, now, ferryVersion: VERSION });
      return new SqliteStore(db, file, opts, now, migration);
    } catch (e) {
      db?.close();
      if (e instanceof FerryError) throw e;
      throw new FerryError('FERRY_E_STORE', `Cannot open the store ${file}: ${messageOf(e)}`, { data: { path: file }, cause: e });
    }
  }

  private constructor(
    db: Database.Database,
    file: string,
    opts: SqliteStoreOptions,
    now: () => Date,
    /** What this open migrated (from = to when nothing). */
    readonly migration: MigrateResult,
  ) {
    this.db = db;
    this.file = file;
    this.url = opts.url ?? `sqlite:${file}`;
    this.blobDir = `${file}.blobs`;
    this.blobs = new BlobFolder(this.blobDir);
    this.now = now;
    this.bulkLoadMinWrites = opts.bulkLoadMinWrites ?? BULK_MIN_WRITES;
    this.s = prepareStatements(db);
    this.rows = new SqliteObjectWrites(this.s);
    this.lock = new SqliteDeployLock(db, this.s, file, now, opts.lockPollMs ?? 150);
    this.variants = new SqlitePublishedVariants(db, file);
    this.repairInterruptedDeployments();
  }

  // ---- objects -------------------------------------------------------------------------------

  async index(): Promise<StoredObjectInfo[]> {
    return this.guard('read the object index', () => (this.s.index.all() as InfoRow[]).map(infoFromRow));
  }

  async getObjects(keys: readonly string[]): Promise<Map<string, StoredObject>> {
    return this.guard('read objects', () => {
      const out = new Map<string, StoredObject>();
      if (keys.length === 0) return out;
      for (const r of this.s.objectsByKeys.all(JSON.stringify(keys)) as ObjectRow[]) out.set(r[0], objectFromRow(r, this.file));
      return out;
    });
  }

  async findByCodeNames(pairs: readonly { kind: ObjectKind; codeName: string }[]): Promise<StoredObjectInfo[]> {
    return this.guard('find objects by code name', () => {
      if (pairs.length === 0) return [];
      return (this.s.infoByCodeNames.all(JSON.stringify(pairs.map((p) => [p.kind, p.codeName]))) as InfoRow[]).map(infoFromRow);
    });
  }

  async getInfos(keys: readonly string[]): Promise<StoredObjectInfo[]> {
    return this.guard('read index rows', () => {
      if (keys.length === 0) return [];
      return (this.s.infoByKeys.all(JSON.stringify(keys)) as InfoRow[]).map(infoFromRow);
    });
  }

  async findReferrers(keys: readonly string[]): Promise<StoredObjectInfo[]> {
    return this.guard('find referrers', () => {
      if (keys.length === 0) return [];
      return (this.s.infoOfReferrers.all(JSON.stringify(keys)) as InfoRow[]).map(infoFromRow);
    });
  }

  async listObjects(kinds?: readonly ObjectKind[]): Promise<StoredObject[]> {
    return this.guard('list objects', () => {
      const rows = (kinds === undefined ? this.s.allObjects.all() : this.s.objectsOfKinds.all(JSON.stringify(kinds))) as ObjectRow[];
      return rows.map((r) => objectFromRow(r, this.file));
    });
  }

  async writeObjectOutsideFerry(object: FerryObject): Promise<void> {
    this.guard('write an object outside Ferry', () => {
      const key = objectKey(object);
      const at = this.now().toISOString();
      this.db
        .transaction(() => {
          const data = JSON.stringify(object);
          const guid = object.kind === 'language' ? null : object.guid;
          // No ferry_stamp and no source hash: exactly what an edit made with plain SQL looks like.
          const contentType = contentTypeOf(object);
          const updated = this.s.outsideUpdate.run(object.kind, guid, object.codeName, contentType, data, key);
          if (updated.changes === 0) this.s.outsideInsert.run(key, object.kind, guid, object.codeName, contentType, data);
          this.rows.writeVariants(object, at);
        })
        .immediate();
    });
  }

  // ---- drift ---------------------------------------------------------------------------------

  async drift(): Promise<{ changed: StoredObjectInfo[]; added: StoredObjectInfo[]; deleted: StoredObjectInfo[] }> {
    return this.guard('read drift', () => {
      const changed = (this.s.driftOf.all('changed') as InfoRow[]).map(infoFromRow).sort(compareInfo);
      const added = (this.s.driftOf.all('added') as InfoRow[]).map(infoFromRow).sort(compareInfo);
      const deleted = (this.s.driftDeleted.all() as InfoRow[]).map(infoFromRow).sort(compareInfo);
      return { changed, added, deleted };
    });
  }

  async hasDrift(): Promise<boolean> {
    return this.guard('check for drift', () => this.s.hasDrift.pluck().get() === 1);
  }

  // ---- blobs ---------------------------------------------------------------------------------

  async hasBlob(sha256: string): Promise<boolean> {
    // Both the row and the file: a deploy killed between writing the file and its row leaves a
    // file alone, and a deploy that trusted it would never write the row (faults.test.ts).
    return this.guard('look up a blob', () => this.s.hasBlobRow.pluck().get(sha256) === 1 && this.blobs.has(sha256));
  }

  async putBlob(sha256: string, bytes: Uint8Array): Promise<void> {
    this.guard('store a blob', () => {
      this.blobs.write(sha256, bytes);
      // Also when the file was already there: a crash between rename and insert leaves no row.
      this.s.insertBlob.run(sha256, bytes.byteLength, this.now().toISOString());
    });
  }

  async putBlobStream(sha256: string, size: number, open: () => AsyncIterable<Uint8Array>): Promise<void> {
    assertSha256(sha256);
    await this.blobs.writeStream(sha256, size, open());
    this.guard('store a blob', () => {
      this.s.insertBlob.run(sha256, size, this.now().toISOString());
    });
  }

  async readBlob(sha256: string): Promise<Uint8Array | undefined> {
    return this.guard('read a blob', () => this.blobs.read(sha256));
  }

  // ---- deployments ---------------------------------------------------------------------------

  async startDeployment(d: NewDeployment): Promise<DeploymentRecord> {
    return this.guard('record a new deployment', () => {
      const id = Number(
        this.s.insertDeployment.run(
          d.environment,
          d.fromCommit ?? null,
          d.toCommit ?? null,
          d.source,
          d.tag ?? null,
          d.mode,
          d.actor,
          d.startedAt,
          JSON.stringify(ZERO_COUNTS),
          d.message ?? null,
          process.pid,
          hostname(),
          d.configDigest ?? null,
        ).lastInsertRowid,
      );
      return this.deploymentOrThrow(id);
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
    try {
      this.db
        .transaction(() => {
          this.assertRunning(id);
          if (writes.length >= this.bulkLoadMinWrites && this.s.isEmpty.pluck().get() === 1) {
            bulkLoad(this.db, this.s, this.rows, this.file, id, writes, events, finishedAt);
            this.s.finishDeployment.run(status, finishedAt, JSON.stringify(counts), id);
            return;
          }
          // Usually empty: then the per-write cleanup of deletion drift can be skipped.
          const deletedDrift = this.s.anyDeletedDrift.pluck().get() === 1;
          // Events first: each written variant takes its change-log columns in the same statement.
          const variantChanges = this.rows.insertEvents(id, events);
          writes.forEach((w, i) => {
            try {
              this.rows.applyWrite(w, finishedAt, deletedDrift, variantChanges);
            } catch (e) {
              throw writeError(e, w, i, id, this.file);
            }
          });
          // Variants with events but no write in this deployment (if any): one UPDATE each.
          for (const [k, c] of variantChanges) {
            if (c.applied) continue;
            const [key, locale] = k.split('\u0000');
            this.s.applyVariantChange.run({ seq: c.seq, published: c.published, publishedAt: c.publishedAt, key, locale });
          }
          this.s.finishDeployment.run(status, finishedAt, JSON.stringify(counts), id);
        })
        .immediate();
    } catch (e) {
      if (e instanceof FerryError) throw e;
      throw new FerryError('FERRY_E_STORE', `Deployment #${id} could not be committed to ${this.file}: ${messageOf(e)}. Nothing was applied.`, {
        data: { path: this.file, deploymentId: id },
        cause: e,
      });
    }
    return this.guard('read the deployment', () => this.deploymentOrThrow(id));
  }

  async failDeployment(id: number, diagnostics: readonly Diagnostic[], message: string, finishedAt: string): Promise<DeploymentRecord> {
    return this.guard('record a failed deployment', () => {
      this.db
        .transaction(() => {
          const d = this.deploymentOrThrow(id);
          if (d.status === 'succeeded' || d.status === 'no-op') {
            throw new FerryError('FERRY_E_CONFLICT', `Deployment #${id} already ${d.status}; it cannot be marked failed.`, { data: { deploymentId: id } });
          }
          this.s.failDeployment.run(finishedAt, JSON.stringify(diagnostics), message, id);
        })
        .immediate();
      return this.deploymentOrThrow(id);
    });
  }

  async deployments(opts: { limit?: number } = {}): Promise<DeploymentRecord[]> {
    return this.guard('list deployments', () =>
      (this.s.deployments.all(opts.limit === undefined ? -1 : Math.max(0, Math.floor(opts.limit))) as DeploymentRow[]).map(deploymentFromRow),
    );
  }

  async getDeployment(id: number): Promise<DeploymentRecord | undefined> {
    return this.guard('read a deployment', () => {
      const r = this.s.deployment.get(id) as DeploymentRow | undefined;
      return r && deploymentFromRow(r);
    });
  }

  async lastSuccessfulDeployment(): Promise<DeploymentRecord | undefined> {
    return this.guard('read the last deployment', () => {
      const r = this.s.lastSuccessful.get() as DeploymentRow | undefined;
      return r && deploymentFromRow(r);
    });
  }

  // ---- change log ----------------------------------------------------------------------------

  async changes(afterSeq: number, limit: number): Promise<ChangeEvent[]> {
    return this.guard('read the change log', () => (this.s.changes.all(afterSeq, Math.max(0, Math.floor(limit))) as ChangeRow[]).map(changeFromRow));
  }

  async lastChangeSeq(): Promise<number> {
    return this.guard('read the change log', () => this.s.lastChangeSeq.pluck().get() as number);
  }

  // ---- lock ----------------------------------------------------------------------------------

  async acquireLock(holder: LockHolder, timeoutMs: number): Promise<() => Promise<void>> {
    return this.lock.acquire(holder, timeoutMs);
  }

  // ---- SQLite only, not part of the port -----------------------------------------------------

  /** Published variants, sorted by content type, locale and key (see SqlitePublishedVariants). */
  publishedVariants(q: VariantQuery & { limit: number; offset: number }): PublishedVariant[] {
    return this.variants.list(q);
  }

  countPublishedVariants(q: VariantQuery = {}): number {
    return this.variants.count(q);
  }

  /** Reads for the delivery and Sync APIs (the DeliveryReads port), over a read-only connection of their own. */
  deliveryReads(): SqliteDeliveryReads {
    this.delivery ??= new SqliteDeliveryReads(this.db, this.file, this.blobDir);
    return this.delivery;
  }

  /** The `synchronous` level this connection commits with, as SQLite reports it (SQLite only). */
  synchronousLevel(): 'OFF' | 'NORMAL' | 'FULL' | 'EXTRA' {
    const level = this.db.pragma('synchronous', { simple: true });
    return level === 0 ? 'OFF' : level === 2 ? 'FULL' : level === 3 ? 'EXTRA' : 'NORMAL';
  }

  /** The meta table: format_version, ferry_version, created_at. */
  meta(): Record<string, string> {
    return this.guard('read the store meta data', () => {
      const out: Record<string, string> = {};
      for (const r of this.db.prepare('SELECT key, value FROM meta ORDER BY key').all() as { key: string; value: string }[]) out[r.key] = r.value;
      return out;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.lock.close();
    this.closed = true;
    this.delivery?.close();
    try {
      // SQLite's advice for long-lived connections: refresh planner statistics where useful.
      this.db.pragma('optimize');
    } finally {
      this.db.close();
    }
  }

  // ---- internals -----------------------------------------------------------------------------

  private assertRunning(id: number): void {
    const d = this.deploymentOrThrow(id);
    if (d.status !== 'running') {
      throw new FerryError('FERRY_E_CONFLICT', `Deployment #${id} is ${d.status}, not running; start a new deployment.`, { data: { deploymentId: id, status: d.status } });
    }
  }

  private deploymentOrThrow(id: number): DeploymentRecord {
    const r = this.s.deployment.get(id) as DeploymentRow | undefined;
    if (!r) throw new FerryError('FERRY_E_NOT_FOUND', `No deployment #${id} in ${this.file}.`, { data: { deploymentId: id } });
    return deploymentFromRow(r);
  }

  /** A deployment left `running` by a process that died never committed: record it as failed. */
  private repairInterruptedDeployments(): void {
    const here = hostname();
    const running = this.s.runningDeployments.all() as { id: number; pid: number | null; host: string | null }[];
    const dead = running.filter((r) => r.host === here && r.pid !== null && r.pid !== process.pid && !isProcessAlive(r.pid));
    if (dead.length === 0) return;
    const at = this.now().toISOString();
    this.db
      .transaction(() => {
        for (const r of dead) this.s.markInterrupted.run(at, INTERRUPTED, r.id);
      })
      .immediate();
  }

  private guard<T>(what: string, fn: () => T): T {
    return guardStore(this.file, what, fn);
  }
}

function compareInfo(a: StoredObjectInfo, b: StoredObjectInfo): number {
  return (KIND_ORDER[a.kind] ?? 99) - (KIND_ORDER[b.kind] ?? 99) || compareCodePoints(a.key, b.key);
}
