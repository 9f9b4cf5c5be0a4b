import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FerryError } from '../../errors/index.js';
import { OBJECT_KINDS, type Diagnostic, type LockHolder, type NewDeployment, type ObjectKind, type Store, type StoredObjectInfo } from '../../model/index.js';
import { assertSha256 } from '../../store/sha256.js';
import { LEASE_HEADER, SYNC_PREFIX, SYNC_PROTOCOL_VERSION, encodeInfo, type CheckResponse, type StateResponse } from '../protocol.js';
import { assertBodyMatches, authenticate, type AuthOptions } from './auth.js';
import { drainBody, readBody } from './body.js';
import { formatSize } from '../../config/size.js';
import { EMPTY_BODY_SHA256 } from '../signing.js';
import type { LeaseLock } from './lease-lock.js';
import type { RestoreThread } from './restore-thread.js';
import type { Logger } from './log.js';
import { sendBytes, sendJson } from './respond.js';
import type { InstanceState } from './instance-state.js';
import { checkPackageShape, PACKAGE_KEY_RE, type TaskWorker } from './task-worker.js';

export interface SyncLimits {
  /** Largest package body (the deployment's writes and events as JSON). */
  packageBytes: number;
  /** Largest blob (the repository's `assets.maxSize`). */
  blobBytes: number;
  /** Largest other JSON request (lock, deployment records, object queries). */
  requestBytes: number;
}

export interface SyncContext {
  environment: string;
  version: string;
  formatVersion: number;
  store: Store;
  tasks: InstanceState;
  worker: TaskWorker;
  lock: LeaseLock;
  /** When set, packages are parsed, checked and queued on the restore thread (see restore-thread.ts). */
  restoreThread?: Pick<RestoreThread, 'accept'>;
  limits: SyncLimits;
  auth: AuthOptions;
  now: () => Date;
  log: Logger;
}

interface Call {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  /** Path below /api/sync, e.g. `/blobs/ab…`. */
  sub: string;
  params: URLSearchParams;
  signedSha256: string;
  /** Lease tokens the client says it holds. */
  leases: string[];
  /** Fields added to the request's log line. */
  note: Record<string, unknown>;
}

/**
 * `/api/sync/*`: authenticates every request (signature, clock window, nonce, body hash), then
 * serves the instance's store to a RemoteStore client. Returns the log fields of the call.
 */
export async function handleSync(c: SyncContext, req: IncomingMessage, res: ServerResponse, path: string, query: string): Promise<Record<string, unknown>> {
  const { bodySha256 } = await authenticate(req, path, query, c.auth);
  const method = req.method ?? 'GET';
  if ((method === 'GET' || method === 'HEAD' || method === 'DELETE') && (bodySha256 !== EMPTY_BODY_SHA256 || Number(req.headers['content-length'] ?? 0) > 0)) {
    throw new FerryError('FERRY_E_USAGE', `${method} requests carry no body: sign the sha256 of the empty body.`);
  }
  const leaseHeader = req.headers[LEASE_HEADER];
  const call: Call = {
    req,
    res,
    method,
    sub: path.slice(SYNC_PREFIX.length) || '/',
    params: new URLSearchParams(query),
    signedSha256: bodySha256,
    leases: typeof leaseHeader === 'string' && leaseHeader ? leaseHeader.split(',') : [],
    note: {},
  };
  await route(c, call);
  return call.note;
}

