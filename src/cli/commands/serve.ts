import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseSize } from '../../config/index.js';
import { FerryError } from '../../errors/index.js';
import { SqliteStore, openStore, redactUrl } from '../../store/index.js';
// The server is a shell of its own: the CLI starts it through the transport's library surface.
import { DEFAULT_LIMITS, DEFAULT_SECRET_ENV, createDeliveryHandler, createJsonLogger, parseDuration, readSyncSecret, startInstanceServer } from '../../transport/index.js';
import type { CommandOutcome } from '../exit-for.js';
import type { CliIo, GlobalOptions } from '../io.js';
import { assertWritableFile } from '../user-files.js';
import { environmentOf, openRepositoryOf } from './ctx.js';

export interface ServeFlags extends GlobalOptions {
  env: string;
  port?: string;
  host?: string;
  tlsCert?: string;
  tlsKey?: string;
  store?: string;
  tasksDb?: string;
  taskRetention?: string;
  maxPackageSize?: string;
  lockLease?: string;
  shutdownTimeout?: string;
  durable?: boolean;
  bodyTimeout?: string;
}

/**
 * `ferry serve --env E`: runs the instance of one environment over its LOCAL store until SIGTERM
 * or SIGINT, logging JSON lines on stdout (the first one, `listening`, names the port).
 */
export default async function serve(io: CliIo, _args: readonly unknown[], opts: ServeFlags): Promise<CommandOutcome> {
  const rc = await openRepositoryOf(io);
  const { repo } = rc;
  const environment = environmentOf(rc, opts.env);
  const url: string = opts.store ?? environment.store;
  if (/^https?:/i.test(url)) {
    throw new FerryError('FERRY_E_STORE_URL', `ferry serve serves a local store, but environment ${environment.name} points at a remote instance (${redactUrl(url)}).`, {
      hint: 'On the instance machine leave the store variable unset (e.g. FERRY_STORE_PROD) or pass --store sqlite:PATH.',
    });
  }
  const secret = readSyncSecret(io.env, environment.secretEnv ?? DEFAULT_SECRET_ENV, environment.name);
  if (Boolean(opts.tlsCert) !== Boolean(opts.tlsKey)) throw new FerryError('FERRY_E_USAGE', 'Pass both --tls-cert and --tls-key, or neither.');
  const tls = opts.tlsCert && opts.tlsKey ? { cert: readPem(io, opts.tlsCert, '--tls-cert'), key: readPem(io, opts.tlsKey, '--tls-key') } : undefined;
  if (opts.tasksDb) assertWritableFile(io.cwd, opts.tasksDb, '--tasks-db');
  const port = Number(opts.port ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new FerryError('FERRY_E_USAGE', `Invalid --port ${JSON.stringify(opts.port)}: use 0–65535 (0 picks a free port).`);
  // Test hooks come only from a test entry point's io (test/support/serve-hooked.mjs), never from the environment.
  const hooks = io.serveHooks ?? {};
  const test = { delayBeforeCommitMs: hooks.delayBeforeCommitMs, delayAfterCommitMs: hooks.delayAfterCommitMs };
  const formatVersion = hooks.formatVersion;

  const durable = Boolean(opts.durable) || environment.durable === true;
  const store = await openStore(url, { cwd: repo.root, now: rc.now, env: io.env, durable });
  try {
    const tasksFile = opts.tasksDb
      ? resolve(io.cwd, opts.tasksDb)
      : store instanceof SqliteStore
        ? `${store.file}.sync.db`
        : join(repo.root, '.ferry', `${environment.name}.sync.db`);
    const server = await startInstanceServer({
      environment: environment.name,
      metrics: { token: metricsToken(io) },
      store,
      secret,
      tasksFile,
      host: opts.host ?? '127.0.0.1',
      port,
      tls,
      limits: {
        packageBytes: opts.maxPackageSize ? parseSize(opts.maxPackageSize) : DEFAULT_LIMITS.packageBytes,
        blobBytes: repo.config.assets.maxSize,
      },
      taskRetentionMs: parseDuration(opts.taskRetention ?? '24h', '--task-retention'),
      leaseMs: parseDuration(opts.lockLease ?? '30s', '--lock-lease'),
      bodyTimeoutMs: parseDuration(opts.bodyTimeout ?? '2m', '--body-timeout'),
      now: rc.now,
      log: createJsonLogger((line) => io.stdout.write(line)),
      formatVersion,
      test,
      restoreOffThread: { url, cwd: repo.root, durable, env: { ...io.env } },
      deliveryHandler: createDeliveryHandler({
        environment: environment.name,
        store,
        credentials: environment.delivery,
        publicAssets: environment.delivery?.publicAssets ?? true,
        now: rc.now,
        log: createJsonLogger((line) => io.stdout.write(line)),
      }),
    });
    await new Promise<void>((done) => {
      const onSignal = () => {
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
        done();
      };
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
    });
    await server.stop({ timeoutMs: parseDuration(opts.shutdownTimeout ?? '10s', '--shutdown-timeout') });
    return { kind: 'done' };
  } finally {
    await store.close();
  }
}

/** FERRY_METRICS_TOKEN guards GET /metrics; unset, only loopback clients may scrape it. */
function metricsToken(io: CliIo): string | undefined {
  const token = io.env.FERRY_METRICS_TOKEN;
  if (token === undefined || token === '') return undefined;
  if (token.length < 16) throw new FerryError('FERRY_E_AUTH', `FERRY_METRICS_TOKEN is too short: ${token.length} characters, at least 16 are required.`, { hint: 'Use a random string, e.g. `openssl rand -hex 16`.' });
  return token;
}

function readPem(io: CliIo, file: string, option: string): Buffer {
  try {
    return readFileSync(resolve(io.cwd, file));
  } catch (e) {
    throw new FerryError('FERRY_E_USAGE', `Cannot read ${option} ${file}: ${(e as Error).message}`, { cause: e });
  }
}
