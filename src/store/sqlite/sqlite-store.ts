import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { FerryError } from '../../errors/index.js';
import { VERSION } from '../../version.js';
import {
  KIND_ORDER,
  OBJECT_KINDS,
  compareCodePoints,
  contentReferenceKeys,
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
import { assertSha256 } from '../sha256.js';
import { describeLockHolder, parseLockHolder } from '../lock-holder.js';
import { isProcessAlive } from '../process-alive.js';
import { variantRowsOf } from '../variant-rows.js';
import { SqliteDeliveryReads } from './delivery-reads.js';
import { guardStore } from './guard.js';
import { migrate, type MigrateResult } from './migrations.js';
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
} from './rows.js';

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

/** A published language variant, as the delivery API serves it. */
export interface PublishedVariant {
  key: string;
  kind: 'contentItem' | 'page';
  locale: string;
  contentType: string;
  displayName: string;
  slug?: string;
  /** Shared and localized field values merged. */
  fields: Record<string, unknown>;
  /** When Ferry last wrote the variant (the deployment's finish time). */
  updatedAt: string;
}

export interface VariantQuery {
  contentType?: string;
  locale?: string;
}

const DEPLOY_LOCK = 'deploy';
const INTERRUPTED = 'interrupted (process died)';

/** `ORDER BY` expression for the kind dependency order. */
const KIND_ORDER_SQL = `CASE kind ${OBJECT_KINDS.map((k) => `WHEN '${k}' THEN ${KIND_ORDER[k]}`).join(' ')} ELSE 99 END`;

/**
 * The embedded environment store: one SQLite file (WAL) plus a content-addressed blob folder
 * beside it (`<file>.blobs/`). Every write of a deployment goes through one transaction; drift
 * (writes made outside Ferry) is recorded by triggers, see migrations.ts.
 */