async function route(c: SyncContext, call: Call): Promise<void> {
  const { method, sub } = call;
  const m = (re: RegExp) => re.exec(sub);
  let g: RegExpExecArray | null;

  if (sub === '/check' && method === 'POST') return check(c, call);
  if (sub === '/state' && method === 'GET') return state(c, call);
  if (sub === '/objects' && method === 'GET') return listObjects(c, call);
  if (sub === '/objects/query' && method === 'POST') return queryObjects(c, call);
  if (sub === '/objects/by-code-name' && method === 'POST') return findByCodeNames(c, call);
  if (sub === '/objects/referrers' && method === 'POST') return findReferrers(c, call);
  if (sub === '/drift' && method === 'GET') return done(call, await c.store.drift());
  if (sub === '/changes' && method === 'GET') {
    return done(call, await c.store.changes(intParam(call, 'after', 0), Math.min(intParam(call, 'limit', 1000), 100_000)));
  }
  if (sub === '/deployments' && method === 'GET') {
    const limit = call.params.get('limit');
    return done(call, await c.store.deployments(limit === null ? {} : { limit: intParam(call, 'limit', 20) }));
  }
  if (sub === '/deployments' && method === 'POST') return startDeployment(c, call);
  if ((g = m(/^\/deployments\/([^/]+)$/)) && method === 'GET') {
    const d = await c.store.getDeployment(idOf(g[1], 'deployment'));
    if (!d) throw new FerryError('FERRY_E_NOT_FOUND', `No deployment #${g[1]} on ${c.environment}.`);
    return done(call, d);
  }
  if ((g = m(/^\/deployments\/([^/]+)\/fail$/)) && method === 'POST') return failDeployment(c, call, idOf(g[1], 'deployment'));
  if (sub === '/blobs/missing' && method === 'POST') return missingBlobs(c, call);
  if ((g = m(/^\/blobs\/(.*)$/))) {
    const sha = blobIdOf(g[1]);
    if (method === 'HEAD' || method === 'GET') return getBlob(c, call, sha);
    if (method === 'PUT') return putBlob(c, call, sha);
  }
  if (sub === '/lock' && method === 'POST') return lock(c, call);
  if ((g = m(/^\/lock\/([A-Za-z0-9_-]+)\/renew$/)) && method === 'POST') {
    await readJson(c, call);
    return done(call, await c.lock.renew(g[1]));
  }
  if ((g = m(/^\/lock\/([A-Za-z0-9_-]+)$/)) && method === 'DELETE') {
    await c.lock.release(g[1]);
    return done(call, { success: true });
  }
  if (sub === '/packages' && method === 'POST') return postPackage(c, call);
  if ((g = m(/^\/packages\/([^/]+)$/)) && method === 'GET') return packageByKey(c, call, packageKeyOf(g[1]));
  if (sub === '/tasks' && method === 'GET') return done(call, await c.tasks.list(Math.min(intParam(call, 'limit', 100), 10_000)));
  if ((g = m(/^\/tasks\/([^/]+)$/)) && method === 'GET') return getTask(c, call, idOf(g[1], 'task'));
  throw new FerryError('FERRY_E_NOT_FOUND', `No endpoint ${method} ${SYNC_PREFIX}${sub}.`, { hint: 'See the README, "Instances over HTTP", for the endpoints.' });
}

function done(call: Call, value: unknown, status = 200): void {
  sendJson(call.res, status, value);
}

async function readJson<T = unknown>(c: SyncContext, call: Call, limit = c.limits.requestBytes, what = 'request body'): Promise<{ value: T; bytes: Buffer }> {
  const body = await readBody(call.req, { limit, what });
  assertBodyMatches(call.signedSha256, body.sha256);
  if (body.bytes.byteLength === 0) return { value: {} as T, bytes: body.bytes };
  try {
    return { value: JSON.parse(body.bytes.toString('utf8')) as T, bytes: body.bytes };
  } catch (e) {
    throw new FerryError('FERRY_E_USAGE', `The ${what} is not valid JSON: ${(e as Error).message}`);
  }
}

async function check(c: SyncContext, call: Call): Promise<void> {
  await readJson(c, call);
  const answer: CheckResponse = { success: true, version: c.version, formatVersion: c.formatVersion, protocolVersion: SYNC_PROTOCOL_VERSION, environment: c.environment, maxBlobBytes: c.limits.blobBytes };
  done(call, answer);
}

async function state(c: SyncContext, call: Call): Promise<void> {
  const withObjects = call.params.get('objects') !== '0';
  const [deployed, hasDrift, lastChangeSeq] = [await c.store.lastSuccessfulDeployment(), await c.store.hasDrift(), await c.store.lastChangeSeq()];
  const answer: StateResponse = { environment: c.environment, deployed: deployed ?? null, hasDrift, lastChangeSeq };
  if (withObjects) {
    answer.objects = (await c.store.index()).map(encodeInfo);
    call.note.objects = answer.objects.length;
  }
  done(call, answer);
}

async function listObjects(c: SyncContext, call: Call): Promise<void> {
  const raw = call.params.get('kinds');
  let kinds: ObjectKind[] | undefined;
  if (raw !== null) {
    kinds = raw === '' ? [] : (raw.split(',') as ObjectKind[]);
    const unknown = kinds.filter((k) => !(OBJECT_KINDS as readonly string[]).includes(k));
    if (unknown.length) throw new FerryError('FERRY_E_USAGE', `Unknown object kind(s): ${unknown.join(', ')}.`);
  }
  const objects = await c.store.listObjects(kinds);
  call.note.objects = objects.length;
  done(call, objects);
}

