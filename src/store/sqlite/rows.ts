import { FerryError } from '../../errors/index.js';
import type {
  ChangeEvent,
  ChangeEventType,
  DeploymentCounts,
  DeploymentRecord,
  DeploymentStatus,
  Diagnostic,
  FerryObject,
  ObjectKind,
  RestoreMode,
  StoredObject,
  StoredObjectInfo,
} from '../../model/index.js';

/** Row shapes as SQLite returns them, and their mapping to the model's values. */

/**
 * Columns of `objects` an index needs, in this order (read with `.raw()`: arrays are cheaper than
 * objects). All of them are in the covering index `objects_kind_code_name`. The guid is not read:
 * an object's key is its guid (languages have none), see `objectKey`.
 */
export const INFO_COLUMNS = 'key, kind, code_name, content_type, path, source_hash, drift';
export type InfoRow = [string, string, string, string | null, string | null, string | null, string | null];

export function infoFromRow(r: InfoRow): StoredObjectInfo {
  const info: StoredObjectInfo = { key: r[0], kind: r[1] as ObjectKind, codeName: r[2], path: r[4] ?? '', sourceHash: r[5] ?? '' };
  if (info.kind !== 'language') info.guid = info.key;
  if (r[3] !== null) info.contentType = r[3];
  if (r[6] !== null) info.drift = r[6] as 'changed' | 'added';
  return info;
}

export type ObjectRow = [...InfoRow, string];

export function objectFromRow(r: ObjectRow, file: string): StoredObject {
  const info = infoFromRow(r as unknown as InfoRow);
  let object: FerryObject;
  try {
    object = JSON.parse(r[7]) as FerryObject;
  } catch (e) {
    throw new FerryError('FERRY_E_STORE', `Object ${info.key} (${info.kind} ${info.codeName}) in ${file} holds invalid JSON; was it edited outside Ferry?`, {
      object: { kind: info.kind, guid: info.guid, codeName: info.codeName },
      data: { path: file, key: info.key },
      cause: e,
      hint: 'Redeploy the object from the repository to overwrite it.',
    });
  }
  return { ...info, object };
}

export interface DeploymentRow {
  id: number;
  environment: string;
  from_commit: string | null;
  to_commit: string | null;
  source: string;
  tag: string | null;
  mode: string;
  actor: string;
  started_at: string;
  finished_at: string | null;
  status: string;
  counts: string;
  diagnostics: string;
  message: string | null;
  config_digest?: string | null;
}

export const DEPLOYMENT_COLUMNS =
  'id, environment, from_commit, to_commit, source, tag, mode, actor, started_at, finished_at, status, counts, diagnostics, message, config_digest';

export function deploymentFromRow(r: DeploymentRow): DeploymentRecord {
  const d: DeploymentRecord = {
    id: r.id,
    environment: r.environment,
    source: r.source,
    mode: r.mode as RestoreMode,
    actor: r.actor,
    startedAt: r.started_at,
    status: r.status as DeploymentStatus,
    counts: JSON.parse(r.counts) as DeploymentCounts,
    diagnostics: JSON.parse(r.diagnostics) as Diagnostic[],
  };
  if (r.from_commit !== null) d.fromCommit = r.from_commit;
  if (r.to_commit !== null) d.toCommit = r.to_commit;
  if (r.tag !== null) d.tag = r.tag;
  if (r.finished_at !== null) d.finishedAt = r.finished_at;
  if (r.message !== null) d.message = r.message;
  if (r.config_digest !== null && r.config_digest !== undefined) d.configDigest = r.config_digest;
  return d;
}

export interface ChangeRow {
  seq: number;
  type: string;
  key: string;
  kind: string;
  content_type: string | null;
  locale: string | null;
  at: string;
  deployment_id: number | null;
}

export function changeFromRow(r: ChangeRow): ChangeEvent {
  const e: ChangeEvent = { seq: r.seq, type: r.type as ChangeEventType, key: r.key, kind: r.kind as ObjectKind, at: r.at };
  if (r.content_type !== null) e.contentType = r.content_type;
  if (r.locale !== null) e.locale = r.locale;
  if (r.deployment_id !== null) e.deploymentId = r.deployment_id;
  return e;
}

export const ZERO_COUNTS: DeploymentCounts = { create: 0, update: 0, delete: 0, rename: 0, publish: 0, unpublish: 0, skip: 0 };
