import pg from 'pg';
import { FerryError } from '../../errors/index.js';
import { redactUrl } from '../redact-url.js';
import { parseSize } from '../../config/size.js';

/**
 * A `postgres://` store URL: libpq's own parameters (host, port, user, password, database,
 * `sslmode`, `application_name`, …) go to the driver; Ferry's are read and removed:
 *
 * - `pool_max` — connections per process (default 10)
 * - `blob_inline_max` — blobs up to this size live in the database (`bytea`; default 1MB, `0`: none)
 * - `blob_dir` — folder for larger blobs (default `.ferry/blobs/<database>` under the repository);
 *   every replica must see the same folder (a shared volume)
 * - `lock_poll_ms` — how often a waiting deployment looks at the lock again (default 200)
 */
export interface PgStoreUrl {
  /** What the driver receives (Ferry's parameters removed). */
  connectionString: string;
  /** The URL with its password hidden, for messages. */
  shown: string;
  database: string;
  poolMax: number;
  blobInlineMax: number;
  blobDir?: string;
  lockPollMs: number;
}

const FERRY_PARAMS = ['pool_max', 'blob_inline_max', 'blob_dir', 'lock_poll_ms'] as const;
export const DEFAULT_POOL_MAX = 10;
export const DEFAULT_BLOB_INLINE_MAX = 1024 * 1024;

export function parsePgStoreUrl(url: string): PgStoreUrl {
  const shown = redactUrl(url);
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new FerryError('FERRY_E_STORE_URL', `Store URL ${JSON.stringify(shown)} is not a valid URL: use postgres://USER:PASSWORD@HOST:PORT/DATABASE.`, { data: { url: shown } });
  }
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!database) {
    throw new FerryError('FERRY_E_STORE_URL', `Store URL ${JSON.stringify(shown)} names no database: use postgres://USER@HOST:PORT/DATABASE (one database per environment).`, { data: { url: shown } });
  }
  const int = (name: string, fallback: number, min: number): number => {
    const raw = u.searchParams.get(name);
    if (raw === null || raw === '') return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min) {
      throw new FerryError('FERRY_E_STORE_URL', `Store URL parameter ${name}=${raw} must be a whole number of at least ${min} (in ${shown}).`, { data: { url: shown, parameter: name } });
    }
    return Number(raw);
  };
  const poolMax = int('pool_max', DEFAULT_POOL_MAX, 1);
  const lockPollMs = int('lock_poll_ms', 200, 1);
  const inlineRaw = u.searchParams.get('blob_inline_max');
  let blobInlineMax = DEFAULT_BLOB_INLINE_MAX;
  if (inlineRaw !== null && inlineRaw !== '') {
    let parsed: number | undefined;
    try {
      parsed = parseSize(inlineRaw);
    } catch {
      parsed = undefined;
    }
    if (parsed === undefined) {
      throw new FerryError('FERRY_E_STORE_URL', `Store URL parameter blob_inline_max=${inlineRaw} is not a size (e.g. 512KB, 4MB, 0) in ${shown}.`, { data: { url: shown, parameter: 'blob_inline_max' } });
    }
    blobInlineMax = parsed;
  }
  const blobDir = u.searchParams.get('blob_dir') || undefined;
  for (const p of FERRY_PARAMS) u.searchParams.delete(p);
  return { connectionString: u.toString(), shown: redactUrl(u.toString()), database, poolMax, blobInlineMax, blobDir, lockPollMs };
}

/** bigint (count, bigserial) as a JS number: Ferry's ids and seqs stay far below 2^53. */
const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

export function createPool(u: PgStoreUrl, applicationName: string): pg.Pool {
  const pool = new pg.Pool({
    connectionString: u.connectionString,
    max: u.poolMax,
    types: TYPES,
    application_name: applicationName,
    // A dead server or network shows up as an error within seconds, not a hang.
    connectionTimeoutMillis: 10_000,
    keepAlive: true,
    idleTimeoutMillis: 30_000,
  });
  // An idle connection the server dropped (restart, failover) must not crash the process: the
  // pool discards it and the next query opens a new one.
  pool.on('error', () => undefined);
  return pool;
}

/** Whether a driver error means the connection itself is gone (vs. a failed statement). */
export function isConnectionLost(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  if (err.code && /^(08|57P0[123])/.test(err.code)) return true;
  if (err.code === 'ECONNRESET' || err.code === 'ECONNREFUSED' || err.code === 'EPIPE' || err.code === 'ETIMEDOUT') return true;
  return /Connection terminated|connection (?:is )?closed|Client has encountered a connection error|terminating connection/i.test(err.message ?? '');
}

export function messageOf(e: unknown): string {
  if (e instanceof AggregateError && e.errors.length > 0) return e.errors.map(messageOf).join('; ');
  const err = e as { message?: string; code?: string };
  const msg = err.message || String(e);
  return err.code && !/^[0-9A-Z]{5}$/.test(err.code) && !msg.includes(err.code) ? `${msg} (${err.code})` : msg;
}
