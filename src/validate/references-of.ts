import { pointerOf } from '../config/pointer.js';
import { forEachStructuredReference, type StructuredReference } from '../model/field-kinds.js';
import {
  GUID_RE,
  languageKey,
  type ContentItem,
  type ContentType,
  type FerryObject,
  type FieldDataType,
  type FieldDefinition,
  type ObjectKind,
  type Page,
} from '../model/objects.js';
import type { Snapshot } from '../model/snapshot.js';

/** One reference an object holds. */
export interface ObjectReference {
  /**
   * Snapshot key of the referenced object: a guid, `language:<code>`, or, for a code name the
   * lookup did not resolve (or without a lookup), `<kind>:<codeName>`.
   */
  key: string;
  /** Kind of the referenced object, when the reference says (a guid list without its content type does not). */
  kind?: ObjectKind;
  /** Set when the reference is by code name. */
  codeName?: string;
  /** Where in the referring object, as people read it: `contentType`, `fields.related`, `variants.en-US.fields.related`. */
  field?: string;
  /** JSON Pointer of the value inside the referring object. */
  pointer: string;
}

/** Resolves code-name references to snapshot keys, and finds content types to tell reference fields apart. */
export interface ReferenceLookup {
  keyOf(kind: ObjectKind, codeName: string): string | undefined;
  /** Without it (or when it finds nothing), every list of guids in a field value counts as references. */
  contentType?(codeName: string): ContentType | undefined;
}

/** The key a code-name reference gets when it does not resolve: `contentType:article`. Languages: `language:en-US`. */
export function codeNameKey(kind: ObjectKind, codeName: string): string {
  return `${kind}:${codeName}`;
}

const FIELD_REFERENCE_KIND: Partial<Record<FieldDataType, ObjectKind>> = {
  contentItems: 'contentItem',
  pages: 'page',
  assets: 'asset',
};

/** A reference held in a field value: the guid, where it is, and the field definition when known. */
export interface FieldReference {
  guid: string;
  /** Expected kind, from the field's data type (absent when the content type is unknown). */
  kind?: ObjectKind;
  fieldName: string;
  field: string;
  pointer: string;
  allowedTypes?: readonly string[];
  /** Several kinds allowed (a `references` field, a rich text embed), or the kinds a link may target. */
  allowedKinds?: StructuredReference['allowedKinds'];
  /** How it is written, when the content type is known: a guid list, a link, a media value, rich text. */
  form?: StructuredReference['form'];
}

/**
 * Calls `visit` for every reference in the fields of an item or page. With the content type,
 * these are its reference fields, links, media and rich text (links and embeds), also inside
 * object fields and blocks; without it, any list whose entries are all guids.
 */
export function forEachFieldReference(o: ContentItem | Page, ct: ContentType | undefined, visit: (r: FieldReference) => void): void {
  const scan = (values: Record<string, unknown> | undefined, base: string[]): void => {
    if (!values) return;
    if (ct) {
      forEachStructuredReference(ct.fields ?? [], values, (r) =>
        visit({
          guid: r.guid,
          ...(r.kind ? { kind: r.kind } : {}),
          fieldName: r.fieldName,
          field: [...base, r.label].join('.'),
          pointer: pointerOf([...base, ...r.segments]),
          ...(r.allowedTypes ? { allowedTypes: r.allowedTypes } : {}),
          ...(r.allowedKinds ? { allowedKinds: r.allowedKinds } : {}),
          form: r.form,
        }),
      );
      return;
    }
    for (const [name, value] of Object.entries(values)) {
      if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string' && GUID_RE.test(v))) {
        visitList(value, name, undefined, base, visit);
      }
    }
  };
  scan(o.fields, ['fields']);
  for (const [language, variant] of Object.entries(o.variants ?? {})) scan(variant?.fields, ['variants', language, 'fields']);
}

function visitList(value: unknown[], name: string, def: FieldDefinition | undefined, base: string[], visit: (r: FieldReference) => void): void {
  const field = [...base, name].join('.');
  const kind = def ? FIELD_REFERENCE_KIND[def.type] : undefined;
  value.forEach((guid, i) => {
    if (typeof guid !== 'string') return;
    visit({ guid, kind, fieldName: name, field, pointer: pointerOf([...base, name, i]), allowedTypes: def?.validation?.allowedTypes });
  });
}

/**
 * Every reference an object holds, keyed like snapshot keys, so callers can find what a change
 * touches ("changed objects plus what references them").
 *
 * @example referencesOf(item, snapshotLookup(snapshot)).map((r) => r.key)
 */
