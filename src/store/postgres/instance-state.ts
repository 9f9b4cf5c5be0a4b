import { hostname } from 'node:os';
import type pg from 'pg';
import { FerryError } from '../../errors/index.js';
import type { DeploymentCounts, DeploymentRecord, LockHolder } from '../../model/index.js';
import { parseLockHolder } from '../lock-holder.js';
import { guardPg } from './transaction.js';
import { ADVISORY_CLASS } from './migrations.js';

/**
 * `ferry serve`'s state in the PostgreSQL store's database (migration 2), shared by every replica
 * of the environment: it implements the transport layer's InstanceState port
 * (src/transport/server/instance-state.ts; the shapes are repeated here so the store does not
 * import the transport layer).
 *
 * Ownership of a task: the replica that accepted a package holds a session advisory lock on the
 * task's id (class ADVISORY_TASK) on a connection of its own, from the insert until the task
 * finishes. Only the owner restores it (claimed with FOR UPDATE SKIP LOCKED, oldest first, never
 * while an older task is unfinished, so packages apply in arrival order). When a replica dies its
 * connection goes and its locks with it: any other replica then finds those tasks orphaned and
 * settles them, as a restarted single instance settles its own.
 */
export const ADVISORY_TASK = ADVISORY_CLASS + 1;

type TaskStatus = 'Queued' | 'Restoring' | 'Completed' | 'Failed';
interface WireError {
  code: string;
  message: string;
  hint?: string;
  [k: string]: unknown;
}
interface SyncTask {
  id: number;
  status: TaskStatus;
  deploymentId: number;
  receivedAt: string;
  startedAt?: string;
  finishedAt?: string;
  counts: DeploymentCounts;
  writes: number;
  events: number;
  bytes: number;
  error?: WireError;
  deployment?: DeploymentRecord;
  packageKey?: string;
}

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
const NONCE_PRUNE_MS = 10_000;
const MIN_SERVE_POOL = 3;

/** A lease as lease-lock.ts records it (shape repeated, see above). */
interface LeaseRecord {
  token: string;
  holder: LockHolder;
  expiresAt: number;
  deployments: number[];
}

/** The environment's deployment lease in `sync_leases`: one row, read and renewed through any replica. */
class PgLeaseRecords {
  constructor(
    private readonly pool: pg.Pool,
    private readonly environment: string,
    private readonly shown: string,
  ) {}

  async get(): Promise<LeaseRecord | undefined> {
    return guardPg(this.shown, 'read the deployment lease', async () => {
      const r = await this.pool.query<{ token: string; holder: string; expires_at: number; deployments: string }>(
        'SELECT token, holder, expires_at, deployments FROM sync_leases WHERE environment = $1',
        [this.environment],
      );
      const row = r.rows[0];
      return row && { token: row.token, holder: parseLockHolder(row.holder), expiresAt: Number(row.expires_at), deployments: JSON.parse(row.deployments) as number[] };
    });
  }

  async put(l: LeaseRecord): Promise<void> {
    await guardPg(this.shown, 'record the deployment lease', () =>
      this.pool.query(
        `INSERT INTO sync_leases (environment, token, holder, expires_at, deployments) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (environment) DO UPDATE SET token = excluded.token, holder = excluded.holder, expires_at = excluded.expires_at, deployments = excluded.deployments`,
        [this.environment, l.token, JSON.stringify(l.holder), l.expiresAt, JSON.stringify(l.deployments)],
      ),
    );
  }

  async extend(token: string, expiresAt: number): Promise<boolean> {
    return guardPg(this.shown, 'renew the deployment lease', async () => {
      const r = await this.pool.query('UPDATE sync_leases SET expires_at = $3 WHERE environment = $1 AND token = $2', [this.environment, token, expiresAt]);
      return (r.rowCount ?? 0) > 0;
    });
  }

  async attach(token: string, deploymentId: number): Promise<void> {
    await guardPg(this.shown, 'record a deployment of the lease', () =>
      this.pool.query(
        `UPDATE sync_leases SET deployments = (SELECT coalesce(jsonb_agg(DISTINCT d ORDER BY d), '[]'::jsonb) FROM jsonb_array_elements(deployments::jsonb || to_jsonb($3::bigint)) AS d)::text
         WHERE environment = $1 AND token = $2`,
        [this.environment, token, deploymentId],
      ),
    );
  }

  async remove(token: string): Promise<boolean> {
    return guardPg(this.shown, 'end the deployment lease', async () => {
      const r = await this.pool.query('DELETE FROM sync_leases WHERE environment = $1 AND token = $2', [this.environment, token]);
      return (r.rowCount ?? 0) > 0;
    });
  }
}

export class PgInstanceState {
  readonly shared = true;
  readonly leases: PgLeaseRecords;
  private readonly mine = new Set<number>();
  private nextPruneAt = 0;
  private liveNonces = 0;
  private closed = false;

