import type { ContentType, FerryObject, FieldChange, FieldDefinition } from '../model/index.js';
import { compareCodePoints, deepEqual } from '../model/index.js';

/**
 * Field-level changes between two versions of one object, with paths people read:
 * `displayName`, `fields.price`, `variants.en-US.status`, `variants.en-US.fields.title`,
 * `variants.fr-FR` (variant added or removed), `fields[body].required` (content type field
 * definitions, matched by field guid), `metadata.en-US.title` (assets), `sha256`, `parent`, `order`,
 * and inside a blocks field block by block: `variants.en-US.fields.body[1].fields.title`.
 * Values are compared deeply; the result is sorted by path in code-point order.
 */
export function diffObjects(before: FerryObject, after: FerryObject): FieldChange[] {
  const out: FieldChange[] = [];
  const b = before as unknown as Record<string, unknown>;
  const a = after as unknown as Record<string, unknown>;
  const special = specialKeys(before, after);
  for (const key of unionKeys(b, a)) {
    if (special.has(key)) continue;
    pushIfChanged(out, key, key, undefined, b[key], a[key]);
  }
  if (special.has('fields') && before.kind === 'contentType' && after.kind === 'contentType') {
    diffFieldDefinitions(out, before, after);
  } else if (special.has('fields')) {
    diffValueMap(out, 'fields', undefined, asRecord(b.fields), asRecord(a.fields));
  }
  if (special.has('variants')) diffLanguageMaps(out, 'variants', asRecord(b.variants), asRecord(a.variants), diffVariant);
  if (special.has('metadata')) diffLanguageMaps(out, 'metadata', asRecord(b.metadata), asRecord(a.metadata), diffMetadata);
  return out.sort((x, y) => compareCodePoints(x.path, y.path));
}

/** Keys with a nested rule, when both versions are of a kind that has them. */
function specialKeys(before: FerryObject, after: FerryObject): Set<string> {
  const keys = new Set<string>();
  if (before.kind !== after.kind) return keys;
  switch (before.kind) {
    case 'contentItem':
    case 'page':
      keys.add('fields').add('variants');
      break;
    case 'contentType':
      keys.add('fields');
      break;
    case 'asset':
      keys.add('metadata');
      break;
    default:
      break;
  }
  return keys;
}

type Nested = (out: FieldChange[], prefix: string, language: string, b: Record<string, unknown>, a: Record<string, unknown>) => void;

/** `variants` or `metadata`: one entry per language; a whole entry added or removed is one change. */
function diffLanguageMaps(out: FieldChange[], root: string, b: Record<string, unknown>, a: Record<string, unknown>, nested: Nested): void {
  for (const lang of unionKeys(b, a)) {
    const path = `${root}.${lang}`;
    const bv = b[lang];
    const av = a[lang];
    if (isRecord(bv) && isRecord(av)) nested(out, path, lang, bv, av);
    else pushIfChanged(out, path, lang, lang, bv, av);
  }
}

function diffVariant(out: FieldChange[], prefix: string, language: string, b: Record<string, unknown>, a: Record<string, unknown>): void {
  for (const key of unionKeys(b, a)) {
    if (key === 'fields') continue;
    pushIfChanged(out, `${prefix}.${key}`, key, language, b[key], a[key]);
  }
  diffValueMap(out, `${prefix}.fields`, language, asRecord(b.fields), asRecord(a.fields));
}

function diffMetadata(out: FieldChange[], prefix: string, language: string, b: Record<string, unknown>, a: Record<string, unknown>): void {
  for (const key of unionKeys(b, a)) pushIfChanged(out, `${prefix}.${key}`, key, language, b[key], a[key]);
}

/** A map of field values: one change per field name; a list of blocks, block by block. */
function diffValueMap(out: FieldChange[], prefix: string, language: string | undefined, b: Record<string, unknown>, a: Record<string, unknown>): void {
  for (const name of unionKeys(b, a)) diffFieldValue(out, `${prefix}.${name}`, name, language, b[name], a[name]);
}

function diffFieldValue(out: FieldChange[], path: string, name: string, language: string | undefined, b: unknown, a: unknown): void {
  if (isBlockList(b) && isBlockList(a)) diffBlocks(out, path, language, b, a);
  else pushIfChanged(out, path, name, language, b, a);
}

type Block = { block: string; fields?: Record<string, unknown> };

/**
 * A blocks field's value (`[{ block: <type>, fields: {…} }]`), told by its shape, so that no
 * content type is needed (changesets are computed from files alone).
 */
function isBlockList(v: unknown): v is Block[] {
  return (
    Array.isArray(v) &&
    v.every((x) => isRecord(x) && typeof x.block === 'string' && (x.fields === undefined || isRecord(x.fields)) && Object.keys(x).every((k) => k === 'block' || k === 'fields'))
  );
}