/** The body `{ "keys": [string, …] }` of the key queries. */
async function readKeys(c: SyncContext, call: Call): Promise<string[]> {
  const { value } = await readJson<{ keys?: unknown }>(c, call);
  if (!Array.isArray(value.keys) || !value.keys.every((k) => typeof k === 'string')) throw new FerryError('FERRY_E_USAGE', 'Expected { "keys": [string, …] }.');
  return value.keys as string[];
}

async function queryObjects(c: SyncContext, call: Call): Promise<void> {
  const found = await c.store.getObjects(await readKeys(c, call));
  call.note.objects = found.size;
  done(call, [...found.values()]);
}

async function findByCodeNames(c: SyncContext, call: Call): Promise<void> {
  const { value } = await readJson<{ pairs?: unknown }>(c, call);
  const pairs = value.pairs;
  const valid =
    Array.isArray(pairs) &&
    pairs.every((p) => Array.isArray(p) && p.length === 2 && (OBJECT_KINDS as readonly unknown[]).includes(p[0]) && typeof p[1] === 'string');
  if (!valid) throw new FerryError('FERRY_E_USAGE', 'Expected { "pairs": [[kind, codeName], …] }.');
  const wanted = (pairs as [ObjectKind, string][]).map(([kind, codeName]) => ({ kind, codeName }));
  const found: StoredObjectInfo[] = await c.store.findByCodeNames(wanted);
  call.note.objects = found.length;
  done(call, found);
}

async function findReferrers(c: SyncContext, call: Call): Promise<void> {
  const found = await c.store.findReferrers(await readKeys(c, call));
  call.note.objects = found.length;
  done(call, found);
}

async function startDeployment(c: SyncContext, call: Call): Promise<void> {
  const { value } = await readJson<Partial<NewDeployment>>(c, call);
  for (const f of ['environment', 'source', 'mode', 'actor', 'startedAt'] as const) {
    if (typeof value[f] !== 'string') throw new FerryError('FERRY_E_USAGE', `A new deployment needs a string ${f}.`);
  }
  if (value.environment !== c.environment) {
    throw new FerryError('FERRY_E_CONFLICT', `This instance serves environment ${c.environment}, not ${String(value.environment)}.`, {
      hint: 'Check the store URL of the environment in repository.config.yaml.',
    });
  }
  const d = await c.store.startDeployment(value as NewDeployment);
  for (const token of call.leases) await c.lock.attach(token, d.id);
  call.note.deployment = d.id;
  done(call, d, 201);
}

async function failDeployment(c: SyncContext, call: Call, id: number): Promise<void> {
  const { value } = await readJson<{ diagnostics?: Diagnostic[]; message?: string; finishedAt?: string }>(c, call);
  if (!Array.isArray(value.diagnostics) || typeof value.message !== 'string' || typeof value.finishedAt !== 'string') {
    throw new FerryError('FERRY_E_USAGE', 'Expected { diagnostics: [], message, finishedAt }.');
  }
  if (await c.worker.hasPendingFor(id)) {
    throw new FerryError('FERRY_E_CONFLICT', `Deployment #${id} has a package queued or restoring; it cannot be marked failed now.`, { data: { deploymentId: id } });
  }
  call.note.deployment = id;
  done(call, await c.store.failDeployment(id, value.diagnostics, value.message, value.finishedAt));
}

async function missingBlobs(c: SyncContext, call: Call): Promise<void> {
  const { value } = await readJson<{ sha256?: unknown }>(c, call);
  if (!Array.isArray(value.sha256)) throw new FerryError('FERRY_E_USAGE', 'Expected { "sha256": [id, …] }.');
  const missing: string[] = [];
  for (const s of value.sha256) {
    assertSha256(s as string);
    if (!(await c.store.hasBlob(s as string))) missing.push(s as string);
  }
  done(call, { missing });
}

async function getBlob(c: SyncContext, call: Call, sha: string): Promise<void> {
  if (call.method === 'HEAD') {
    if (!(await c.store.hasBlob(sha))) throw new FerryError('FERRY_E_NOT_FOUND', `No blob ${sha}.`);
    call.res.writeHead(200, { 'content-length': '0' }).end();
    return;
  }
  const bytes = await c.store.readBlob(sha);
  if (!bytes) throw new FerryError('FERRY_E_NOT_FOUND', `No blob ${sha}.`);
  sendBytes(call.res, 200, bytes);
}