export class SqliteStore implements Store {
  readonly url: string;
  readonly file: string;
  readonly blobDir: string;
  private readonly db: Database.Database;
  private readonly blobs: BlobFolder;
  private readonly now: () => Date;
  private readonly lockPollMs: number;
  private readonly bulkLoadMinWrites: number;
  private readonly s: ReturnType<typeof prepareStatements>;
  private readonly variantQueries = new Map<string, Database.Statement>();
  private readonly heldLocks = new Set<string>();
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
    this.lockPollMs = opts.lockPollMs ?? 150;
    this.bulkLoadMinWrites = opts.bulkLoadMinWrites ?? BULK_MIN_WRITES;
    this.s = prepareStatements(db);
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
          this.writeVariants(object, at);
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
    return this.guard('look up a blob', () => this.blobs.has(sha256));
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
            this.bulkLoad(id, writes, events, finishedAt);
            this.s.finishDeployment.run(status, finishedAt, JSON.stringify(counts), id);
            return;
          }
          // Usually empty: then the per-write cleanup of deletion drift can be skipped.
          const deletedDrift = this.s.anyDeletedDrift.pluck().get() === 1;
          // Events first: each written variant takes its change-log columns in the same statement.
          const variantChanges = this.insertEvents(id, events);
          writes.forEach((w, i) => {
            try {
              this.applyWrite(w, finishedAt, deletedDrift, variantChanges);
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
    const token = randomBytes(16).toString('hex');
    const deadline = performance.now() + Math.max(0, timeoutMs);
    for (;;) {
      const current = this.guard('take the deployment lock', () => this.tryLock(holder, token));
      if (current === undefined) {
        this.heldLocks.add(token);
        return async () => this.releaseLock(token);
      }
      const left = deadline - performance.now();
      if (left <= 0) {
        const who = current === 'busy' ? 'another connection writing to the store' : describeLockHolder(current);
        throw new FerryError('FERRY_E_LOCK', `The environment store ${this.file} is locked by ${who}; gave up after ${timeoutMs} ms.`, {
          data: { path: this.file, timeoutMs, ...(current === 'busy' ? {} : { holder: current }) },
        });
      }
      await sleep(Math.min(this.lockPollMs, left));
    }
  }

  // ---- delivery reads (SQLite only, not part of the port) ------------------------------------

  /** Published variants, sorted by content type, locale and key; for the delivery API's paging. */
  publishedVariants(q: VariantQuery & { limit: number; offset: number }): PublishedVariant[] {
    return this.guard('read published variants', () => {
      const rows = this.variantQuery(q, false).all(...variantParams(q), Math.max(0, Math.floor(q.limit)), Math.max(0, Math.floor(q.offset))) as {
        key: string;
        kind: 'contentItem' | 'page';
        locale: string;
        content_type: string;
        display_name: string;
        slug: string | null;
        data: string;
        updated_at: string;
      }[];
      return rows.map((r) => ({
        key: r.key,
        kind: r.kind,
        locale: r.locale,
        contentType: r.content_type,
        displayName: r.display_name,
        ...(r.slug === null ? {} : { slug: r.slug }),
        fields: JSON.parse(r.data) as Record<string, unknown>,
        updatedAt: r.updated_at,
      }));
    });
  }

  countPublishedVariants(q: VariantQuery = {}): number {
    return this.guard('count published variants', () => this.variantQuery(q, true).pluck().get(...variantParams(q)) as number);
  }

  /** Reads for the delivery and Sync APIs (SQLite only, not on the port). */
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
    for (const token of this.heldLocks) this.releaseLock(token);
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

  /**
   * Inserts a deployment's change-log events and sums them up per variant: the Sync API pages an
   * initial sync over variants whose last event is at or before its start (change_seq), and
   * counts versions and the last publication per variant.
   */
  private insertEvents(id: number, events: readonly ChangeEvent[]): Map<string, VariantChange> {
    const changes = new Map<string, VariantChange>();
    for (const e of events) {
      const seq = Number(this.s.insertChange.run(e.type, e.key, e.kind, e.contentType ?? null, e.locale ?? null, e.at, id).lastInsertRowid);
      if (e.locale === undefined || (e.kind !== 'contentItem' && e.kind !== 'page')) continue;
      const k = `${e.key}\u0000${e.locale}`;
      const c = changes.get(k) ?? { seq: 0, published: 0, publishedAt: null, applied: false };
      c.seq = seq;
      if (e.type === 'entry_published') {
        c.published += 1;
        c.publishedAt = e.at;
      }
      changes.set(k, c);
    }
    return changes;
  }

  /**
   * The first deployment into an empty store (a new environment, a full restore): every write is
   * an insert, so the general path's per-row work is waste. Within the same transaction this
   * drops most secondary indexes (SECONDARY_INDEXES), inserts objects and variants in key order (appends to both
   * B-trees instead of random page writes), gives each variant its change-log columns as it is
   * inserted (instead of an UPDATE per event), and builds the indexes again by sorting. Same rows,
   * same indexes as the general path; ~2x faster at 100k objects.
   */
  private bulkLoad(id: number, writes: readonly StoreWrite[], events: readonly ChangeEvent[], at: string): void {
    const s = this.s;
    for (const { name } of SECONDARY_INDEXES) this.db.exec(`DROP INDEX ${name}`);
    // Events first: their seqs give each variant its change_seq, version and published_at.
    const variantChange = this.insertEvents(id, events);
    const puts = writes.filter((w): w is Extract<StoreWrite, { op: 'put' }> => w.op === 'put').map((w) => ({ w, key: objectKey(w.object) }));
    puts.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    puts.forEach(({ w, key }, i) => {
      try {
        const o = w.object;
        s.insertObject.run(key, o.kind, o.kind === 'language' ? null : (o.guid ?? null), o.codeName, contentTypeOf(o), w.path, w.sourceHash, JSON.stringify(o));
        this.writeRefs(key, o, false);
        for (const v of variantRowsOf(o)) {
          const c = variantChange.get(`${v.key}\u0000${v.locale}`);
          s.insertVariant.run(v.key, v.locale, v.kind, v.status, v.contentType, v.displayName, v.slug ?? null, JSON.stringify(v.fields), at, at, c?.seq ?? 0, c?.published ?? 0, c?.publishedAt ?? null);
        }
      } catch (e) {
        throw writeError(e, w, i, id, this.file);
      }
    });
    // An empty store has nothing to delete.
    for (const { sql } of SECONDARY_INDEXES) this.db.exec(sql);
  }

  private applyWrite(w: StoreWrite, at: string, deletedDrift: boolean, variantChanges: Map<string, VariantChange>): void {
    const s = this.s;
    switch (w.op) {
      case 'put': {
        const o = w.object;
        const key = objectKey(o);
        s.upsertObject.run(key, o.kind, o.kind === 'language' ? null : (o.guid ?? null), o.codeName, contentTypeOf(o), w.path, w.sourceHash, JSON.stringify(o));
        if (deletedDrift) s.clearDeletedDrift.run(key);
        this.writeVariants(o, at, variantChanges);
        this.writeRefs(key, o, true);
        return;
      }
      case 'delete':
        // Mark first, so the delete trigger knows this deletion is Ferry's own, not drift.
        s.markDeleting.run(w.key);
        s.deleteObject.run(w.key);
        s.deleteRefsFrom.run(w.key);
        if (deletedDrift) s.clearDeletedDrift.run(w.key);
        return;
      default: {
        const never: never = w;
        throw new FerryError('FERRY_E_INTERNAL', `Unknown store write ${JSON.stringify(never)}`);
      }
    }
  }

  /** The object's rows in object_refs (see contentReferenceKeys); `replace` drops its old ones first. */
  private writeRefs(key: string, o: FerryObject, replace: boolean): void {
    if (o.kind !== 'contentItem' && o.kind !== 'page') return;
    if (replace) this.s.deleteRefsFrom.run(key);
    for (const to of contentReferenceKeys(o)) this.s.insertRef.run(to, key);
  }

  /**
   * Rewrites the variant rows of an object (none for kinds without variants). Rows of languages
   * still present are updated in place, keeping what the Sync API tracks per variant (created_at,
   * change_seq, version, published_at).
   */
  private writeVariants(o: FerryObject, at: string, variantChanges?: Map<string, VariantChange>): void {
    const rows = variantRowsOf(o);
    this.s.deleteOtherVariants.run(objectKey(o), JSON.stringify(rows.map((v) => v.locale)));
    for (const v of rows) {
      const c = variantChanges?.get(`${v.key}\u0000${v.locale}`);
      if (c) c.applied = true;
      const params = {
        key: v.key,
        locale: v.locale,
        kind: v.kind,
        status: v.status,
        contentType: v.contentType,
        displayName: v.displayName,
        slug: v.slug ?? null,
        data: JSON.stringify(v.fields),
        at,
        seq: c ? c.seq : null,
        published: c ? c.published : 0,
        publishedAt: c ? c.publishedAt : null,
      };
      // Most writes keep a variant's kind, status and content type: then an UPDATE that leaves
      // the indexed columns out of its SET does not rewrite the sync indexes (an upsert setting
      // them rewrote both index entries even for equal values: ~3x the pages written).
      if (this.s.updateVariantContent.run(params).changes === 0) this.s.upsertVariant.run(params);
    }
  }

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

  /** One attempt: undefined when the lock is now ours, else who holds it ('busy': the database was). */
  private tryLock(holder: LockHolder, token: string): LockHolder | 'busy' | undefined {
    try {
      return this.db
        .transaction((): LockHolder | undefined => {
          const row = this.s.getLock.get(DEPLOY_LOCK) as { holder: string } | undefined;
          if (row) {
            const current = parseLockHolder(row.holder);
            const stale = current.host === hostname() && !isProcessAlive(current.pid);
            if (!stale) return current;
          }
          this.s.putLock.run(DEPLOY_LOCK, JSON.stringify(holder), token, this.now().toISOString());
          return undefined;
        })
        .immediate();
    } catch (e) {
      if ((e as { code?: string }).code?.startsWith('SQLITE_BUSY')) return 'busy';
      throw e;
    }
  }

  private releaseLock(token: string): void {
    this.heldLocks.delete(token);
    if (this.closed) return;
    this.guard('release the deployment lock', () => this.s.releaseLock.run(DEPLOY_LOCK, token));
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

  private variantQuery(q: VariantQuery, count: boolean): Database.Statement {
    const cacheKey = `${count ? 'count' : 'rows'}:${q.contentType !== undefined}:${q.locale !== undefined}`;
    let st = this.variantQueries.get(cacheKey);
    if (!st) {
      // One statement per filter combination, so each can use the (content_type, locale, status, key) index.
      const where = ["status = 'published'"];
      if (q.contentType !== undefined) where.push('content_type = ?');
      if (q.locale !== undefined) where.push('locale = ?');
      st = this.db.prepare(
        count
          ? `SELECT count(*) FROM variants WHERE ${where.join(' AND ')}`
          : `SELECT key, kind, locale, content_type, display_name, slug, data, updated_at FROM variants WHERE ${where.join(' AND ')}
             ORDER BY content_type, locale, key LIMIT ? OFFSET ?`,
      );
      this.variantQueries.set(cacheKey, st);
    }
    return st;
  }

  private guard<T>(what: string, fn: () => T): T {
    return guardStore(this.file, what, fn);
  }
}

/** A variant's change-log events of one deployment, summed up; `applied` once its row took them. */
interface VariantChange {
  seq: number;
  published: number;
  publishedAt: string | null;
  applied: boolean;
}

/** Puts from which the first deployment into an empty store takes the bulk path (see bulkLoad). */
const BULK_MIN_WRITES = 5000;

/**
 * The secondary indexes bulkLoad drops and builds again, as the migrations define them (a test
 * compares them with sqlite_master of a freshly migrated store). Not `change_log_key`: every later
 * deployment inserts into it at random keys, and an index built by sorting has full pages, so
 * each of those inserts split a page. Built that way, it made the WAL of the next 1% deploy at
 * 100k 34% larger (26.1 MB vs 19.5 MB) and the deploy ~40 ms slower; kept in place, it fills as
 * the general path fills it.
 */
export const SECONDARY_INDEXES: readonly { name: string; sql: string }[] = [
  { name: 'objects_kind_code_name', sql: 'CREATE INDEX objects_kind_code_name ON objects (kind, code_name, key, content_type, path, source_hash, drift)' },
  { name: 'variants_sync', sql: 'CREATE INDEX variants_sync ON variants (status, content_type, locale, key)' },
  { name: 'variants_sync_locale', sql: 'CREATE INDEX variants_sync_locale ON variants (status, locale, content_type, key)' },
];

function prepareStatements(db: Database.Database) {
  const p = (sql: string) => db.prepare(sql);
  return {
    index: p(`SELECT ${INFO_COLUMNS} FROM objects`).raw(),
    // CROSS JOIN keeps json_each outside: one probe of the (kind, code_name) index per pair.
    infoByCodeNames: p(`SELECT ${INFO_COLUMNS.split(', ').map((c) => `o.${c}`).join(', ')} FROM json_each(?) j
      CROSS JOIN objects o ON o.kind = json_extract(j.value, '$[0]') AND o.code_name = json_extract(j.value, '$[1]')`).raw(),
    infoByKeys: p(`SELECT ${INFO_COLUMNS} FROM objects WHERE key IN (SELECT value FROM json_each(?))`).raw(),
    infoOfReferrers: p(
      `SELECT ${INFO_COLUMNS} FROM objects WHERE key IN (SELECT from_key FROM object_refs WHERE to_key IN (SELECT value FROM json_each(?))) ORDER BY key`,
    ).raw(),
    deleteRefsFrom: p('DELETE FROM object_refs WHERE from_key = ?'),
    insertRef: p('INSERT OR IGNORE INTO object_refs (to_key, from_key) VALUES (?, ?)'),
    objectsByKeys: p(`SELECT ${INFO_COLUMNS}, data FROM objects WHERE key IN (SELECT value FROM json_each(?))`).raw(),
    allObjects: p(`SELECT ${INFO_COLUMNS}, data FROM objects ORDER BY ${KIND_ORDER_SQL}, key`).raw(),
    objectsOfKinds: p(`SELECT ${INFO_COLUMNS}, data FROM objects WHERE kind IN (SELECT value FROM json_each(?)) ORDER BY ${KIND_ORDER_SQL}, key`).raw(),
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
    driftOf: p(`SELECT ${INFO_COLUMNS} FROM objects WHERE drift = ?`).raw(),
    driftDeleted: p('SELECT key, kind, code_name, content_type, path, source_hash, NULL FROM drift_deleted').raw(),
    anyDeletedDrift: p('SELECT EXISTS (SELECT 1 FROM drift_deleted)'),
    hasDrift: p('SELECT EXISTS (SELECT 1 FROM objects WHERE drift IS NOT NULL) OR EXISTS (SELECT 1 FROM drift_deleted)'),
    insertBlob: p('INSERT OR IGNORE INTO blobs (sha256, size, created_at) VALUES (?, ?, ?)'),
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
}

/** Items and pages name their content type; other kinds have none. */
function contentTypeOf(o: FerryObject): string | null {
  return o.kind === 'contentItem' || o.kind === 'page' ? (o.contentType ?? null) : null;
}

function compareInfo(a: StoredObjectInfo, b: StoredObjectInfo): number {
  return (KIND_ORDER[a.kind] ?? 99) - (KIND_ORDER[b.kind] ?? 99) || compareCodePoints(a.key, b.key);
}

function variantParams(q: VariantQuery): string[] {
  const params: string[] = [];
  if (q.contentType !== undefined) params.push(q.contentType);
  if (q.locale !== undefined) params.push(q.locale);
  return params;
}

function writeError(e: unknown, w: StoreWrite, i: number, id: number, file: string): FerryError {
  if (e instanceof FerryError) return e;
  const o = w.op === 'put' ? (w.object as Partial<FerryObject> | undefined) : undefined;
  const what = w.op === 'put' ? `put ${String(o?.kind)} ${String(o?.codeName)}` : `delete ${w.kind} ${w.key}`;
  return new FerryError('FERRY_E_STORE', `Deployment #${id}: write ${i + 1} (${what}) failed in ${file}: ${messageOf(e)}. Nothing was applied.`, {
    object: w.op === 'put' ? { kind: String(o?.kind), guid: (o as { guid?: string } | undefined)?.guid, codeName: o?.codeName } : { kind: w.kind },
    data: { path: file, deploymentId: id, writeIndex: i },
    cause: e,
  });
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
