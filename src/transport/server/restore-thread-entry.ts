/**
 * The restore thread (restore-thread.ts): opens the store from its URL and the instance state of
 * its tasks (the store's own on PostgreSQL, else the task database file), then accepts packages
 * (parse, check, queue), claims, commits and finishes tasks, one job at a time.
 */
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { FerryError } from '../../errors/index.js';
import type { Store } from '../../model/index.js';
import { enableGarbageCollectionBetweenPhases } from '../../restore/heap.js';
import { openStore } from '../../store/index.js';
import { toWireError, type SyncPackage } from '../protocol.js';
import type { AcceptJob, RestoreJob, RestoreReady, RestoreReply, RestoreThreadData } from './restore-thread.js';
import type { InstanceState } from './instance-state.js';
import { openInstanceState } from './open-instance-state.js';
import { parsePackage } from './task-worker.js';

// The thread is the server's own: large packages may collect garbage between their phases.
enableGarbageCollectionBetweenPhases();
const port = parentPort!;
const data = workerData as RestoreThreadData;

let store: Store;
let tasks: InstanceState;
try {
  // openStore knows sqlite: and postgres: itself (the PostgreSQL driver loads for a postgres URL).
  store = await openStore(data.url, { cwd: data.cwd, durable: data.durable, env: data.env });
  tasks = await openInstanceState(store, { environment: data.environment, tasksFile: data.tasksFile });
  port.postMessage({ ready: true } satisfies RestoreReady);
} catch (e) {
  port.postMessage({ ready: false, error: toWireError(asFerryError(e)) } satisfies RestoreReady);
  process.exit(1);
}

/** The package parsed when it was accepted, kept for its commit (usually the very next job). */
let parsed: { taskId: number; pkg: SyncPackage } | undefined;

// Jobs come one at a time and are answered in order (messages queue while one runs).
let queue = Promise.resolve();
port.on('message', (job: RestoreJob | 'close') => {
  queue = queue.then(() => handle(job));
});

async function handle(job: RestoreJob | 'close'): Promise<void> {
  if (job === 'close') {
    await tasks.close();
    await store.close();
    port.close();
    return;
  }
  let reply: RestoreReply;
  try {
    if (job.op === 'accept') reply = { id: job.id, ok: true, task: await accept(job), threadId };
    else if (job.op === 'claim') reply = { id: job.id, ok: true, task: await tasks.claimNext(job.at), threadId };
    else if (job.op === 'unfinished') reply = { id: job.id, ok: true, tasks: await tasks.ownUnfinished(), threadId };
    else if (job.op === 'finish') {
      if (job.deployment) await tasks.markCompleted(job.taskId, job.deployment, job.at);
      else await tasks.markFailed(job.taskId, job.error ?? { code: 'FERRY_E_INTERNAL', message: `Task #${job.taskId} ended without an outcome.` }, job.at);
      if (parsed?.taskId === job.taskId) parsed = undefined;
      reply = { id: job.id, ok: true, threadId };
    } else {
      const pkg = parsed?.taskId === job.taskId ? parsed.pkg : parsePackage(await tasks.packageOf(job.taskId));
      parsed = undefined;
      const deployment = await store.commitDeployment(pkg.deploymentId, pkg.writes, pkg.events, pkg.counts, pkg.finishedAt, pkg.status);
      reply = { id: job.id, ok: true, deployment, threadId };
    }
  } catch (e) {
    reply = { id: job.id, ok: false, error: toWireError(asFerryError(e)), ferry: e instanceof FerryError };
  }
  port.postMessage(reply);
}

async function accept(job: AcceptJob) {
  const body = Buffer.from(job.body);
  const pkg = parsePackage(body);
  if ((job.deploymentId !== undefined && pkg.deploymentId !== job.deploymentId) || (job.packageKey !== undefined && pkg.packageKey !== job.packageKey)) {
    throw new FerryError('FERRY_E_USAGE', 'Malformed package: its deploymentId and packageKey must be those of the request (query parameters deployment and key).');
  }
  const known = pkg.packageKey === undefined ? undefined : await tasks.byPackageKey(pkg.packageKey);
  if (known) return known;
  const task = await tasks.insert({ deploymentId: pkg.deploymentId, packageKey: pkg.packageKey, receivedAt: job.receivedAt, counts: pkg.counts, writes: pkg.writes.length, events: pkg.events.length, body });
  parsed = { taskId: task.id, pkg };
  return task;
}

function asFerryError(e: unknown): FerryError {
  return e instanceof FerryError ? e : new FerryError('FERRY_E_INTERNAL', e instanceof Error ? e.message : String(e), { cause: e });
}
