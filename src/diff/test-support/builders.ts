// Literal-object builders for diff and report tests (excluded from the build).
import { createHash } from 'node:crypto';
import type {
  Asset,
  ContentItem,
  ContentType,
  FerryObject,
  FieldDefinition,
  ItemVariant,
  Language,
  Page,
  PageVariant,
  Snapshot,
  SnapshotEntry,
} from '../../model/index.js';
import { emptySnapshot, objectKey, sortedKeys } from '../../model/index.js';

export const ROOT = 'content';

/** Canonical path of an object's file, as docs/file-format.md lays files out. */
export function defaultPath(o: FerryObject): string {
  switch (o.kind) {
    case 'language':
      return `${ROOT}/languages/${o.codeName}.yaml`;
    case 'workspace':
      return `${ROOT}/workspaces/${o.codeName}.yaml`;
    case 'channel':
      return `${ROOT}/channels/${o.codeName}.yaml`;
    case 'contentType':
      return `${ROOT}/content-types/${o.codeName}.yaml`;
    case 'assetFolder':
      return `${ROOT}/assets/${o.codeName}/_folder.yaml`;
    case 'asset':
      return `${ROOT}/assets/${o.folder}/${o.codeName}.yaml`;
    case 'contentFolder':
      // Builders' folders are root folders unless a test gives the path.
      return `${ROOT}/items/${o.codeName}/_folder.yaml`;
    case 'contentItem':
      return `${ROOT}/items/${o.contentType}/${o.codeName}.yaml`;
    case 'page':
      return `${ROOT}/pages/${o.channel}/${o.codeName}.yaml`;
  }
}

/** A stand-in for the git blob id: equal objects get equal hashes. */
export function fakeHash(o: unknown): string {
  return createHash('sha1').update(stableJson(o)).digest('hex');
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const r = v as Record<string, unknown>;
    return `{${sortedKeys(r)
      .filter((k) => r[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableJson(r[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

export function entry<O extends FerryObject>(object: O, path = defaultPath(object), hash = fakeHash(object)): SnapshotEntry<O> {
  return { key: objectKey(object), kind: object.kind, codeName: object.codeName, path, hash, object };
}

export function snapshotOf(items: readonly (FerryObject | SnapshotEntry)[], commit?: string): Snapshot {
  const s = emptySnapshot();
  const entries = items.map((x) => ('object' in x ? x : entry(x)));
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const e of entries) s.entries.set(e.key, e);
  if (commit) s.commit = commit;
  return s;
}

/** Deep copy with changes applied by a mutator: keeps tests short and the original intact. */
export function edit<O extends FerryObject>(o: O, mutate: (copy: O) => void): O {
  const copy = structuredClone(o);
  mutate(copy);
  return copy;
}

export function guid(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

export function language(codeName: string, displayName: string, isDefault = false): Language {
  return { kind: 'language', codeName, displayName, isDefault };
}

export function field(n: number, name: string, type: FieldDefinition['type'], extra: Partial<FieldDefinition> = {}): FieldDefinition {
  return { guid: guid(1000 + n), name, type, required: false, localized: true, ...extra };
}

export function contentType(n: number, codeName: string, fields: FieldDefinition[], extra: Partial<ContentType> = {}): ContentType {
  return { kind: 'contentType', guid: guid(n), codeName, displayName: codeName, usage: 'reusable', fields, ...extra };
}

export function variant(displayName: string, fields: Record<string, unknown> = {}, status: ItemVariant['status'] = 'published'): ItemVariant {
  return { status, displayName, fields };
}

export function item(n: number, codeName: string, contentType: string, variants: Record<string, ItemVariant>, fields: Record<string, unknown> = {}): ContentItem {
  return { kind: 'contentItem', guid: guid(n), codeName, contentType, workspace: 'editorial', fields, variants };
}

export function page(n: number, codeName: string, variants: Record<string, PageVariant>, extra: Partial<Page> = {}): Page {
  return { kind: 'page', guid: guid(n), codeName, contentType: 'landing', channel: 'website', order: 0, fields: {}, variants, ...extra };
}

export function asset(n: number, codeName: string, extra: Partial<Asset> = {}): Asset {
  return {
    kind: 'asset',
    guid: guid(n),
    codeName,
    folder: 'photos',
    fileName: `${codeName}.jpg`,
    mediaType: 'image/jpeg',
    size: 1024,
    sha256: 'a'.repeat(64),
    metadata: { 'en-US': { title: codeName } },
    ...extra,
  };
}
