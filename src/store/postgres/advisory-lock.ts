import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { FerryError } from '../../errors/index.js';
import type { LockHolder } from '../../model/index.js';
import { describeLockHolder, parseLockHolder } from '../lock-holder.js';
import { isProcessAlive } from '../process-alive.js';
import { isConnectionLost, messageOf } from './connection.js';
import { ADVISORY_CLASS, ADVISORY_DEPLOY } from './migrations.js';

const DEPLOY_LOCK = 'deploy';

/**
 * The environment's deployment lock across machines: a session-level advisory lock, held on a
 * connection of its own for as long as the deployment runs. PostgreSQL releases it when that
 * connection ends, so a deployer that crashed or lost its network frees it without any stale-pid
 * logic. The `locks` row only says who holds it (for the message a waiting deployer prints); a
 * row whose session no longer holds the lock is ignored.
 *
 * One refinement keeps the SQLite store's behaviour: a holder recorded on THIS host whose process
 * is dead, but whose session still holds the lock (a half-open connection the server has not
 * noticed yet), is ended with pg_terminate_backend and the lock taken over.
 */
export class AdvisoryLock {
  private readonly held = new Map<string, pg.PoolClient>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly o: { shown: string; pollMs: number; now: () => Date },
  ) {}

  async acquire(holder: LockHolder, timeoutMs: number): Promise<() => Promise<void>> {
    const deadline = performance.now() + Math.max(0, timeoutMs);
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      throw this.storeError('connect to take the deployment lock', e);
    }
    let tookOver = false;
    try {
      for (;;) {
        const got = (await client.query('SELECT pg_try_advisory_lock($1, $2) AS got', [ADVISORY_CLASS, ADVISORY_DEPLOY])).rows[0].got === true;
        if (got) {
          const token = randomBytes(16).toString('hex');
          await client.query(
            `INSERT INTO locks (name, holder, token, backend_pid, acquired_at) VALUES ($1, $2, $3, pg_backend_pid(), $4)
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, token = excluded.token, backend_pid = excluded.backend_pid, acquired_at = excluded.acquired_at`,
            [DEPLOY_LOCK, JSON.stringify(holder), token, this.o.now().toISOString()],
          );
          // A held session that breaks (server restart, terminated) must not crash the process;
          // the lock is gone with it, which the next deployer sees.
          client.on('error', () => undefined);
          this.held.set(token, client);
          return async () => this.release(token);
        }
        const current = await this.currentHolder(client);
        if (current && !tookOver && current.holder.host === hostname() && !isProcessAlive(current.holder.pid)) {
          // The holder died on this machine; its session lingers. End it and look again.
          tookOver = true;
          await client.query('SELECT pg_terminate_backend($1)', [current.backendPid]).catch(() => undefined);
          await sleep(20);
          continue;
        }
        const left = deadline - performance.now();
        if (left <= 0) {
          const who = current ? describeLockHolder(current.holder) : 'another session (no holder recorded)';
          throw new FerryError('FERRY_E_LOCK', `The environment store ${this.o.shown} is locked by ${who}; gave up after ${timeoutMs} ms.`, {
            data: { url: this.o.shown, timeoutMs, ...(current ? { holder: current.holder } : {}) },
          });
        }
        await sleep(Math.min(this.o.pollMs, left));
        tookOver = false;
      }
    } catch (e) {
      client.release(isConnectionLost(e));
      if (e instanceof FerryError) throw e;
      throw this.storeError('take the deployment lock', e);
    }
  }

  /** Releases every lock this store holds (on close). */
  async releaseAll(): Promise<void> {
    for (const token of [...this.held.keys()]) await this.release(token);
  }

  private async release(token: string): Promise<void> {
    const client = this.held.get(token);
    if (!client) return;
    this.held.delete(token);
    let broken = false;
    try {
      await client.query('DELETE FROM locks WHERE name = $1 AND token = $2', [DEPLOY_LOCK, token]);
      await client.query('SELECT pg_advisory_unlock($1, $2)', [ADVISORY_CLASS, ADVISORY_DEPLOY]);
    } catch {
      // The session is gone (terminated, network): PostgreSQL released the lock with it. The
      // connection is not reused either way.
      broken = true;
    } finally {
      client.release(broken);
    }
  }

  /** The recorded holder, if its session still holds the advisory lock. */
  private async currentHolder(client: pg.PoolClient): Promise<{ holder: LockHolder; backendPid: number } | undefined> {
    const r = await client.query<{ holder: string; backend_pid: number }>(
      `SELECT l.holder, l.backend_pid FROM locks l WHERE l.name = $1 AND EXISTS (
         SELECT 1 FROM pg_locks p WHERE p.locktype = 'advisory' AND p.granted AND p.pid = l.backend_pid
           AND p.classid = $2 AND p.objid = $3 AND p.objsubid = 2
           AND p.database = (SELECT oid FROM pg_database WHERE datname = current_database()))`,
      [DEPLOY_LOCK, ADVISORY_CLASS, ADVISORY_DEPLOY],
    );
    const row = r.rows[0];
    return row ? { holder: parseLockHolder(row.holder), backendPid: row.backend_pid } : undefined;
  }

  private storeError(what: string, e: unknown): FerryError {
    return new FerryError('FERRY_E_STORE', `Could not ${what} in ${this.o.shown}: ${messageOf(e)}`, { data: { url: this.o.shown }, cause: e });
  }
}