/**
 * Receives a blob, streamed into the store as it arrives (memory stays flat whatever its size):
 * the size limit is enforced from Content-Length before anything is read, the body is hashed on
 * the way, and the store keeps it only when its sha256 equals the id in the path. A body that does
 * not hash to its signed sha256 was altered on the way: refused as an authentication failure.
 */
async function putBlob(c: SyncContext, call: Call, sha: string): Promise<void> {
  const declared = call.req.headers['content-length'];
  const size = declared === undefined ? NaN : Number(declared);
  if (!Number.isSafeInteger(size) || size < 0) {
    await drainBody(call.req);
    throw new FerryError('FERRY_E_USAGE', `A blob upload needs a Content-Length header (blob ${sha}).`);
  }
  if (size > c.limits.blobBytes) {
    await drainBody(call.req);
    throw new FerryError('FERRY_E_ASSET_LIMIT', `The blob ${sha} is ${formatSize(size)}; this instance accepts at most ${formatSize(c.limits.blobBytes)}.`, {
      data: { limit: c.limits.blobBytes, size },
    });
  }
  const hash = createHash('sha256');
  let received = 0;
  const req = call.req;
  async function* body(): AsyncIterable<Uint8Array> {
    for await (const chunk of req) {
      hash.update(chunk as Buffer);
      received += (chunk as Buffer).byteLength;
      yield chunk as Buffer;
    }
  }
  const had = await c.store.hasBlob(sha);
  let failure: unknown;
  try {
    if (had) for await (const chunk of body()) void chunk;
    else await c.store.putBlobStream(sha, size, body);
  } catch (e) {
    failure = e;
  }
  if (!req.readableEnded) await drainBody(req);
  // Whatever the store said, a body that is not what was signed was tampered with.
  if (req.readableEnded && received === size) assertBodyMatches(call.signedSha256, hash.digest('hex'));
  if (failure) throw failure;
  call.note.blob = had ? 'present' : 'stored';
  call.note.bytesIn = received;
  done(call, { sha256: sha, size, stored: !had }, had ? 200 : 201);
}

async function lock(c: SyncContext, call: Call): Promise<void> {
  const { value } = await readJson<{ holder?: LockHolder; waitMs?: unknown }>(c, call);
  const h = value.holder;
  if (!h || typeof h.actor !== 'string' || typeof h.host !== 'string' || typeof h.pid !== 'number' || typeof h.since !== 'string' || typeof h.purpose !== 'string') {
    throw new FerryError('FERRY_E_USAGE', 'Expected { holder: { pid, host, actor, since, purpose }, waitMs }.');
  }
  const waitMs = Math.min(Math.max(0, Number(value.waitMs) || 0), 60_000);
  const abort = new AbortController();
  call.res.on('close', () => abort.abort());
  const lease = await c.lock.acquire(h, waitMs, abort.signal);
  if (abort.signal.aborted) {
    // The client left while waiting: give the lock back at once.
    await c.lock.release(lease.token);
    return;
  }
  call.note.actor = h.actor;
  done(call, lease, 201);
}

async function postPackage(c: SyncContext, call: Call): Promise<void> {
  const deploymentParam = call.params.get('deployment');
  const keyParam = call.params.get('key');
  if (c.restoreThread && deploymentParam !== null && keyParam !== null) return postPackageOffThread(c, c.restoreThread, call, idOf(deploymentParam, 'deployment'), packageKeyOf(keyParam));
  const { value, bytes } = await readJson<unknown>(c, call, c.limits.packageBytes, 'package');
  const pkg = checkPackageShape(value);
  // The same package again (a client re-sending after a dropped connection): its one task, as it
  // stands. Checked before anything else, since its deployment may well be finished by now.
  const known = pkg.packageKey === undefined ? undefined : await c.tasks.byPackageKey(pkg.packageKey);
  if (known) {
    call.note.task = known.id;
    call.note.resent = true;
    return done(call, known, 202);
  }
  for (const token of call.leases) await c.lock.assertCurrent(token);
  const d = await c.store.getDeployment(pkg.deploymentId);
  if (!d) throw new FerryError('FERRY_E_NOT_FOUND', `No deployment #${pkg.deploymentId} on ${c.environment}; start one first (POST ${SYNC_PREFIX}/deployments).`, { data: { deploymentId: pkg.deploymentId } });
  if (d.status !== 'running') {
    throw new FerryError('FERRY_E_CONFLICT', `Deployment #${d.id} is ${d.status}, not running; start a new deployment.`, { data: { deploymentId: d.id, status: d.status } });
  }
  const task = await c.tasks.insert({ deploymentId: pkg.deploymentId, packageKey: pkg.packageKey, receivedAt: c.now().toISOString(), counts: pkg.counts, writes: pkg.writes.length, events: pkg.events.length, body: bytes });
  c.log('info', 'task', { task: task.id, step: 'queued', environment: c.environment, deployment: task.deploymentId, writes: task.writes, events: task.events, bytes: task.bytes });
  call.note.task = task.id;
  c.worker.kick();
  done(call, task, 202);
}