export function referencesOf(object: FerryObject, lookup?: ReferenceLookup): ObjectReference[] {
  const out: ObjectReference[] = [];
  const byName = (kind: ObjectKind, codeName: unknown, path: (string | number)[], field: string): void => {
    if (typeof codeName !== 'string') return;
    const key = kind === 'language' ? languageKey(codeName) : (lookup?.keyOf(kind, codeName) ?? codeNameKey(kind, codeName));
    out.push({ key, kind, codeName, field, pointer: pointerOf(path) });
  };
  const languagesOf = (map: Record<string, unknown> | undefined, prop: string): void => {
    for (const code of Object.keys(map ?? {})) byName('language', code, [prop, code], `${prop}.${code}`);
  };

  switch (object.kind) {
    case 'language':
      if (object.fallback !== undefined) byName('language', object.fallback, ['fallback'], 'fallback');
      break;
    case 'workspace':
    case 'assetFolder':
      break;
    case 'contentFolder':
      byName('workspace', object.workspace, ['workspace'], 'workspace');
      if (typeof object.parent === 'string') out.push({ key: object.parent, kind: 'contentFolder', field: 'parent', pointer: '/parent' });
      break;
    case 'channel':
      (object.languages ?? []).forEach((code, i) => byName('language', code, ['languages', i], 'languages'));
      byName('language', object.primaryLanguage, ['primaryLanguage'], 'primaryLanguage');
      break;
    case 'contentType':
      (object.fields ?? []).forEach((f, i) =>
        (f.validation?.allowedTypes ?? []).forEach((name, j) =>
          byName('contentType', name, ['fields', i, 'validation', 'allowedTypes', j], `fields.${f.name}.validation.allowedTypes`),
        ),
      );
      break;
    case 'asset':
      byName('assetFolder', object.folder, ['folder'], 'folder');
      languagesOf(object.metadata, 'metadata');
      break;
    case 'contentItem':
    case 'page': {
      byName('contentType', object.contentType, ['contentType'], 'contentType');
      if (object.kind === 'contentItem') {
        byName('workspace', object.workspace, ['workspace'], 'workspace');
        // A folder by guid; one by code-name path is resolved by the folder rule (rules/folders.ts).
        if (typeof object.folder === 'string' && GUID_RE.test(object.folder)) out.push({ key: object.folder, kind: 'contentFolder', field: 'folder', pointer: '/folder' });
      } else {
        byName('channel', object.channel, ['channel'], 'channel');
        if (typeof object.parent === 'string') out.push({ key: object.parent, kind: 'page', field: 'parent', pointer: '/parent' });
      }
      languagesOf(object.variants, 'variants');
      const ct = lookup?.contentType?.(object.contentType);
      forEachFieldReference(object, ct, (r) => out.push({ key: r.guid, ...(r.kind ? { kind: r.kind } : {}), field: r.field, pointer: r.pointer }));
      break;
    }
  }
  return out;
}

/** A lookup over one snapshot (first object of a code name wins, as in validation). */
export function snapshotLookup(snapshot: Snapshot): ReferenceLookup {
  const byName = new Map<string, string>();
  const types = new Map<string, ContentType>();
  for (const e of snapshot.entries.values()) {
    const k = codeNameKey(e.kind, e.codeName);
    if (!byName.has(k)) byName.set(k, e.key);
    if (e.object.kind === 'contentType' && !types.has(e.codeName)) types.set(e.codeName, e.object);
  }
  return {
    keyOf: (kind, codeName) => byName.get(codeNameKey(kind, codeName)),
    contentType: (codeName) => types.get(codeName),
  };
}

/**
 * Keys of the snapshot's objects that reference any of `keys` (one level). `keys` may hold guids,
 * `language:<code>`, or `<kind>:<codeName>` for an object known only by code name (a deleted
 * content type, say), which matches references by that code name even when they do not resolve.
 * The result may include members of `keys` that reference each other.
 */
export function findReferrers(snapshot: Snapshot, keys: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  if (keys.size === 0) return out;
  const lookup = snapshotLookup(snapshot);
  for (const entry of snapshot.entries.values()) {
    for (const ref of referencesOf(entry.object, lookup)) {
      if (keys.has(ref.key) || (ref.codeName !== undefined && ref.kind !== undefined && keys.has(codeNameKey(ref.kind, ref.codeName)))) {
        out.add(entry.key);
        break;
      }
    }
  }
  return out;
}
