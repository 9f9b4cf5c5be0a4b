import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { FerryError } from '../../errors/index.js';
import type { LockHolder, Store } from '../../model/index.js';
import { redactUrl } from '../../store/open-store.js';
import { FORMAT_VERSION, VERSION } from '../../version.js';
import { isLoopbackHost } from '../loopback.js';
import { httpStatusOf, SYNC_PREFIX, toWireError } from '../protocol.js';
import { DEFAULT_CLOCK_SKEW_MS, splitTarget } from '../signing.js';
import { LeaseLock } from './lease-lock.js';
import { createServerMetrics } from './metrics.js';
import { createJsonLogger, redactQuery, type Logger } from './log.js';
import { asFerryError, sendError, sendJson } from './respond.js';
import { handleSync, type SyncContext, type SyncLimits } from './sync-routes.js';
import type { InstanceState } from './instance-state.js';
import { openInstanceState } from './open-instance-state.js';
import { ThreadTaskState } from './thread-task-state.js';
import { TaskWorker } from './task-worker.js';
import { RestoreThread, type StoreLocation } from './restore-thread.js';

/** Serves `/v3/*` (the delivery and Sync API); resolves false when it did not handle the request. */
export type DeliveryHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export interface InstanceServerOptions {
  environment: string;
  /** The environment's LOCAL store; the caller opens and closes it. */
  store: Store;
  /** Shared sync secret (at least 32 characters, checked by the caller with readSyncSecret). */
  secret: string;
  /**
   * SQLite file for synchronization tasks and nonces, for stores that do not keep them (SQLite).
   * A PostgreSQL store keeps them in its database, shared by every replica; this is then unused.
   */
  tasksFile?: string;
  /** Default 127.0.0.1. Any other host than loopback needs `tls`. */
  host?: string;
  /** Default 0: any free port (read it from the result or the first log line). */
  port?: number;
  tls?: { cert: string | Buffer; key: string | Buffer };
  limits?: Partial<SyncLimits>;
  /** Finished tasks are deleted after this long. Default 24 h. */
  taskRetentionMs?: number;
  /** A deployment lock lapses when not renewed within this. Default 30 s. */
  leaseMs?: number;
  /**
   * A request's body must have arrived this long after its headers, or the request is answered
   * 408 (FERRY_E_TIMEOUT) and its connection closed: size limits alone let a slow drip hold a
   * connection open. Default 2 min.
   */
  bodyTimeoutMs?: number;
  /** Accepted request timestamp skew. Default 5 min. */
  clockSkewMs?: number;
  nonceCapacity?: number;
  /** Clock for recorded timestamps (tasks). */
  now?: () => Date;
  /** Wall clock (ms) for signatures and leases. */
  clock?: () => number;
  /** Structured log; default JSON lines on stdout. */
  log?: Logger;
  /** Reported by /api/sync/check (tests can pretend to be another version). */
  formatVersion?: number;
  deliveryHandler?: DeliveryHandler;
  /** GET /metrics: behind this bearer token, or loopback clients only without one (the CLI reads FERRY_METRICS_TOKEN). */
  metrics?: { token?: string };
  /**
   * Apply packages on a worker thread that opens the store itself from this location (the same
   * URL `store` was opened with), so the instance keeps answering during a restore. Without it,
   * packages are committed on the request thread (fine for tests and small stores).
   */
  restoreOffThread?: StoreLocation;
  /** Test hooks for the crash tests (only a test entry point sets them: test/support/serve-hooked.mjs). */
  test?: { delayBeforeCommitMs?: number; delayAfterCommitMs?: number };
}

export interface InstanceServer {
  url: string;
  host: string;
  port: number;
  /** Graceful stop: refuses new requests, settles the running task, closes connections and the task database. */
  stop(opts?: { timeoutMs?: number }): Promise<void>;
}

export const DEFAULT_LIMITS: SyncLimits = { packageBytes: 256 * 1024 ** 2, blobBytes: 2 * 1024 ** 3, requestBytes: 32 * 1024 ** 2 };
export const DEFAULT_TASK_RETENTION_MS = 24 * 3_600_000;
export const DEFAULT_LEASE_MS = 30_000;
export const DEFAULT_BODY_TIMEOUT_MS = 120_000;

/**
 * Starts `ferry serve` for one environment: `GET /healthz`, the signed sync API under
 * `/api/sync`, and `/v3/*` handed to the delivery handler when one is given.
 */
