import type { ChangeEvent } from './change-event.js';
import type { DeliveryReads } from './delivery-reads.js';
import type { Diagnostic } from './diagnostic.js';
import type { FerryObject, ObjectKind } from './objects.js';

export { CHANGE_EVENT_TYPES, type ChangeEvent, type ChangeEventType } from './change-event.js';

export const RESTORE_MODES = ['Create', 'CreateUpdate', 'Full'] as const;
export type RestoreMode = (typeof RESTORE_MODES)[number];

/** What a store knows of one object without loading it: enough to plan and to find drift. */
export interface StoredObjectInfo {
  key: string;
  kind: ObjectKind;
  guid?: string;
  codeName: string;
  /** Content type code name of items and pages (lets validation check reference targets without loading them). */
  contentType?: string;
  /** Repository path of the file the object was restored from. */
  path: string;
  /** Git blob id of the file it was restored from (what the repository had). */
  sourceHash: string;
  /**
   * Set when the object was written outside Ferry since Ferry last wrote it: `changed` (edited)
   * or `added` (created outside Ferry: `path` and `sourceHash` are then empty). Absent when clean.
   */
  drift?: 'changed' | 'added';
}

export interface StoredObject extends StoredObjectInfo {
  object: FerryObject;
}

/** One write of a deployment, applied in order inside one transaction. */
export type StoreWrite =
  | { op: 'put'; object: FerryObject; path: string; sourceHash: string }
  | { op: 'delete'; key: string; kind: ObjectKind };

export type DeploymentStatus = 'running' | 'succeeded' | 'failed' | 'no-op';

export interface DeploymentCounts {
  create: number;
  update: number;
  delete: number;
  rename: number;
  publish: number;
  unpublish: number;
  skip: number;
}

export interface DeploymentRecord {
  id: number;
  environment: string;
  fromCommit?: string;
  toCommit?: string;
  /** For deploys from a working folder: `working-tree`. */
  source: string;
  tag?: string;
  mode: RestoreMode;
  actor: string;
  startedAt: string;
  finishedAt?: string;
  status: DeploymentStatus;
  counts: DeploymentCounts;
  diagnostics: Diagnostic[];
  /** Free text: why it failed, or what it was (e.g. `rollback to #3`). */
  message?: string;
  /** Digest of the repository config parts that shape a plan (folder, kinds, filters, limits). */
  configDigest?: string;
}

export type NewDeployment = Omit<DeploymentRecord, 'id' | 'finishedAt' | 'status' | 'counts' | 'diagnostics'>;

/**
 * The environment store port. Every local store (SQLite, later PostgreSQL) passes the same
 * contract test suite. All writes of a deployment go through `commitDeployment`, which is atomic.
 */
export interface Store {
  readonly url: string;
  /** Cheap index of every object: key, kind, code name, path, hashes. */
  index(): Promise<StoredObjectInfo[]>;
  /** Full objects for the given keys (missing keys are absent from the map). */
  getObjects(keys: readonly string[]): Promise<Map<string, StoredObject>>;
  /**
   * Index rows of the objects with these (kind, code name) pairs: lets an incremental plan check
   * code-name clashes without reading the whole index.
   */
  findByCodeNames(pairs: readonly { kind: ObjectKind; codeName: string }[]): Promise<StoredObjectInfo[]>;
  /**
   * Index rows of these keys, without the objects' bodies: what a plan needs of the objects the
   * changed ones merely reference.
   */
  getInfos(keys: readonly string[]): Promise<StoredObjectInfo[]>;
  /**
   * Index rows of the objects that may reference any of these keys (see `contentReferenceKeys`):
   * what a plan validates again when those keys are deleted, without reading the whole target.
   */
  findReferrers(keys: readonly string[]): Promise<StoredObjectInfo[]>;
  /** Every object of the given kinds (all kinds when omitted), sorted by kind order then key. */
  listObjects(kinds?: readonly ObjectKind[]): Promise<StoredObject[]>;

  hasBlob(sha256: string): Promise<boolean>;
  /** Stores bytes under their sha256 (verified); idempotent. Blobs are written before the transaction commits. */
  putBlob(sha256: string, bytes: Uint8Array): Promise<void>;
  readBlob(sha256: string): Promise<Uint8Array | undefined>;
  /**
   * Stores a blob from chunks, checking its sha256 and size as they stream by: memory stays flat
   * whatever the blob's size, and bytes that do not match are never stored (FERRY_E_ASSET).
   * `open` is called again for each attempt a store makes (a remote store retries per blob).
   */
  putBlobStream(sha256: string, size: number, open: () => AsyncIterable<Uint8Array>): Promise<void>;

  /** Records a deployment as running and returns it (with its id). */
  startDeployment(d: NewDeployment): Promise<DeploymentRecord>;
  /**
   * Applies every write and event and marks the deployment succeeded, in ONE transaction. On any
   * error nothing is applied and the promise rejects; call `failDeployment` to record why.
   */
  commitDeployment(id: number, writes: readonly StoreWrite[], events: readonly ChangeEvent[], counts: DeploymentCounts, finishedAt: string, status?: 'succeeded' | 'no-op'): Promise<DeploymentRecord>;
  failDeployment(id: number, diagnostics: readonly Diagnostic[], message: string, finishedAt: string): Promise<DeploymentRecord>;
  deployments(opts?: { limit?: number }): Promise<DeploymentRecord[]>;
  getDeployment(id: number): Promise<DeploymentRecord | undefined>;
  /** The last succeeded (or no-op) deployment: its toCommit is the environment's deployed commit. */
  lastSuccessfulDeployment(): Promise<DeploymentRecord | undefined>;

  /** Change-log events with seq > afterSeq, ascending, at most `limit`. */
  changes(afterSeq: number, limit: number): Promise<ChangeEvent[]>;
  /** Highest seq written so far (0 when empty). */
  lastChangeSeq(): Promise<number>;

  /**
   * Takes the environment's deployment lock, waiting up to `timeoutMs`. A lock whose holder
   * process is gone (same host, dead pid) is stale and taken over. Rejects with FERRY_E_LOCK
   * naming the holder when the time runs out.
   */
  acquireLock(holder: LockHolder, timeoutMs: number): Promise<() => Promise<void>>;

  /**
   * Objects written outside Ferry since Ferry last wrote them: edited (`changed`), created
   * (`added`) and deleted (`deleted`: the last info Ferry had), each sorted by kind order then key.
   * Found from the store's own records, without re-reading the repository.
   */
  drift(): Promise<{ changed: StoredObjectInfo[]; added: StoredObjectInfo[]; deleted: StoredObjectInfo[] }>;
  /** Whether `drift()` would report anything. Cheap (an indexed lookup): it runs on every no-op deploy. */
  hasDrift(): Promise<boolean>;

  /**
   * What the delivery and Sync APIs read (see DeliveryReads): a local store's own reads, or
   * undefined for a store that is itself a client of another instance (it serves no delivery API).
   */
  deliveryReads(): DeliveryReads | undefined;

  close(): Promise<void>;
}

export interface LockHolder {
  pid: number;
  host: string;
  actor: string;
  since: string;
  purpose: string;
}
