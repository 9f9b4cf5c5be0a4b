import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { SqliteStore } from '../../src/store/index.js';
import { RemoteStore } from '../../src/transport/client/remote-store.js';
import { startInstanceServer } from '../../src/transport/server/instance-server.js';
import { runStoreContract } from './store-contract.js';

/**
 * A remote environment must behave exactly like a local store: the same contract suite runs
 * against a RemoteStore talking signed HTTP to a real instance server (in this process, so the
 * suite's fresh-store-per-test stays fast; the process-level tests are in transport-*.test.ts).
 */
const SECRET = 'contract-secret-0123456789abcdef-0123456789';
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The local store behind each remote one: drift is made there, by hand, as on a real instance. */
const behind = new WeakMap<RemoteStore, SqliteStore>();

runStoreContract('RemoteStore over ferry serve', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-remote-contract-'));
  dirs.push(dir);
  const local = SqliteStore.open(join(dir, 'env.db'));
  const server = await startInstanceServer({
    environment: 'dev',
    store: local,
    secret: SECRET,
    tasksFile: join(dir, 'env.db.sync.db'),
    log: () => undefined,
    leaseMs: 2000,
  });
  const remote = await RemoteStore.open({ url: server.url, secret: SECRET });
  const close = remote.close.bind(remote);
  remote.close = async () => {
    await close();
    await server.stop();
    await local.close();
  };
  behind.set(remote, local);
  return remote;
}, { outsideFerry: (remote) => behind.get(remote)! });
