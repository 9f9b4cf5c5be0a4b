import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadRepository } from '../../api/context.js';
import { getEnvironment, parseSize } from '../../config/index.js';
import { EXIT } from '../../errors/catalog.js';
import { FerryError } from '../../errors/index.js';
import { SqliteStore, openStore } from '../../store/index.js';
import { createJsonLogger } from '../../transport/server/log.js';
import { DEFAULT_LIMITS, startInstanceServer } from '../../transport/server/instance-server.js';
import { parseDuration } from '../../transport/duration.js';
import { DEFAULT_SECRET_ENV, readSyncSecret } from '../../transport/secret.js';
import { createDeliveryHandler } from '../../transport/delivery/index.js';
import type { CliIo } from '../io.js';
import { contextOf } from './ctx.js';

/**
 * `ferry serve --env E`: runs the instance of one environment over its LOCAL store until SIGTERM
 * or SIGINT, logging JSON lines on stdout (the first one, `listening`, names the port).
 */
export default async function serve(io: CliIo, _args: unknown[], opts: Record<string, any>): Promise<number> {
  const ctx = contextOf(io);
  const repo = await loadRepository(ctx);
  const environment = getEnvironment(repo.config, opts.env);
  const url: string = opts.store ?? environment.store;
  if (/^https?:/i.test(url)) {
    throw new FerryError('FERRY_E_STORE_URL', `ferry serve serves a local store, but environment ${environment.name} points at a remote instance (${url.replace(/\/\/[^@/]*@/, '//***@')}).`, {
      hint: 'On the instance machine leave the store variable unset (e.g. FERRY_STORE_PROD) or pass --store sqlite:PATH.',
    });
  }
  const secret = readSyncSecret(io.env, environment.secretEnv ?? DEFAULT_SECRET_ENV, environment.name);
  if (Boolean(opts.tlsCert) !== Boolean(opts.tlsKey)) throw new FerryError('FERRY_E_USAGE', 'Pass both --tls-cert and --tls-key, or neither.');
  const tls = opts.tlsCert ? { cert: readPem(io, opts.tlsCert, '--tls-cert'), key: readPem(io, opts.tlsKey, '--tls-key') } : undefined;
  const port = Number(opts.port ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new FerryError('FERRY_E_USAGE', `Invalid --port ${JSON.stringify(opts.port)}: use 0–65535 (0 picks a free port).`);
  const test = {
    delayBeforeCommitMs: Number(io.env.FERRY_TEST_TASK_DELAY_MS ?? 0) || undefined,
    delayAfterCommitMs: Number(io.env.FERRY_TEST_TASK_AFTER_COMMIT_MS ?? 0) || undefined,
  };
  const formatVersion = io.env.FERRY_TEST_FORMAT_VERSION ? Number(io.env.FERRY_TEST_FORMAT_VERSION) : undefined;

  const durable = Boolean(opts.durable) || environment.durable === true;
  const store = await openStore(url, { cwd: repo.root, now: ctx.now, env: io.env, durable });
  try {
    const tasksFile = opts.tasksDb
      ? resolve(io.cwd, opts.tasksDb)
      : store instanceof SqliteStore
        ? `${store.file}.sync.db`
        : join(repo.root, '.ferry', `${environment.name}.sync.db`);
    const server = await startInstanceServer({
      environment: environment.name,
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
      now: ctx.now,
      log: createJsonLogger((line) => io.stdout.write(line)),
      formatVersion,
      test,
      restoreOffThread: { url, cwd: repo.root, durable, env: { ...io.env } },
      deliveryHandler: createDeliveryHandler({
        environment: environment.name,
        store,
        credentials: environment.delivery,
        publicAssets: environment.delivery?.publicAssets ?? true,
        now: ctx.now,
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
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

function readPem(io: CliIo, file: string, option: string): Buffer {
  try {
    return readFileSync(resolve(io.cwd, file));
  } catch (e) {
    throw new FerryError('FERRY_E_USAGE', `Cannot read ${option} ${file}: ${(e as Error).message}`, { cause: e });
  }
}
