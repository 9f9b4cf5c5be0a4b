import type pg from 'pg';
import { FerryError } from '../../errors/index.js';
import { isConnectionLost, messageOf } from './connection.js';

/** Something that runs queries: the pool, or one client inside a transaction. */
export type Queryable = Pick<pg.PoolClient, 'query'>;

/** Runs `fn` in one transaction on one pooled client; rolls back on any error. */
export async function withTransaction<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  const c = await pool.connect();
  let broken = false;
  try {
    await c.query(begin);
    const out = await fn(c);
    await c.query('COMMIT');
    return out;
  } catch (e) {
    broken = isConnectionLost(e);
    if (!broken) await c.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    c.release(broken);
  }
}

/** Driver errors become FERRY_E_STORE naming the database and what was being done; Ferry's own pass. */
export async function guardPg<T>(shown: string, what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof FerryError) throw e;
    const lost = isConnectionLost(e);
    throw new FerryError('FERRY_E_STORE', `Could not ${what} in ${shown}: ${messageOf(e)}${lost ? ' (connection to the database lost)' : ''}`, {
      data: { url: shown, ...(lost ? { connectionLost: true } : {}) },
      cause: e,
    });
  }
}