export async function startInstanceServer(o: InstanceServerOptions): Promise<InstanceServer> {
  const host = o.host ?? '127.0.0.1';
  if (!o.tls && !isLoopbackHost(host)) {
    throw new FerryError('FERRY_E_USAGE', `Refusing to listen on ${host} without TLS: sync requests carry content and would cross the network in clear text.`, {
      hint: 'Pass --tls-cert and --tls-key, or listen on 127.0.0.1 behind a TLS-terminating proxy.',
    });
  }
  const now = o.now ?? (() => new Date());
  const clock = o.clock ?? Date.now;
  const retention = o.taskRetentionMs ?? DEFAULT_TASK_RETENTION_MS;
  const bodyTimeoutMs = o.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;

  const local = await openInstanceState(o.store, o);
  const restoreThread = o.restoreOffThread ? new RestoreThread({ ...o.restoreOffThread, tasksFile: o.tasksFile, environment: o.environment }) : undefined;
  // Off the request thread, the thread queues and finishes the tasks on its own connection to the state.
  const tasks: InstanceState = restoreThread ? new ThreadTaskState(local, restoreThread) : local;
  const metrics = createServerMetrics({ environment: o.environment, token: o.metrics?.token, taskStates: () => countTaskStates(tasks) });
  const log = metrics.observeLog(o.log ?? createJsonLogger((line) => process.stdout.write(line), clock));
  const worker = new TaskWorker({
    restoreThread,
    db: tasks,
    store: o.store,
    environment: o.environment,
    now,
    log,
    delayBeforeCommitMs: o.test?.delayBeforeCommitMs,
    delayAfterCommitMs: o.test?.delayAfterCommitMs,
  });
  const lock = new LeaseLock({
    store: o.store,
    environment: o.environment,
    leaseMs: o.leaseMs ?? DEFAULT_LEASE_MS,
    clock,
    records: tasks.leases,
    onLapse: (holder, deployments, why) => failAbandoned(o.store, worker, log, o.environment, holder, deployments, why, now),
  });
  const cleanup = async () => {
    const removed = await tasks.cleanup(new Date(now().getTime() - retention).toISOString());
    if (removed) log('info', 'tasks cleaned', { environment: o.environment, removed, retentionMs: retention });
  };
  // Requests wait until what a previous run left unfinished is settled.
  let markReady: (ok: boolean) => void = () => undefined;
  const ready = new Promise<boolean>((resolve) => (markReady = resolve));

  const ctx: SyncContext = {
    environment: o.environment,
    version: VERSION,
    formatVersion: o.formatVersion ?? FORMAT_VERSION,
    store: o.store,
    tasks,
    worker,
    lock,
    restoreThread,
    limits: { ...DEFAULT_LIMITS, ...o.limits },
    auth: { secret: o.secret, nonces: tasks, clockSkewMs: o.clockSkewMs ?? DEFAULT_CLOCK_SKEW_MS, clock },
    now,
    log,
  };

  let stopping = false;
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const t0 = performance.now();
    const { path, query } = splitTarget(req.url ?? '/');
    let note: Record<string, unknown> = {};
    let code: string | undefined;
    const bodyTimer = req.complete ? undefined : setTimeout(() => cutSlowBody(req, res, bodyTimeoutMs), bodyTimeoutMs);
    res.once('close', () => {
      clearTimeout(bodyTimer);
      const status = res.statusCode;
      metrics.observeRequest(req.method ?? 'GET', path, status, (performance.now() - t0) / 1000, code);
      log(status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info', 'request', {
        method: req.method,
        path: redactPath(path),
        ...(query ? { query: redactQuery(query) } : {}),
        status,
        ms: Math.round((performance.now() - t0) * 10) / 10,
        ...note,
        ...(code ? { code } : {}),
        ...(res.writableFinished ? {} : { aborted: true }),
      });
    });
    const dispatch = async () => {
      if (stopping || !(await ready)) throw new FerryError('FERRY_E_UNREACHABLE', 'The instance is shutting down; retry when it is back.');
      if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) return sendJson(res, 200, { status: 'ok' });
      if (path === '/metrics' && (req.method === 'GET' || req.method === 'HEAD')) return metrics.handle(req, res);
      if (path === SYNC_PREFIX || path.startsWith(`${SYNC_PREFIX}/`)) {
        note = await handleSync(ctx, req, res, path, query);
        return;
      }
      if ((path === '/v3' || path.startsWith('/v3/')) && o.deliveryHandler && (await o.deliveryHandler(req, res))) return;
      throw new FerryError('FERRY_E_NOT_FOUND', `No endpoint ${req.method} ${path}.`);
    };
    dispatch().catch(async (e: unknown) => {
      if (!(e instanceof FerryError)) log('error', 'internal error', { method: req.method, path, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      code = asFerryError(e).code;
      await sendError(res, e);
    });
  };

  const server = o.tls ? https.createServer({ cert: o.tls.cert, key: o.tls.key }, handler) : http.createServer(handler);
  server.keepAliveTimeout = 30_000;
  server.headersTimeout = 60_000;
  server.requestTimeout = 15 * 60_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) =>
        reject(new FerryError('FERRY_E_USAGE', `Cannot listen on ${host}:${o.port ?? 0}: ${e.message}`, { data: { host, port: o.port ?? 0, cause: e.code } })),
      );
      server.listen(o.port ?? 0, host, () => resolve());
    });
  } catch (e) {
    await tasks.close();
    throw e;
  }
  const port = (server.address() as AddressInfo).port;
  const url = `${o.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log('info', 'listening', {
    environment: o.environment,
    url,
    host,
    port,
    tls: Boolean(o.tls),
    version: VERSION,
    formatVersion: ctx.formatVersion,
    store: redactUrl(o.store.url),
    tasks: tasks.location,
    limits: ctx.limits,
    taskRetentionMs: retention,
    leaseMs: lock.leaseMs,
  });
  try {
    // Its store opens now, beside the instance's: a store that cannot be opened twice fails here.
    // Before recover(): settling a task goes through the thread's connection to the state.
    await restoreThread?.start();
    await worker.recover();
    await cleanup();
    markReady(true);
  } catch (e) {
    markReady(false);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await restoreThread?.close();
    await tasks.close();
    throw e;
  }
  lock.startSweeping();
  worker.startSweeping(Math.max(500, Math.min(5_000, Math.floor((o.leaseMs ?? DEFAULT_LEASE_MS) / 4))));
  const cleaner = setInterval(() => void cleanup().catch(() => undefined), Math.min(3_600_000, Math.max(500, Math.floor(retention / 2))));
  cleaner.unref();
  worker.kick();

  let stopped: Promise<void> | undefined;
  return {
    url,
    host,
    port,
    stop(opts = {}) {
      stopped ??= (async () => {
        stopping = true;
        clearInterval(cleaner);
        log('info', 'stopping', { environment: o.environment });
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        await worker.stop();
        await restoreThread?.close();
        await lock.close();
        server.closeIdleConnections();
        const timeout = new Promise<void>((resolve) => setTimeout(resolve, opts.timeoutMs ?? 10_000).unref());
        await Promise.race([closed, timeout]);
        server.closeAllConnections();
        await tasks.close();
        log('info', 'stopped', { environment: o.environment });
      })();
      return stopped;
    },
  };
}

/** Tasks by state for the metrics (the table holds at most a retention period of tasks). */
async function countTaskStates(tasks: InstanceState): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const t of await tasks.list(1_000_000)) counts[t.status] = (counts[t.status] ?? 0) + 1;
  return counts;
}

/**
 * The body timeout fired: a body still arriving is cut off. Answered 408 with the error envelope
 * when nothing was answered yet (the handler waiting for the body then finds its connection
 * closed), and the connection is closed either way.
 */
function cutSlowBody(req: IncomingMessage, res: ServerResponse, timeoutMs: number): void {
  if (req.complete) return;
  if (res.headersSent) {
    req.socket.destroy();
    return;
  }
  const err = new FerryError('FERRY_E_TIMEOUT', `The request body did not arrive within ${Math.round(timeoutMs / 1000)} s of its headers; the instance stopped reading it and stored nothing from it.`, {
    data: { timeoutMs },
  });
  res.setHeader('connection', 'close');
  sendJson(res, httpStatusOf(err.code), { success: false, error: toWireError(err) });
  res.once('finish', () => req.socket.destroy());
}

/** Lease tokens in lock paths are capabilities: keep them out of logs. */
function redactPath(path: string): string {
  return path.replace(/^(\/api\/sync\/lock\/)[^/]+/, '$1***');
}

/**
 * A lease ended without its deployments finishing (client killed or disconnected): record them
 * failed, unless their package is already queued (then the task settles them).
 */
async function failAbandoned(
  store: Store,
  worker: TaskWorker,
  log: Logger,
  environment: string,
  holder: LockHolder,
  deployments: number[],
  why: string,
  now: () => Date,
): Promise<void> {
  for (const id of deployments) {
    if (await worker.hasPendingFor(id)) continue;
    const d = await store.getDeployment(id);
    if (d?.status !== 'running') continue;
    await store.failDeployment(id, [], `abandoned: the deploying client (${holder.actor}, pid ${holder.pid} on ${holder.host}) went away: ${why}; nothing was applied`, now().toISOString());
    log('warn', 'deployment abandoned', { environment, deployment: id, actor: holder.actor, why });
  }
}