/**
 * `POST /packages?deployment=N&key=K`: the signed request line says which package this is, so
 * everything but the body's own shape is checked before the body is read (a known key answers
 * its task at once), and the body goes to the restore thread unparsed: megabytes of JSON are
 * never parsed, nor written to the instance state, on the request thread.
 */
async function postPackageOffThread(c: SyncContext, thread: Pick<RestoreThread, 'accept'>, call: Call, deploymentId: number, packageKey: string): Promise<void> {
  const known = await c.tasks.byPackageKey(packageKey);
  if (known) {
    call.note.task = known.id;
    call.note.resent = true;
    return done(call, known, 202);
  }
  for (const token of call.leases) await c.lock.assertCurrent(token);
  const d = await c.store.getDeployment(deploymentId);
  if (!d) throw new FerryError('FERRY_E_NOT_FOUND', `No deployment #${deploymentId} on ${c.environment}; start one first (POST ${SYNC_PREFIX}/deployments).`, { data: { deploymentId } });
  if (d.status !== 'running') {
    throw new FerryError('FERRY_E_CONFLICT', `Deployment #${d.id} is ${d.status}, not running; start a new deployment.`, { data: { deploymentId: d.id, status: d.status } });
  }
  const body = await readBody(call.req, { limit: c.limits.packageBytes, what: 'package' });
  assertBodyMatches(call.signedSha256, body.sha256);
  const task = await thread.accept(body.bytes, { receivedAt: c.now().toISOString(), deploymentId, packageKey });
  c.log('info', 'task', { task: task.id, step: 'queued', environment: c.environment, deployment: task.deploymentId, writes: task.writes, events: task.events, bytes: task.bytes });
  call.note.task = task.id;
  c.worker.kick();
  done(call, task, 202);
}

/** What became of a package, by its idempotency key: its task, or 404 when it never arrived. */
async function packageByKey(c: SyncContext, call: Call, key: string): Promise<void> {
  const task = await c.tasks.byPackageKey(key);
  if (!task) {
    throw new FerryError('FERRY_E_NOT_FOUND', `No package with key ${key} was received by ${c.environment} (or its task was removed after the retention period).`, { data: { packageKey: key } });
  }
  call.note.task = task.id;
  done(call, task);
}

async function getTask(c: SyncContext, call: Call, id: number): Promise<void> {
  const waitMs = Math.min(intParam(call, 'wait', 0), 60_000);
  const abort = new AbortController();
  call.res.on('close', () => abort.abort());
  const task = await c.worker.waitFor(id, waitMs, abort.signal);
  if (!task) throw new FerryError('FERRY_E_NOT_FOUND', `No task #${id} on ${c.environment} (finished tasks are removed after the retention period).`);
  done(call, task);
}

function intParam(call: Call, name: string, fallback: number): number {
  const raw = call.params.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) throw new FerryError('FERRY_E_USAGE', `Query parameter ${name} must be a whole number ≥ 0, not ${JSON.stringify(raw)}.`);
  return n;
}

function packageKeyOf(raw: string): string {
  if (!PACKAGE_KEY_RE.test(raw)) throw new FerryError('FERRY_E_USAGE', `Invalid package key ${JSON.stringify(raw.slice(0, 40))}: 16–128 URL-safe characters.`);
  return raw;
}

function idOf(raw: string, what: string): number {
  if (!/^\d{1,15}$/.test(raw)) throw new FerryError('FERRY_E_USAGE', `Invalid ${what} id ${JSON.stringify(raw.slice(0, 40))}.`);
  return Number(raw);
}

/** The blob id from the raw path: exactly 64 lower-case hex digits, so no `../` can reach the blob folder. */
function blobIdOf(raw: string): string {
  if (!/^[0-9a-f]{64}$/.test(raw)) {
    throw new FerryError('FERRY_E_ASSET', `Invalid blob id ${JSON.stringify(raw.slice(0, 80))}: a blob is addressed by its sha256, 64 lower-case hex digits.`, {
      data: { id: raw.slice(0, 80) },
    });
  }
  return raw;
}
