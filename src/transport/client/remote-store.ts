import { createHash, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { formatSize } from '../../config/size.js';
import { FerryError } from '../../errors/index.js';
import type {
  ChangeEvent,
  DeploymentCounts,
  DeploymentRecord,
  Diagnostic,
  LockHolder,
  NewDeployment,
  ObjectKind,
  Store,
  StoreWrite,
  StoredObject,
  StoredObjectInfo,
} from '../../model/index.js';
import { assertSha256, sha256Hex } from '../../store/sha256.js';
import { FORMAT_VERSION } from '../../version.js';
import { LEASE_HEADER, SYNC_PREFIX, decodeInfo, fromWireError, type CheckResponse, type LockResponse, type StateResponse, type SyncPackage, type SyncTask } from '../protocol.js';
import { SyncClient, type SyncClientOptions } from './sync-client.js';

export interface RemoteStoreOptions extends SyncClientOptions {
  /** How long one lock request may wait on the instance before asking again. Default 20 s. */
  lockPollMs?: number;
  /** How long to wait for a posted package's task to finish. Default 30 min. */
  taskTimeoutMs?: number;
  /** Called on every answer of a waited-for task (progress for a CLI). */
  onTask?: (task: SyncTask) => void;
  /** Tries per blob upload before giving up (default 4). */
  blobAttempts?: number;
  /** Told about each blob upload try that failed and will be retried. */
  onBlobRetry?: (sha256: string, attempt: number, error: unknown) => void;
  /**
   * After a dropped connection while a package goes up or its task is awaited: how often to
   * reconnect and ask again, waiting `baseDelayMs`, then twice as long each time, at most
   * `maxDelayMs`. Default 6 attempts from 250 ms to 5 s (about 13 s in all).
   */
  reconnect?: { attempts?: number; baseDelayMs?: number; maxDelayMs?: number };
}

/**
 * A remote environment: the Store port spoken over signed HTTP to `ferry serve`. Reads are
 * GETs against the instance's store; blobs go up one by one (only the missing ones are sent);
 * `commitDeployment` posts the deployment's writes as a package, which the instance queues as a
 * task and applies in ONE transaction of its own store; this waits for the task and returns its
 * deployment record, or throws its error. So plan, deploy, promote, status, history, rollback
 * and pull work on a remote environment unchanged.
 */
export class RemoteStore implements Store {
  readonly url: string;
  readonly client: SyncClient;
  private readonly lockPollMs: number;
  private readonly taskTimeoutMs: number;
  private readonly onTask?: (task: SyncTask) => void;
  private readonly blobAttempts: number;
  private readonly onBlobRetry?: (sha256: string, attempt: number, error: unknown) => void;
  private readonly reconnect: { attempts: number; baseDelayMs: number; maxDelayMs: number };
  private readonly leases = new Map<string, { timer: NodeJS.Timeout; lost?: FerryError }>();
  /** The instance's answer to `check`, after `open`. */
  info?: CheckResponse;

  private constructor(opts: RemoteStoreOptions) {
    this.client = new SyncClient(opts);
    this.url = this.client.shownUrl;
    this.lockPollMs = opts.lockPollMs ?? 20_000;
    this.taskTimeoutMs = opts.taskTimeoutMs ?? 30 * 60_000;
    this.onTask = opts.onTask;
    this.blobAttempts = opts.blobAttempts ?? 4;
    this.onBlobRetry = opts.onBlobRetry;
    this.reconnect = { attempts: 6, baseDelayMs: 250, maxDelayMs: 5_000, ...opts.reconnect };
  }

  /**
   * Connects: checks the signature is accepted and the instance runs the same format version
   * (FERRY_E_VERSION naming both otherwise).
   */
  static async open(opts: RemoteStoreOptions): Promise<RemoteStore> {
    const store = new RemoteStore(opts);
    try {
      store.info = await store.check();
      return store;
    } catch (e) {
      store.client.close();
      throw e;
    }
  }

  async check(): Promise<CheckResponse> {
    const info = await this.client.json<CheckResponse>('POST', `${SYNC_PREFIX}/check`, { body: {}, what: 'check the connection' });
    assertSameFormat(FORMAT_VERSION, info, this.url);
    return info;
  }

  // ---- reads ---------------------------------------------------------------------------------

  /** Deployed commit, drift flag, change-log position and (unless `objects: false`) the hash index. */
  async state(opts: { objects?: boolean } = {}): Promise<StateResponse> {
    return this.client.json<StateResponse>('GET', `${SYNC_PREFIX}/state${opts.objects === false ? '?objects=0' : ''}`, { what: 'read its state' });
  }

  async index(): Promise<StoredObjectInfo[]> {
    return ((await this.state()).objects ?? []).map(decodeInfo);
  }

  async getObjects(keys: readonly string[]): Promise<Map<string, StoredObject>> {
    const out = new Map<string, StoredObject>();
    if (keys.length === 0) return out;
    const found = await this.client.json<StoredObject[]>('POST', `${SYNC_PREFIX}/objects/query`, { body: { keys }, what: 'read objects' });
    for (const o of found) out.set(o.key, o);
    return out;
  }

  async findByCodeNames(pairs: readonly { kind: ObjectKind; codeName: string }[]): Promise<StoredObjectInfo[]> {
    if (pairs.length === 0) return [];
    const res = await this.client.send('POST', `${SYNC_PREFIX}/objects/by-code-name`, {
      body: { pairs: pairs.map((p) => [p.kind, p.codeName]) },
      accept: [404],
      what: 'find objects by code name',
    });
    // An instance from before this endpoint: filter its hash index, as the listing path would.
    if (res.status === 404) {
      const wanted = new Set(pairs.map((p) => `${p.kind}\u0000${p.codeName}`));
      return (await this.index()).filter((i) => wanted.has(`${i.kind}\u0000${i.codeName}`));
    }
    return JSON.parse(res.body.toString('utf8')) as StoredObjectInfo[];
  }

  /** Index rows of these keys: the instance's object query, without the bodies (no lighter endpoint yet). */
  async getInfos(keys: readonly string[]): Promise<StoredObjectInfo[]> {
    return [...(await this.getObjects(keys)).values()].map(({ object: _object, ...info }) => info);
  }

  async findReferrers(keys: readonly string[]): Promise<StoredObjectInfo[]> {
    if (keys.length === 0) return [];
    const res = await this.client.send('POST', `${SYNC_PREFIX}/objects/referrers`, { body: { keys }, accept: [404], what: 'find referrers' });
    // An instance from before this endpoint: every item and page may refer (the plan validates them again).
    if (res.status === 404) return (await this.index()).filter((i) => i.kind === 'contentItem' || i.kind === 'page');
    return JSON.parse(res.body.toString('utf8')) as StoredObjectInfo[];
  }

  async listObjects(kinds?: readonly ObjectKind[]): Promise<StoredObject[]> {
    const q = kinds === undefined ? '' : `?kinds=${kinds.map(encodeURIComponent).join(',')}`;
    return this.client.json<StoredObject[]>('GET', `${SYNC_PREFIX}/objects${q}`, { what: 'list objects' });
  }

  async drift(): Promise<{ changed: StoredObjectInfo[]; added: StoredObjectInfo[]; deleted: StoredObjectInfo[] }> {
    return this.client.json('GET', `${SYNC_PREFIX}/drift`, { what: 'read drift' });
  }

  async hasDrift(): Promise<boolean> {
    return (await this.state({ objects: false })).hasDrift;
  }

  async lastSuccessfulDeployment(): Promise<DeploymentRecord | undefined> {
    return (await this.state({ objects: false })).deployed ?? undefined;
  }

  async deployments(opts: { limit?: number } = {}): Promise<DeploymentRecord[]> {
    const q = opts.limit === undefined ? '' : `?limit=${Math.max(0, Math.floor(opts.limit))}`;
    return this.client.json<DeploymentRecord[]>('GET', `${SYNC_PREFIX}/deployments${q}`, { what: 'list deployments' });
  }

  async getDeployment(id: number): Promise<DeploymentRecord | undefined> {
    const res = await this.client.send('GET', `${SYNC_PREFIX}/deployments/${encodeId(id)}`, { accept: [404], what: `read deployment #${id}` });
    return res.status === 404 ? undefined : (JSON.parse(res.body.toString('utf8')) as DeploymentRecord);
  }

  async changes(afterSeq: number, limit: number): Promise<ChangeEvent[]> {
    return this.client.json<ChangeEvent[]>('GET', `${SYNC_PREFIX}/changes?after=${Math.floor(afterSeq)}&limit=${Math.max(0, Math.floor(limit))}`, { what: 'read the change log' });
  }

  async lastChangeSeq(): Promise<number> {
    return (await this.state({ objects: false })).lastChangeSeq;
  }

  // ---- blobs ---------------------------------------------------------------------------------

  async hasBlob(sha256: string): Promise<boolean> {
    assertSha256(sha256);
    const res = await this.client.send('HEAD', `${SYNC_PREFIX}/blobs/${sha256}`, { accept: [404], what: `look up blob ${sha256}` });
    return res.status !== 404;
  }

  /** Of these blob ids, the ones the instance lacks (one request instead of one HEAD each). */
  async missingBlobs(sha256s: readonly string[]): Promise<string[]> {
    for (const s of sha256s) assertSha256(s);
    if (!sha256s.length) return [];
    return (await this.client.json<{ missing: string[] }>('POST', `${SYNC_PREFIX}/blobs/missing`, { body: { sha256: sha256s }, what: 'look up blobs' })).missing;
  }

  async putBlob(sha256: string, bytes: Uint8Array): Promise<void> {
    assertSha256(sha256);
    // Checked here too, so a wrong blob is refused before it crosses the network.
    const actual = sha256Hex(bytes);
    if (actual !== sha256) {
      throw new FerryError('FERRY_E_ASSET', `Blob bytes do not match their sha256: expected ${sha256}, got ${actual} (${bytes.byteLength} bytes).`, {
        data: { expected: sha256, actual, size: bytes.byteLength },
      });
    }
    await this.client.send('PUT', `${SYNC_PREFIX}/blobs/${sha256}`, { body: bytes, bodySha256: sha256, headers: this.leaseHeaders(), what: `upload blob ${sha256}` });
  }

  /**
   * Streams a blob up (memory flat whatever its size); a try that breaks off or meets a 5xx is
   * retried for this blob alone, from its first byte. The instance stores it only when its
   * sha256 and size match.
   */
  async putBlobStream(sha256: string, size: number, open: () => AsyncIterable<Uint8Array>): Promise<void> {
    assertSha256(sha256);
    // Refused here, unsent: an instance answers an oversized upload early and drops the connection,
    // which a client still sending may see as a broken connection (and retry) instead of the answer.
    const limit = this.info?.maxBlobBytes;
    if (limit !== undefined && size > limit) {
      throw new FerryError('FERRY_E_ASSET_LIMIT', `${this.client.shownUrl} accepts blobs of at most ${formatSize(limit)}; blob ${sha256} is ${formatSize(size)} (its assets.maxSize).`, {
        data: { limit, size, sha256 },
      });
    }
    // Hashed here too: when the instance refuses the bytes, this tells a wrong source (our bytes do
    // not match their id: FERRY_E_ASSET) from bytes altered on the way (the instance's FERRY_E_AUTH).
    let sent = { size: 0, sha256: '' };
    const hashed = async function* (): AsyncIterable<Uint8Array> {
      const hash = createHash('sha256');
      let n = 0;
      for await (const chunk of open()) {
        hash.update(chunk);
        n += chunk.byteLength;
        yield chunk;
      }
      sent = { size: n, sha256: hash.digest('hex') };
    };
    try {
      await this.sendBlob(sha256, size, hashed);
    } catch (e) {
      if (sent.sha256 && (sent.sha256 !== sha256 || sent.size !== size)) {
        throw new FerryError('FERRY_E_ASSET', `Blob bytes do not match their id: expected ${sha256} (${size} bytes), got ${sent.sha256} (${sent.size} bytes); nothing was stored.`, {
          data: { expected: sha256, actual: sent.sha256, size: sent.size, expectedSize: size },
          cause: e,
        });
      }
      throw e;
    }
  }

  private async sendBlob(sha256: string, size: number, open: () => AsyncIterable<Uint8Array>): Promise<void> {
    await this.client.sendStream('PUT', `${SYNC_PREFIX}/blobs/${sha256}`, {
      size,
      open,
      bodySha256: sha256,
      headers: this.leaseHeaders(),
      what: `upload blob ${sha256}`,
      attempts: this.blobAttempts,
      onRetry: this.onBlobRetry && ((attempt, error) => this.onBlobRetry!(sha256, attempt, error)),
    });
  }

  async readBlob(sha256: string): Promise<Uint8Array | undefined> {
    assertSha256(sha256);
    const res = await this.client.send('GET', `${SYNC_PREFIX}/blobs/${sha256}`, { accept: [404], what: `read blob ${sha256}` });
    if (res.status === 404) return undefined;
    if (sha256Hex(res.body) !== sha256) {
      throw new FerryError('FERRY_E_ASSET', `The instance at ${this.url} sent blob ${sha256} with other bytes (sha256 ${sha256Hex(res.body)}).`, { data: { sha256 } });
    }
    return new Uint8Array(res.body);
  }

  // ---- deployments ---------------------------------------------------------------------------

  async startDeployment(d: NewDeployment): Promise<DeploymentRecord> {
    return this.client.json<DeploymentRecord>('POST', `${SYNC_PREFIX}/deployments`, { body: d, headers: this.leaseHeaders(), what: 'record a new deployment' });
  }

  /**
   * Posts the package and waits for its task. The instance applies it in one transaction of its
   * store, in arrival order; a failed task leaves that store as it was and rejects here.
   */
  async commitDeployment(
    id: number,
    writes: readonly StoreWrite[],
    events: readonly ChangeEvent[],
    counts: DeploymentCounts,
    finishedAt: string,
    status: 'succeeded' | 'no-op' = 'succeeded',
  ): Promise<DeploymentRecord> {
    this.assertLeasesHeld();
    // A fresh idempotency key: however often the package goes up, the instance applies it once.
    const packageKey = randomBytes(16).toString('hex');
    const pkg: SyncPackage = { deploymentId: id, packageKey, writes: [...writes], events: [...events], counts, finishedAt, status };
    // The query (signed) names the package, so the instance checks all but its body before reading it.
    const post = () => this.client.json<SyncTask>('POST', `${SYNC_PREFIX}/packages?deployment=${id}&key=${packageKey}`, { body: pkg, headers: this.leaseHeaders(), what: `accept the package of deployment #${id}` });
    let task: SyncTask;
    try {
      task = await post();
    } catch (e) {
      if (!isConnectionDrop(e)) throw e;
      task = await this.recoverPackage(id, packageKey, post, e);
    }
    const done = await this.waitForTask(task);
    if (done.status === 'Completed' && done.deployment) return done.deployment;
    throw fromWireError(done.error ?? { code: 'FERRY_E_STORE', message: `task #${done.id} failed` }, `Task #${done.id} on ${this.url} (deployment #${id}) failed; nothing was applied`);
  }

  async failDeployment(id: number, diagnostics: readonly Diagnostic[], message: string, finishedAt: string): Promise<DeploymentRecord> {
    return this.client.json<DeploymentRecord>('POST', `${SYNC_PREFIX}/deployments/${encodeId(id)}/fail`, {
      body: { diagnostics, message, finishedAt },
      headers: this.leaseHeaders(),
      what: `record deployment #${id} as failed`,
    });
  }

  /**
   * The connection dropped while the package went up: it may have arrived (and even be applied)
   * or not. Reconnects with backoff and asks the instance by the package's key: its task when it
   * arrived, or "never received", and then sends it again under the same key. Only when the
   * instance cannot be asked at all does this give up, saying the outcome is unknown.
   */
  private async recoverPackage(id: number, packageKey: string, post: () => Promise<SyncTask>, first: unknown): Promise<SyncTask> {
    let last = first;
    const started = Date.now();
    for (let attempt = 1; attempt <= this.reconnect.attempts; attempt++) {
      await sleep(this.backoff(attempt));
      try {
        const res = await this.client.send('GET', `${SYNC_PREFIX}/packages/${packageKey}`, { accept: [404], what: `ask what became of the package of deployment #${id}` });
        if (res.status !== 404) return JSON.parse(res.body.toString('utf8')) as SyncTask;
        return await post();
      } catch (e) {
        if (!isConnectionDrop(e)) throw e;
        last = e;
      }
    }
    const cause = last instanceof FerryError ? String(last.data.cause ?? last.message) : String(last);
    throw new FerryError(
      'FERRY_E_UNREACHABLE',
      `The connection to ${this.url} dropped while sending the package of deployment #${id}, and the instance could not be asked again what became of it (${this.reconnect.attempts} attempts over ${Math.round((Date.now() - started) / 1000)} s; last: ${cause}). The deployment may or may not have been applied.`,
      {
        data: { url: this.url, deploymentId: id, packageKey, outcome: 'unknown' },
        hint: `When the instance is reachable again, \`ferry history\` shows whether deployment #${id} succeeded (or GET ${SYNC_PREFIX}/packages/${packageKey}); deploying again is safe either way.`,
        cause: last,
      },
    );
  }

  private backoff(attempt: number): number {
    return Math.min(this.reconnect.maxDelayMs, this.reconnect.baseDelayMs * 2 ** (attempt - 1));
  }

  /** Long-polls a task until it is Completed or Failed, reconnecting (with backoff) after a dropped connection. */
  async waitForTask(task: SyncTask): Promise<SyncTask> {
    const deadline = Date.now() + this.taskTimeoutMs;
    let current = task;
    let drops = 0;
    this.onTask?.(current);
    while (current.status === 'Queued' || current.status === 'Restoring') {
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new FerryError('FERRY_E_UNREACHABLE', `Task #${task.id} on ${this.url} is still ${current.status} after ${Math.round(this.taskTimeoutMs / 1000)} s; it may still complete.`, {
          data: { task: task.id },
          hint: `Look at it with GET ${SYNC_PREFIX}/tasks/${task.id}, or run \`ferry status\` later.`,
        });
      }
      try {
        current = await this.client.json<SyncTask>('GET', `${SYNC_PREFIX}/tasks/${task.id}?wait=${Math.min(20_000, left)}`, { what: `report task #${task.id}` });
        drops = 0;
      } catch (e) {
        if (!isConnectionDrop(e) || ++drops > this.reconnect.attempts) {
          if (!(e instanceof FerryError) || e.code !== 'FERRY_E_UNREACHABLE') throw e;
          throw new FerryError('FERRY_E_UNREACHABLE', `${e.message}. The instance had accepted the package of deployment #${task.deploymentId} as task #${task.id} (${current.status} when last seen); it may still complete.`, {
            data: { ...e.data, task: task.id, deploymentId: task.deploymentId, outcome: 'unknown' },
            hint: `When the instance is reachable again, \`ferry history\` shows whether deployment #${task.deploymentId} succeeded (or GET ${SYNC_PREFIX}/tasks/${task.id}).`,
            cause: e,
          });
        }
        await sleep(this.backoff(drops));
        continue;
      }
      this.onTask?.(current);
    }
    return current;
  }

  async tasks(opts: { limit?: number } = {}): Promise<SyncTask[]> {
    return this.client.json<SyncTask[]>('GET', `${SYNC_PREFIX}/tasks${opts.limit === undefined ? '' : `?limit=${opts.limit}`}`, { what: 'list tasks' });
  }

  // ---- lock ----------------------------------------------------------------------------------

  /**
   * Takes the instance's deployment lock as a lease, renewed in the background until released.
   * A client that dies stops renewing and the instance frees the lock when the lease lapses.
   */
  async acquireLock(holder: LockHolder, timeoutMs: number): Promise<() => Promise<void>> {
    const deadline = Date.now() + Math.max(0, timeoutMs);
    let lease: LockResponse;
    for (;;) {
      const waitMs = Math.max(0, Math.min(this.lockPollMs, deadline - Date.now()));
      const res = await this.client.send('POST', `${SYNC_PREFIX}/lock`, { body: { holder, waitMs }, accept: [409], what: 'take the deployment lock' });
      const body = JSON.parse(res.body.toString('utf8')) as LockResponse | { success: false; error: { code: string; message: string } };
      if (res.status !== 409) {
        lease = body as LockResponse;
        break;
      }
      const err = (body as { error: { code: string; message: string; hint?: string; data?: Record<string, unknown> } }).error;
      if (err.code !== 'FERRY_E_LOCK' || Date.now() >= deadline) {
        throw fromWireError(err, `The environment at ${this.url} is locked`);
      }
    }
    const token = lease.token;
    const entry: { timer: NodeJS.Timeout; lost?: FerryError } = {
      timer: setInterval(() => {
        this.client.send('POST', `${SYNC_PREFIX}/lock/${token}/renew`, { body: {}, what: 'renew the deployment lock' }).catch((e: unknown) => {
          if (e instanceof FerryError && e.code === 'FERRY_E_LOCK') entry.lost = e;
        });
      }, Math.max(250, Math.floor(lease.leaseMs / 3))),
    };
    entry.timer.unref();
    this.leases.set(token, entry);
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      clearInterval(entry.timer);
      this.leases.delete(token);
      // Best effort: an unreachable instance frees the lease when it lapses.
      await this.client.send('DELETE', `${SYNC_PREFIX}/lock/${token}`, { what: 'release the deployment lock' }).catch(() => undefined);
    };
  }

  /** A client of another instance serves no delivery API: that instance does, from its own store. */
  deliveryReads(): undefined {
    return undefined;
  }

  async close(): Promise<void> {
    for (const [token, entry] of this.leases) {
      clearInterval(entry.timer);
      await this.client.send('DELETE', `${SYNC_PREFIX}/lock/${token}`, { what: 'release the deployment lock' }).catch(() => undefined);
    }
    this.leases.clear();
    this.client.close();
  }

  private leaseHeaders(): Record<string, string> {
    const tokens = [...this.leases.keys()];
    return tokens.length ? { [LEASE_HEADER]: tokens.join(',') } : {};
  }

  private assertLeasesHeld(): void {
    for (const entry of this.leases.values()) if (entry.lost) throw entry.lost;
  }
}

/** The "exactly the same version" rule: a client refuses an instance of another format version. */
export function assertSameFormat(local: number, remote: Pick<CheckResponse, 'formatVersion' | 'version'>, url: string): void {
  if (remote.formatVersion !== local) {
    throw new FerryError(
      'FERRY_E_VERSION',
      `The instance at ${url} runs Ferry ${remote.version} with format version ${remote.formatVersion}; this client has format version ${local}. Both sides must run the same format version.`,
      { data: { url, localFormatVersion: local, remoteFormatVersion: remote.formatVersion, remoteVersion: remote.version } },
    );
  }
}

function encodeId(id: number): string {
  if (!Number.isSafeInteger(id)) throw new FerryError('FERRY_E_USAGE', `Invalid deployment id ${String(id)}.`);
  return String(id);
}

/**
 * A request that failed because the connection did (reset, refused, timed out, instance
 * restarting): worth asking again. TLS failures and answers from the instance are not.
 */
function isConnectionDrop(e: unknown): boolean {
  if (!(e instanceof FerryError) || e.code !== 'FERRY_E_UNREACHABLE') return false;
  return !/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/.test(String(e.data.cause ?? ''));
}
