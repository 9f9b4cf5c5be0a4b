import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { FerryError } from '../../errors/index.js';
import type { DeploymentCounts, DeploymentRecord } from '../../model/index.js';
import type { SyncTask, TaskStatus, WireError } from '../protocol.js';
import type { InstanceState, NewTask } from './instance-state.js';
import { MemoryLeaseRecords } from './lease-records.js';

interface TaskRow {
  id: number;
  status: TaskStatus;
  deployment_id: number;
  received_at: string;
  started_at: string | null;
  finished_at: string | null;
  counts: string;
  writes: number;
  events: number;
  bytes: number;
  error: string | null;
  deployment: string | null;
  package_key: string | null;
}

const TASK_COLUMNS = 'id, status, deployment_id, received_at, started_at, finished_at, counts, writes, events, bytes, error, deployment, package_key';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- AUTOINCREMENT: ids never come back after a cleanup, so id order is arrival order for good.
CREATE TABLE IF NOT EXISTS tasks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  status TEXT NOT NULL CHECK (status IN ('Queued', 'Restoring', 'Completed', 'Failed')),
  deployment_id INTEGER NOT NULL,
  received_at TEXT NOT NULL,
  started_at TEXT,
  finished_at TEXT,
  counts TEXT NOT NULL,
  writes INTEGER NOT NULL,
  events INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  error TEXT,
  deployment TEXT,
  -- The package body; dropped once the task has finished.
  package BLOB
);
CREATE INDEX IF NOT EXISTS tasks_status ON tasks (status, id);
CREATE INDEX IF NOT EXISTS tasks_finished ON tasks (finished_at);
-- Signed-request nonces until their timestamp leaves the accepted window, so a request signed
-- before a restart cannot be replayed after it.
CREATE TABLE IF NOT EXISTS nonces (nonce TEXT PRIMARY KEY, expires_at INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS nonces_expires ON nonces (expires_at);
`;

/**
 * Durable synchronization tasks and request nonces (the InstanceState port), in their own SQLite
 * file beside a SQLite store, for one instance process. A package is written here (fsync'd)
 * before the client hears "accepted", so an accepted package is never lost; the store's own
 * transaction decides whether it was applied.
 */
export class TaskDb implements InstanceState {
  private readonly db: Database.Database;
  private readonly s: ReturnType<typeof prepare>;
  private nextNoncePruneAt = 0;

  constructor(
    readonly file: string,
    owner: { environment: string },
    private readonly nonceCapacity = 200_000,
  ) {
    try {
      mkdirSync(dirname(file), { recursive: true });
      this.db = new Database(file);
      this.db.pragma('journal_mode = WAL');
      // FULL: an accepted package survives a power cut, not only a killed process.
      this.db.pragma('synchronous = FULL');
      this.db.pragma('busy_timeout = 5000');
      this.db.exec(SCHEMA);
      addPackageKey(this.db);
    } catch (e) {
      throw new FerryError('FERRY_E_STORE', `Cannot open the task database ${file}: ${(e as Error).message}`, { data: { path: file }, cause: e });
    }
    const known = (this.db.prepare("SELECT value FROM meta WHERE key = 'environment'").pluck().get() as string | undefined) ?? undefined;
    if (known === undefined) this.db.prepare("INSERT INTO meta (key, value) VALUES ('environment', ?)").run(owner.environment);
    else if (known !== owner.environment) {
      this.db.close();
      throw new FerryError('FERRY_E_CONFLICT', `The task database ${file} belongs to environment ${known}, not ${owner.environment}.`, {
        data: { path: file, environment: known },
        hint: 'Give each served environment its own task database (--tasks-db).',
      });
    }
    this.s = prepare(this.db);
  }

  readonly shared = false;
  /** One process serves a SQLite store: the lease lives in its memory (a restart ends it, with the store lock). */
  readonly leases = new MemoryLeaseRecords();

  get location(): string {
    return this.file;
  }

  async insert(t: NewTask): Promise<SyncTask> {
    return this.db
      .transaction(() => {
        const known = t.packageKey === undefined ? undefined : this.byPackageKeyNow(t.packageKey);
        if (known) return known;
        const id = Number(this.s.insert.run(t.deploymentId, t.receivedAt, JSON.stringify(t.counts), t.writes, t.events, t.body.byteLength, t.body, t.packageKey ?? null).lastInsertRowid);
        return this.getNow(id) as SyncTask;
      })
      .immediate();
  }

  /** The task of the package with this idempotency key (kept as long as the task is). */
  async byPackageKey(key: string): Promise<SyncTask | undefined> {
    return this.byPackageKeyNow(key);
  }

  async get(id: number): Promise<SyncTask | undefined> {
    return this.getNow(id);
  }

  async list(limit: number): Promise<SyncTask[]> {
    return (this.s.list.all(limit) as TaskRow[]).map(taskFromRow);
  }

  /** The oldest queued task, unless an older one is still restoring (one process: no race). */
  async claimNext(at: string): Promise<SyncTask | undefined> {
    return this.db
      .transaction(() => {
        const r = this.s.nextUnfinished.get() as TaskRow | undefined;
        if (!r || r.status !== 'Queued') return undefined;
        this.s.restoring.run(at, r.id);
        return this.getNow(r.id);
      })
      .immediate();
  }

  async packageOf(id: number): Promise<Buffer | undefined> {
    return (this.s.packageOf.pluck().get(id) as Buffer | null | undefined) ?? undefined;
  }

  /** One process per file: at start, everything unfinished was left by the previous run. */
  async orphaned(): Promise<SyncTask[]> {
    return (this.s.unfinished.all() as TaskRow[]).map(taskFromRow);
  }

  async ownUnfinished(): Promise<SyncTask[]> {
    return (this.s.unfinished.all() as TaskRow[]).map(taskFromRow);
  }

  async hasPendingFor(deploymentId: number): Promise<boolean> {
    return this.s.pendingFor.get(deploymentId) !== undefined;
  }

  async markCompleted(id: number, deployment: DeploymentRecord, at: string): Promise<void> {
    this.s.finish.run('Completed', at, null, JSON.stringify(deployment), id);
  }

  async markFailed(id: number, error: WireError, at: string): Promise<void> {
    this.s.finish.run('Failed', at, JSON.stringify(error), null, id);
  }

  async cleanup(before: string): Promise<number> {
    return this.s.cleanup.run(before).changes;
  }

  /**
   * Bounded: when full of unexpired nonces it refuses new ones instead of forgetting live ones
   * (forgetting would re-open the replay window). Expired ones are pruned now and then.
   */
  async rememberNonce(nonce: string, expiresAt: number, now: number): Promise<'ok' | 'replayed' | 'full'> {
    return this.db
      .transaction((): 'ok' | 'replayed' | 'full' => {
        if (now >= this.nextNoncePruneAt) {
          this.nextNoncePruneAt = now + 10_000;
          this.s.pruneNonces.run(now);
        }
        const known = this.s.nonce.pluck().get(nonce) as number | undefined;
        if (known !== undefined && known > now) return 'replayed';
        if (known === undefined && (this.s.countNonces.pluck().get() as number) >= this.nonceCapacity) {
          this.s.pruneNonces.run(now);
          if ((this.s.countNonces.pluck().get() as number) >= this.nonceCapacity) return 'full';
        }
        this.s.putNonce.run(nonce, expiresAt);
        return 'ok';
      })
      .immediate();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private byPackageKeyNow(key: string): SyncTask | undefined {
    const r = this.s.byPackageKey.get(key) as TaskRow | undefined;
    return r && taskFromRow(r);
  }

  private getNow(id: number): SyncTask | undefined {
    const r = this.s.get.get(id) as TaskRow | undefined;
    return r && taskFromRow(r);
  }
}

function prepare(db: Database.Database) {
  return {
    insert: db.prepare(`INSERT INTO tasks (status, deployment_id, received_at, counts, writes, events, bytes, package, package_key)
      VALUES ('Queued', ?, ?, ?, ?, ?, ?, ?, ?)`),
    byPackageKey: db.prepare(`SELECT ${TASK_COLUMNS} FROM tasks WHERE package_key = ?`),
    get: db.prepare(`SELECT ${TASK_COLUMNS} FROM tasks WHERE id = ?`),
    list: db.prepare(`SELECT ${TASK_COLUMNS} FROM tasks ORDER BY id DESC LIMIT ?`),
    nextUnfinished: db.prepare(`SELECT ${TASK_COLUMNS} FROM tasks WHERE status IN ('Queued', 'Restoring') ORDER BY id LIMIT 1`),
    unfinished: db.prepare(`SELECT ${TASK_COLUMNS} FROM tasks WHERE status IN ('Queued', 'Restoring') ORDER BY id`),
    pendingFor: db.prepare("SELECT 1 FROM tasks WHERE deployment_id = ? AND status IN ('Queued', 'Restoring') LIMIT 1"),
    packageOf: db.prepare('SELECT package FROM tasks WHERE id = ?'),
    restoring: db.prepare("UPDATE tasks SET status = 'Restoring', started_at = ? WHERE id = ? AND status = 'Queued'"),
    finish: db.prepare(`UPDATE tasks SET status = ?, finished_at = ?, error = ?, deployment = ?, package = NULL
      WHERE id = ? AND status IN ('Queued', 'Restoring')`),
    cleanup: db.prepare("DELETE FROM tasks WHERE status IN ('Completed', 'Failed') AND finished_at < ?"),
    nonce: db.prepare('SELECT expires_at FROM nonces WHERE nonce = ?'),
    putNonce: db.prepare('INSERT OR REPLACE INTO nonces (nonce, expires_at) VALUES (?, ?)'),
    pruneNonces: db.prepare('DELETE FROM nonces WHERE expires_at <= ?'),
    countNonces: db.prepare('SELECT count(*) FROM nonces'),
  };
}

/** Task databases written before idempotency keys get the column (and its unique index). */
function addPackageKey(db: Database.Database): void {
  const columns = db.prepare("SELECT name FROM pragma_table_info('tasks')").pluck().all() as string[];
  if (!columns.includes('package_key')) db.exec('ALTER TABLE tasks ADD COLUMN package_key TEXT');
  db.exec('CREATE UNIQUE INDEX IF NOT EXISTS tasks_package_key ON tasks (package_key) WHERE package_key IS NOT NULL');
}

function taskFromRow(r: TaskRow): SyncTask {
  const t: SyncTask = {
    id: r.id,
    status: r.status,
    deploymentId: r.deployment_id,
    receivedAt: r.received_at,
    counts: JSON.parse(r.counts) as DeploymentCounts,
    writes: r.writes,
    events: r.events,
    bytes: r.bytes,
  };
  if (r.package_key !== null) t.packageKey = r.package_key;
  if (r.started_at !== null) t.startedAt = r.started_at;
  if (r.finished_at !== null) t.finishedAt = r.finished_at;
  if (r.error !== null) t.error = JSON.parse(r.error) as WireError;
  if (r.deployment !== null) t.deployment = JSON.parse(r.deployment) as DeploymentRecord;
  return t;
}
