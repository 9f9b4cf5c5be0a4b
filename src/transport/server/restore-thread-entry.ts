/** The restore thread (restore-thread.ts): opens the store from its URL, then commits the packages it is sent. */
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { FerryError } from '../../errors/index.js';
import type { Store } from '../../model/index.js';
import { openStore } from '../../store/index.js';
import { toWireError } from '../protocol.js';
import type { RestoreJob, RestoreReady, RestoreReply, StoreLocation } from './restore-thread.js';
import { parsePackage } from './task-worker.js';

const port = parentPort!;
const location = workerData as StoreLocation;

let store: Store;
try {
  store = await openStore(location.url, { cwd: location.cwd, durable: location.durable, env: location.env });
  port.postMessage({ ready: true } satisfies RestoreReady);
} catch (e) {
  port.postMessage({ ready: false, error: toWireError(asFerryError(e)) } satisfies RestoreReady);
  process.exit(1);
}

// One job at a time, in order: the instance sends the next only after this one answered.
port.on('message', async (job: RestoreJob | 'close') => {
  if (job === 'close') {
    await store.close();
    port.close();
    return;
  }
  let reply: RestoreReply;
  try {
    const pkg = parsePackage(Buffer.from(job.body));
    const deployment = await store.commitDeployment(pkg.deploymentId, pkg.writes, pkg.events, pkg.counts, pkg.finishedAt, pkg.status);
    reply = { id: job.id, ok: true, deployment, threadId };
  } catch (e) {
    reply = { id: job.id, ok: false, error: toWireError(asFerryError(e)), ferry: e instanceof FerryError };
  }
  port.postMessage(reply);
});

function asFerryError(e: unknown): FerryError {
  return e instanceof FerryError ? e : new FerryError('FERRY_E_INTERNAL', e instanceof Error ? e.message : String(e), { cause: e });
}
