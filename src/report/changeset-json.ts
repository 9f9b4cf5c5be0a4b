import { summarizeChangeset, totalOpCounts, type OpCounts } from '../diff/index.js';
import type { Change, Changeset, FieldChange, ObjectKind } from '../model/index.js';
import { OBJECT_KINDS } from '../model/index.js';
import { contentTypeOf, sortKeysDeep } from './changeset-common.js';

/** Version of the JSON shape below; bumped on any incompatible change. */
export const CHANGESET_JSON_FORMAT_VERSION = 1;
export const CHANGESET_SCHEMA_ID = 'https://ferry-cms.dev/schemas/v1/changeset.schema.json';

/** The JSON document `ferry diff --format json` prints (schemas/changeset.schema.json). */
export interface ChangesetJson {
  formatVersion: 1;
  base: string | null;
  head: string | null;
  summary: OpCounts & { objects: number; byKind: Record<ObjectKind, OpCounts> };
  changes: ChangeJson[];
  /** Kind and code name of each object a changed reference points to, by guid (the values keep the guids). */
  names?: Record<string, { kind: ObjectKind; codeName: string }>;
}

export interface ChangeJson {
  op: Change['op'];
  kind: ObjectKind;
  key: string;
  guid?: string;
  codeName: string;
  path: string;
  fromPath?: string;
  fromCodeName?: string;
  contentType?: string;
  /** Git blob id of the file at `path` (for deletes: the deleted file). */
  hash: string;
  /** Git blob id of the file before an update or rename. */
  fromHash?: string;
  fields: FieldChangeJson[];
}

export interface FieldChangeJson {
  path: string;
  name: string;
  language?: string;
  before?: unknown;
  after?: unknown;
}

/** The changeset as a plain value in the documented shape, keys in a fixed order. */
export function changesetToJson(cs: Changeset): ChangesetJson {
  const summary = summarizeChangeset(cs);
  const byKind = {} as Record<ObjectKind, OpCounts>;
  for (const k of OBJECT_KINDS) byKind[k] = { ...summary[k] };
  return {
    formatVersion: CHANGESET_JSON_FORMAT_VERSION,
    base: cs.base ?? null,
    head: cs.head ?? null,
    summary: { objects: cs.changes.length, ...totalOpCounts(summary), byKind },
    changes: cs.changes.map(changeToJson),
    ...(cs.names && Object.keys(cs.names).length ? { names: Object.fromEntries(Object.keys(cs.names).sort().map((g) => [g, { kind: cs.names![g].kind, codeName: cs.names![g].codeName }])) } : {}),
  };
}

function changeToJson(c: Change): ChangeJson {
  const out: Partial<ChangeJson> = { op: c.op, kind: c.kind, key: c.key };
  // Languages are identified by their code; every other kind's key is its guid.
  if (c.kind !== 'language') out.guid = c.key;
  out.codeName = c.codeName;
  out.path = c.path;
  if (c.op === 'rename') {
    out.fromPath = c.fromPath;
    out.fromCodeName = c.fromCodeName;
  }
  const type = contentTypeOf(c);
  if (type !== undefined) out.contentType = type;
  out.hash = c.op === 'delete' ? c.before.hash : c.after.hash;
  if (c.op === 'update' || c.op === 'rename') out.fromHash = c.before.hash;
  out.fields = c.op === 'update' || c.op === 'rename' ? c.fields.map(fieldToJson) : [];
  return out as ChangeJson;
}

function fieldToJson(f: FieldChange): FieldChangeJson {
  const out: FieldChangeJson = { path: f.path, name: f.name };
  if (f.language !== undefined) out.language = f.language;
  if (f.before !== undefined) out.before = sortKeysDeep(f.before);
  if (f.after !== undefined) out.after = sortKeysDeep(f.after);
  return out;
}

/** `changesetToJson` as text: 2-space indent, final newline. */
export function renderChangesetJson(cs: Changeset): string {
  return `${JSON.stringify(changesetToJson(cs), null, 2)}\n`;
}
