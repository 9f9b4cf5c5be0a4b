/**
 * The canonical shape of an object before it becomes text: maps as ordered entries in each kind's
 * fixed key order (docs/file-format.md), `variants` and `metadata` sorted by key, empty `fields`
 * maps left out. Field values stay as they are; the emitters sort their maps by key.
 */
import {
  compareCodePoints,
  type Asset,
  type Channel,
  type ContentItem,
  type ContentType,
  type FerryObject,
  type FieldDefinition,
  type FieldValidation,
  type Page,
  type SubFieldDefinition,
} from '../model/index.js';

/** Ordered entries of a map as written; `undefined` values are left out. */
export type Entries = ReadonlyArray<readonly [string, unknown]>;

/** Marks a list of entries as an already-ordered map (as opposed to a value map to sort). */
export class Ordered {
  constructor(readonly entries: Entries) {}
}

/** The whole object as an ordered map. */
export function objectTree(o: FerryObject): Ordered {
  return new Ordered(objectEntries(o));
}

/** The top-level keys of each kind, in canonical order. */
export function objectEntries(o: FerryObject): Entries {
  switch (o.kind) {
    case 'language':
      return [['kind', o.kind], ['codeName', o.codeName], ['displayName', o.displayName], ['isDefault', o.isDefault], ['fallback', o.fallback]];
    case 'workspace':
      return [
        ['kind', o.kind],
        ['guid', o.guid],
        ['codeName', o.codeName],
        ['displayName', o.displayName],
        ['workflow', o.workflow?.map((step) => ordered([['codeName', step.codeName], ['displayName', step.displayName]]))],
      ];
    case 'assetFolder':
      return [['kind', o.kind], ['guid', o.guid], ['codeName', o.codeName], ['displayName', o.displayName]];
    case 'contentFolder':
      return [['kind', o.kind], ['guid', o.guid], ['codeName', o.codeName], ['displayName', o.displayName], ['workspace', o.workspace], ['parent', o.parent]];
    case 'channel':
      return channelEntries(o);
    case 'contentType':
      return contentTypeEntries(o);
    case 'asset':
      return assetEntries(o);
    case 'contentItem':
      return itemEntries(o);
    case 'page':
      return pageEntries(o);
  }
}

function channelEntries(o: Channel): Entries {
  return [
    ['kind', o.kind],
    ['guid', o.guid],
    ['codeName', o.codeName],
    ['displayName', o.displayName],
    ['type', o.type],
    ['primaryLanguage', o.primaryLanguage],
    ['languages', o.languages],
    ['domains', o.domains],
  ];
}

function contentTypeEntries(o: ContentType): Entries {
  return [
    ['kind', o.kind],
    ['guid', o.guid],
    ['codeName', o.codeName],
    ['displayName', o.displayName],
    ['usage', o.usage],
    ['description', o.description],
    ['labels', labelsValue(o.labels)],
    ['fields', o.fields.map((f) => ordered(fieldDefinitionEntries(f)))],
  ];
}

function fieldDefinitionEntries(f: FieldDefinition): Entries {
  return [
    ['guid', f.guid],
    ['name', f.name],
    ['label', f.label],
    ['labels', labelsValue(f.labels)],
    ['type', f.type],
    ['format', f.format],
    ['required', f.required],
    ['localized', f.localized],
    ['default', f.default],
    ['validation', f.validation === undefined ? undefined : ordered(validationEntries(f.validation))],
    ...structuredEntries(f),
  ];
}

/** Sub-fields (object) and block types (blocks), after everything else a field has. */
function structuredEntries(f: SubFieldDefinition): Entries {
  return [
    ['fields', f.fields?.map((s) => ordered(subFieldEntries(s)))],
    [
      'blockTypes',
      f.blockTypes?.map((t) => ordered([['guid', t.guid], ['name', t.name], ['label', t.label], ['fields', (t.fields ?? []).map((s) => ordered(subFieldEntries(s)))]])),
    ],
  ];
}