/**
 * Blocks, aligned as a reader sees them: equal blocks at the start and at the end are unchanged,
 * so inserting or removing one block is one change, not a rewrite of every block after it; the
 * blocks between are paired by position. A paired block of the same type changes field by
 * field (`fields.body[2].fields.title`); another type, or a block added or removed, is the whole
 * block (`fields.body[2]`). Indices are those of the version that has the block (the new one
 * when both do).
 */
function diffBlocks(out: FieldChange[], path: string, language: string | undefined, b: Block[], a: Block[]): void {
  let head = 0;
  while (head < b.length && head < a.length && deepEqual(b[head], a[head])) head++;
  let tail = 0;
  while (tail < b.length - head && tail < a.length - head && deepEqual(b[b.length - 1 - tail], a[a.length - 1 - tail])) tail++;
  const bMid = b.slice(head, b.length - tail);
  const aMid = a.slice(head, a.length - tail);
  const paired = Math.min(bMid.length, aMid.length);
  for (let i = 0; i < paired; i++) {
    const at = `${path}[${head + i}]`;
    const bb = bMid[i];
    const ab = aMid[i];
    if (bb.block !== ab.block) {
      pushIfChanged(out, at, `${path.slice(path.lastIndexOf('.') + 1)}[${head + i}]`, language, bb, ab);
      continue;
    }
    const bf = asRecord(bb.fields);
    const af = asRecord(ab.fields);
    for (const name of unionKeys(bf, af)) diffFieldValue(out, `${at}.fields.${name}`, name, language, bf[name], af[name]);
  }
  const field = path.slice(path.lastIndexOf('.') + 1);
  for (let i = paired; i < bMid.length; i++) pushIfChanged(out, `${path}[${head + i}]`, `${field}[${head + i}]`, language, bMid[i], undefined);
  for (let i = paired; i < aMid.length; i++) pushIfChanged(out, `${path}[${head + i}]`, `${field}[${head + i}]`, language, undefined, aMid[i]);
}

/**
 * Content type fields are a list whose identity is each field's guid: a renamed field is a
 * `name` change, not a removal plus an addition. Paths use the field's (new) name, `fields[body]`.
 * A change of order among the fields both versions share is one `fieldOrder` change.
 */
function diffFieldDefinitions(out: FieldChange[], before: ContentType, after: ContentType): void {
  const beforeFields = before.fields ?? [];
  const afterFields = after.fields ?? [];
  const beforeByGuid = new Map(beforeFields.map((f) => [f.guid, f]));
  const afterByGuid = new Map(afterFields.map((f) => [f.guid, f]));
  for (const f of beforeFields) {
    if (!afterByGuid.has(f.guid)) pushIfChanged(out, `fields[${f.name}]`, f.name, undefined, f, undefined);
  }
  for (const f of afterFields) {
    const old = beforeByGuid.get(f.guid);
    if (!old) pushIfChanged(out, `fields[${f.name}]`, f.name, undefined, undefined, f);
    else diffFieldDefinition(out, `fields[${f.name}]`, old, f);
  }
  const sharedBefore = beforeFields.filter((f) => afterByGuid.has(f.guid)).map((f) => f.guid);
  const sharedAfter = afterFields.filter((f) => beforeByGuid.has(f.guid)).map((f) => f.guid);
  if (!deepEqual(sharedBefore, sharedAfter)) {
    pushIfChanged(out, 'fieldOrder', 'fieldOrder', undefined, beforeFields.map((f) => f.name), afterFields.map((f) => f.name));
  }
}

function diffFieldDefinition(out: FieldChange[], prefix: string, b: FieldDefinition, a: FieldDefinition): void {
  const br = b as unknown as Record<string, unknown>;
  const ar = a as unknown as Record<string, unknown>;
  for (const key of unionKeys(br, ar)) {
    if (key === 'guid' || key === 'validation') continue;
    pushIfChanged(out, `${prefix}.${key}`, key, undefined, br[key], ar[key]);
  }
  // An absent validation block and an empty one mean the same: compare rule by rule.
  const bv = asRecord(br.validation);
  const av = asRecord(ar.validation);
  for (const rule of unionKeys(bv, av)) pushIfChanged(out, `${prefix}.validation.${rule}`, rule, undefined, bv[rule], av[rule]);
}

function pushIfChanged(out: FieldChange[], path: string, name: string, language: string | undefined, before: unknown, after: unknown): void {
  if (deepEqual(before, after)) return;
  const change: FieldChange = { path, name };
  if (language !== undefined) change.language = language;
  if (before !== undefined) change.before = before;
  if (after !== undefined) change.after = after;
  out.push(change);
}

function unionKeys(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const keys = new Set(Object.keys(a));
  for (const k of Object.keys(b)) keys.add(k);
  return [...keys].sort(compareCodePoints);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function asRecord(v: unknown): Record<string, unknown> {
  return isRecord(v) ? v : {};
}
