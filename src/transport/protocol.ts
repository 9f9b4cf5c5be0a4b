import { ERROR_CATALOG, type ErrorCode } from '../errors/catalog.js';
import { FerryError } from '../errors/index.js';
import type {
  ChangeEvent,
  DeploymentCounts,
  DeploymentRecord,
  Diagnostic,
  LockHolder,
  ObjectKind,
  StoreWrite,
  StoredObjectInfo,
} from '../model/index.js';

/** Every sync endpoint lives below this path; all of them require a signature. */
export const SYNC_PREFIX = '/api/sync';

/**
 * The sync protocol's own version, checked by `POST /api/sync/check` together with Ferry's
 * format version. Bump it when a request or response shape changes incompatibly.
 */
export const SYNC_PROTOCOL_VERSION = 1;

/** Sent with writes while a client holds the instance's lock, so the instance can tie them to it. */
export const LEASE_HEADER = 'x-ferry-lease';

/** `POST /api/sync/check` answer. */
export interface CheckResponse {
  success: true;
  /** Ferry's version (package.json) on the instance. */
  version: string;
  /** Ferry's file/store format version on the instance: must equal the client's. */
  formatVersion: number;
  protocolVersion: number;
  environment: string;
  /** Largest blob the instance accepts (its `assets.maxSize`); absent from older instances. */
  maxBlobBytes?: number;
}

/** `GET /api/sync/state`: what a plan needs from the instance. */
export interface StateResponse {
  environment: string;
  /** Last succeeded (or no-op) deployment; its toCommit is the deployed commit. */
  deployed: DeploymentRecord | null;
  hasDrift: boolean;
  lastChangeSeq: number;
  /** The object hash index as tuples (see `encodeInfo`); absent with `?objects=0`. */
  objects?: InfoTuple[];
}

/** `[key, kind, codeName, path, sourceHash, guid, contentType, drift]`: arrays parse faster than objects. */
export type InfoTuple = [string, string, string, string, string, string | null, string | null, string | null];

export function encodeInfo(i: StoredObjectInfo): InfoTuple {
  return [i.key, i.kind, i.codeName, i.path, i.sourceHash, i.guid ?? null, i.contentType ?? null, i.drift ?? null];
}

export function decodeInfo(t: InfoTuple): StoredObjectInfo {
  const info: StoredObjectInfo = { key: t[0], kind: t[1] as ObjectKind, codeName: t[2], path: t[3], sourceHash: t[4] };
  if (t[5] !== null) info.guid = t[5];
  if (t[6] !== null) info.contentType = t[6];
  if (t[7] !== null) info.drift = t[7] as 'changed' | 'added';
  return info;
}

/** `POST /api/sync/packages` body: one deployment's writes, applied as one transaction by a task. */
export interface SyncPackage {
  deploymentId: number;
  /**
   * Idempotency key (16–128 URL-safe characters, fresh per package): the instance keeps ONE task
   * per key, so a package sent again after a dropped connection is never applied twice, and
   * `GET /api/sync/packages/:key` tells the client what became of it.
   */
  packageKey?: string;
  writes: StoreWrite[];
  events: ChangeEvent[];
  counts: DeploymentCounts;
  finishedAt: string;
  status: 'succeeded' | 'no-op';
}

export const TASK_STATUSES = ['Queued', 'Restoring', 'Completed', 'Failed'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** A synchronization task: a received package and what became of it. */
export interface SyncTask {
  id: number;
  status: TaskStatus;
  deploymentId: number;
  /** The package's idempotency key, when it carried one. */
  packageKey?: string;
  receivedAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** Counts the package announced (the deployment's per-operation counts). */
  counts: DeploymentCounts;
  writes: number;
  events: number;
  /** Size of the package body in bytes. */
  bytes: number;
  /** Why it failed. */
  error?: WireError;
  /** The deployment record after a completed task. */
  deployment?: DeploymentRecord;
}

/** `POST /api/sync/lock` body and answer. */
export interface LockRequest {
  holder: LockHolder;
  /** How long the server may wait for the lock in this one request (it answers 409 after). */
  waitMs: number;
}
export interface LockResponse {
  token: string;
  /** The lease lapses unless renewed within this time. */
  leaseMs: number;
}

/** The error envelope of every failed request. */
export interface WireError {
  code: string;
  message: string;
  hint?: string;
  data?: Record<string, unknown>;
  diagnostics?: Diagnostic[];
}

export interface ErrorEnvelope {
  success: false;
  error: WireError;
}

/** HTTP status for an error code (the body always carries the code itself). */
export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case 'FERRY_E_AUTH':
      return 401;
    case 'FERRY_E_NOT_FOUND':
      return 404;
    case 'FERRY_E_TIMEOUT':
      return 408;
    case 'FERRY_E_LOCK':
    case 'FERRY_E_CONFLICT':
      return 409;
    case 'FERRY_E_TOO_LARGE':
    case 'FERRY_E_ASSET_LIMIT':
      return 413;
    case 'FERRY_E_UNREACHABLE':
      return 503;
    case 'FERRY_E_STORE':
    case 'FERRY_E_INTERNAL':
      return 500;
    default:
      return 400;
  }
}

export function toWireError(e: FerryError): WireError {
  const w: WireError = { code: e.code, message: e.message, hint: e.hint };
  if (Object.keys(e.data).length) w.data = e.data;
  if (e.diagnostics.length) w.diagnostics = [...e.diagnostics];
  return w;
}

/** Rebuilds a FerryError from the envelope; unknown codes (a newer server) become FERRY_E_STORE. */
export function fromWireError(w: WireError, context: string): FerryError {
  const known = Object.prototype.hasOwnProperty.call(ERROR_CATALOG, w.code);
  const code = (known ? w.code : 'FERRY_E_STORE') as ErrorCode;
  const message = known ? w.message : `${w.message} (${w.code})`;
  return new FerryError(code, `${context}: ${message}`, {
    hint: w.hint,
    data: { ...(w.data ?? {}), remote: true },
    diagnostics: w.diagnostics,
  });
}