  private constructor(
    private readonly pool: pg.Pool,
    /** Holds this replica's task locks; never returned to the pool while the state is open. */
    private readonly owner: pg.PoolClient,
    private readonly environment: string,
    readonly location: string,
    private readonly nonceCapacity: number,
  ) {
    this.leases = new PgLeaseRecords(pool, environment, location);
  }

  static async open(pool: pg.Pool, environment: string, shown: string, opts: { nonceCapacity?: number } = {}): Promise<PgInstanceState> {
    // The owner session and a held deployment lock each keep a connection; requests need the rest.
    const max = pool.options.max ?? 10;
    if (max < MIN_SERVE_POOL) {
      throw new FerryError('FERRY_E_STORE_URL', `ferry serve needs at least ${MIN_SERVE_POOL} connections to ${shown} (pool_max=${max}): one holds its tasks, one a deployment lock, the others serve requests.`, {
        data: { url: shown, poolMax: max },
        hint: `Raise pool_max in the store URL (default 10).`,
      });
    }
    return guardPg(shown, 'open the instance state', async () => {
      const owner = await pool.connect();
      // A broken owner connection (server restart) must not crash the replica: its tasks become
      // orphans the others settle, and its own next write fails with FERRY_E_STORE.
      owner.on('error', () => undefined);
      return new PgInstanceState(pool, owner, environment, shown, opts.nonceCapacity ?? 200_000);
    });
  }

  async insert(t: { deploymentId: number; packageKey?: string; receivedAt: string; counts: DeploymentCounts; writes: number; events: number; body: Buffer }): Promise<SyncTask> {
    return this.run('store a package', async () => {
      // One transaction on the owner connection: other replicas see the row only once its lock is held.
      await this.owner.query('BEGIN');
      try {
        // One task per package key, across replicas (unique index): a key already known inserts nothing.
        const r = await this.owner.query<TaskRow>(
          `INSERT INTO sync_tasks (environment, status, deployment_id, received_at, counts, writes, events, bytes, claimed_by, package, package_key)
           VALUES ($1, 'Queued', $2, $3, $4, $5, $6, $7, $8, $9, $10)
           ON CONFLICT (environment, package_key) WHERE package_key IS NOT NULL DO NOTHING RETURNING ${TASK_COLUMNS}`,
          [this.environment, t.deploymentId, t.receivedAt, JSON.stringify(t.counts), t.writes, t.events, t.body.byteLength, `${hostname()}:${process.pid}`, t.body, t.packageKey ?? null],
        );
        if (!r.rows[0]) {
          await this.owner.query('COMMIT');
          const known = t.packageKey === undefined ? undefined : await this.byPackageKey(t.packageKey);
          if (!known) throw new FerryError('FERRY_E_STORE', `The task of package ${t.packageKey ?? '?'} vanished while it was received again; re-send the package.`);
          return known;
        }
        const id = r.rows[0].id;
        await this.owner.query('SELECT pg_advisory_lock($1, $2)', [ADVISORY_TASK, id]);
        await this.owner.query('COMMIT');
        this.mine.add(id);
        return taskFromRow(r.rows[0]);
      } catch (e) {
        await this.owner.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
    });
  }

  async byPackageKey(key: string): Promise<SyncTask | undefined> {
    return this.run('read a task', async () => {
      const r = await this.pool.query<TaskRow>(`SELECT ${TASK_COLUMNS} FROM sync_tasks WHERE environment = $1 AND package_key = $2`, [this.environment, key]);
      return r.rows[0] && taskFromRow(r.rows[0]);
    });
  }

  async get(id: number): Promise<SyncTask | undefined> {
    return this.run('read a task', async () => {
      const r = await this.pool.query<TaskRow>(`SELECT ${TASK_COLUMNS} FROM sync_tasks WHERE environment = $1 AND id = $2`, [this.environment, id]);
      return r.rows[0] && taskFromRow(r.rows[0]);
    });
  }

  async list(limit: number): Promise<SyncTask[]> {
    return this.run('list tasks', async () =>
      (await this.pool.query<TaskRow>(`SELECT ${TASK_COLUMNS} FROM sync_tasks WHERE environment = $1 ORDER BY id DESC LIMIT $2`, [this.environment, limit])).rows.map(taskFromRow),
    );
  }

  async claimNext(at: string): Promise<SyncTask | undefined> {
    if (this.mine.size === 0) return undefined;
    return this.run('claim a task', async () => {
      const c = await this.pool.connect();
      try {
        await c.query('BEGIN');
        const r = await c.query<TaskRow>(
          `UPDATE sync_tasks SET status = 'Restoring', started_at = $3 WHERE id = (
             SELECT t.id FROM sync_tasks t WHERE t.environment = $1 AND t.status = 'Queued' AND t.id = ANY($2::bigint[])
               AND NOT EXISTS (SELECT 1 FROM sync_tasks o WHERE o.environment = t.environment AND o.status IN ('Queued', 'Restoring') AND o.id < t.id)
             ORDER BY t.id LIMIT 1 FOR UPDATE SKIP LOCKED)
           RETURNING ${TASK_COLUMNS}`,
          [this.environment, [...this.mine], at],
        );
        await c.query('COMMIT');
        const row = r.rows[0];
        return row && taskFromRow(row);
      } catch (e) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        c.release();
      }
    });
  }