function subFieldEntries(f: SubFieldDefinition): Entries {
  return [
    ['guid', f.guid],
    ['name', f.name],
    ['label', f.label],
    ['type', f.type],
    ['format', f.format],
    ['required', f.required],
    ['validation', f.validation === undefined ? undefined : ordered(validationEntries(f.validation))],
    ...structuredEntries(f),
  ];
}

function validationEntries(v: FieldValidation): Entries {
  return [
    ['minLength', v.minLength],
    ['maxLength', v.maxLength],
    ['min', v.min],
    ['max', v.max],
    ['pattern', v.pattern],
    ['minItems', v.minItems],
    ['maxItems', v.maxItems],
    ['allowedTypes', v.allowedTypes],
    ['allowedValues', v.allowedValues],
    ['allowedKinds', v.allowedKinds],
  ];
}

function assetEntries(o: Asset): Entries {
  const metadata = o.metadata ?? {};
  return [
    ['kind', o.kind],
    ['guid', o.guid],
    ['codeName', o.codeName],
    ['folder', o.folder],
    ['fileName', o.fileName],
    ['mediaType', o.mediaType],
    ['size', o.size],
    ['sha256', o.sha256],
    ['source', o.source ? ordered([['url', o.source.url], ['sha256', o.source.sha256], ['size', o.source.size]]) : undefined],
    [
      'metadata',
      nonEmpty(metadata) ? sortedMap(metadata, (m) => ordered([['title', m.title], ['alt', m.alt]])) : undefined,
    ],
  ];
}

function itemEntries(o: ContentItem): Entries {
  return [
    ['kind', o.kind],
    ['guid', o.guid],
    ['codeName', o.codeName],
    ['contentType', o.contentType],
    ['workspace', o.workspace],
    ['folder', o.folder],
    ['fields', fieldsValue(o.fields)],
    [
      'variants',
      sortedMap(o.variants, (v) => ordered([['status', v.status], ['step', v.step], ['displayName', v.displayName], ['fields', fieldsValue(v.fields)]])),
    ],
  ];
}

function pageEntries(o: Page): Entries {
  return [
    ['kind', o.kind],
    ['guid', o.guid],
    ['codeName', o.codeName],
    ['contentType', o.contentType],
    ['channel', o.channel],
    ['parent', o.parent],
    ['order', o.order],
    ['fields', fieldsValue(o.fields)],
    [
      'variants',
      sortedMap(o.variants, (v) =>
        ordered([['status', v.status], ['step', v.step], ['displayName', v.displayName], ['slug', v.slug], ['fields', fieldsValue(v.fields)]]),
      ),
    ],
  ];
}

const ordered = (entries: Entries): Ordered => new Ordered(entries);

/** Localized labels: by language code, sorted; each `name, description`. */
function labelsValue(labels: Record<string, { name?: string; description?: string }> | undefined): Ordered | undefined {
  return labels === undefined ? undefined : sortedMap(labels, (l) => ordered([['name', l.name], ['description', l.description]]));
}

function sortedMap<V>(record: Record<string, V>, value: (v: V) => unknown): Ordered {
  return new Ordered(
    Object.keys(record)
      .sort(compareCodePoints)
      .map((k) => [k, value(record[k])] as const),
  );
}

/** Field-value maps are omitted when empty; their values are arbitrary YAML, maps sorted. */
function fieldsValue(fields: Record<string, unknown> | undefined): unknown {
  return fields !== undefined && nonEmpty(fields) ? fields : undefined;
}

function nonEmpty(o: object): boolean {
  for (const _ in o) return true;
  return false;
}

/** The entries of a plain object (field values, json maps), sorted by key in code-point order. */
export function sortedEntries(o: Record<string, unknown>): Entries {
  return Object.keys(o)
    .sort(compareCodePoints)
    .map((k) => [k, o[k]] as const);
}

/** Whether a value is a plain map (not a list, not a class instance). */
export function isPlainObject(v: object): v is Record<string, unknown> {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

export function describeValue(v: unknown): string {
  if (v === null || typeof v !== 'object') return typeof v;
  return (v as object).constructor?.name ?? 'object';
}