  async packageOf(id: number): Promise<Buffer | undefined> {
    return this.run('read a package', async () => {
      const r = await this.pool.query<{ package: Buffer | null }>('SELECT package FROM sync_tasks WHERE environment = $1 AND id = $2', [this.environment, id]);
      return r.rows[0]?.package ?? undefined;
    });
  }

  /** Unfinished tasks whose owner lock no session holds: their replica is gone. */
  async orphaned(): Promise<SyncTask[]> {
    return this.run('look for orphaned tasks', async () => {
      const r = await this.pool.query<TaskRow>(
        `SELECT ${TASK_COLUMNS} FROM sync_tasks t WHERE t.environment = $1 AND t.status IN ('Queued', 'Restoring') AND NOT (t.id = ANY($2::bigint[]))
           AND NOT EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $3 AND l.objid = t.id AND l.objsubid = 2
             AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()))
         ORDER BY t.id`,
        [this.environment, [...this.mine], ADVISORY_TASK],
      );
      return r.rows.map(taskFromRow);
    });
  }

  async ownUnfinished(): Promise<SyncTask[]> {
    if (this.mine.size === 0) return [];
    return this.run('list unfinished tasks', async () =>
      (
        await this.pool.query<TaskRow>(`SELECT ${TASK_COLUMNS} FROM sync_tasks WHERE environment = $1 AND status IN ('Queued', 'Restoring') AND id = ANY($2::bigint[]) ORDER BY id`, [
          this.environment,
          [...this.mine],
        ])
      ).rows.map(taskFromRow),
    );
  }

  async hasPendingFor(deploymentId: number): Promise<boolean> {
    return this.run('look for pending tasks', async () => {
      const r = await this.pool.query("SELECT 1 FROM sync_tasks WHERE environment = $1 AND deployment_id = $2 AND status IN ('Queued', 'Restoring') LIMIT 1", [this.environment, deploymentId]);
      return (r.rowCount ?? 0) > 0;
    });
  }

  async markCompleted(id: number, deployment: DeploymentRecord, at: string): Promise<void> {
    await this.finish(id, 'Completed', at, null, JSON.stringify(deployment));
  }

  async markFailed(id: number, error: WireError, at: string): Promise<void> {
    await this.finish(id, 'Failed', at, JSON.stringify(error), null);
  }

  async cleanup(before: string): Promise<number> {
    return this.run('clean up tasks', async () => {
      const r = await this.pool.query("DELETE FROM sync_tasks WHERE environment = $1 AND status IN ('Completed', 'Failed') AND finished_at < $2", [this.environment, before]);
      return r.rowCount ?? 0;
    });
  }

  /**
   * One statement: inserts the nonce, or takes over an expired row; a live row means a replay (by
   * any replica, before or after a restart). Bounded like the SQLite file's.
   */
  async rememberNonce(nonce: string, expiresAt: number, now: number): Promise<'ok' | 'replayed' | 'full'> {
    return this.run('check a request nonce', async () => {
      if (now >= this.nextPruneAt) {
        this.nextPruneAt = now + NONCE_PRUNE_MS;
        await this.pool.query('DELETE FROM sync_nonces WHERE expires_at <= $1', [now]);
        this.liveNonces = Number((await this.pool.query('SELECT count(*) AS n FROM sync_nonces')).rows[0].n);
      }
      if (this.liveNonces >= this.nonceCapacity) return 'full';
      const r = await this.pool.query(
        `INSERT INTO sync_nonces (nonce, expires_at) VALUES ($1, $2)
         ON CONFLICT (nonce) DO UPDATE SET expires_at = excluded.expires_at WHERE sync_nonces.expires_at <= $3 RETURNING nonce`,
        [nonce, expiresAt, now],
      );
      if ((r.rowCount ?? 0) === 0) return 'replayed';
      this.liveNonces += 1;
      return 'ok';
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Ending the owner session releases its task locks.
    this.owner.release(true);
  }

  private async finish(id: number, status: 'Completed' | 'Failed', at: string, error: string | null, deployment: string | null): Promise<void> {
    await this.run('record a finished task', async () => {
      await this.pool.query(
        `UPDATE sync_tasks SET status = $1, finished_at = $2, error = $3, deployment = $4, package = NULL
         WHERE environment = $5 AND id = $6 AND status IN ('Queued', 'Restoring')`,
        [status, at, error, deployment, this.environment, id],
      );
      if (this.mine.delete(id)) await this.owner.query('SELECT pg_advisory_unlock($1, $2)', [ADVISORY_TASK, id]);
    });
  }

  private run<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return guardPg(this.location, what, fn);
  }
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
