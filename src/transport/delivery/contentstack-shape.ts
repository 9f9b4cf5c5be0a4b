import {
  assetBytes,
  blockTypeOf,
  compareCodePoints,
  forEachStructuredReference,
  LINK_TARGET_KEYS,
  type ContentType,
  type FieldDefinition,
  type SubFieldDefinition,
} from '../../model/index.js';
import type { DeliveryAsset, DeliveryVariant } from '../../model/delivery-reads.js';

/**
 * Ferry variants and assets in Contentstack's wire shape (pure: values in, values out).
 *
 * Entries: `uid` = the item's guid, `locale` = the language code, `title` = the display name
 * (a field named `title` wins), fields by name in the content type's order, references to items
 * and pages as `[{ uid, _content_type_uid }]`, then `created_at`, `updated_at`, `_version` and
 * `publish_details`. Asset references are uid strings in the Sync API (as Contentstack's sync
 * sends file fields) and asset objects from the entries endpoints (as its CDA does).
 *
 * Structured fields: an object field is a group (a map of its sub-fields), a blocks field is
 * modular blocks (`[{ <block type>: { …fields } }]`), a link is `{ title, href }` (plus `target`,
 * and for an internal target its `uid` and `_content_type_uid`), a media field is a file: the
 * asset (an object, or in the Sync API `{ uid }`) with its per-use attributes, or an external
 * media object (`is_external: true`). A field the item leaves out stays out and a field set to
 * null stays null: the default is delivered in the content type's schema (`field_metadata.
 * default_value`, as Contentstack does), not copied into entries, so that an entry's shape
 * changes only when the entry does (the Sync API's deltas carry entry changes, not type changes).
 */

export interface ShapeContext {
  environment: string;
  /** Content type definitions by code name. */
  contentTypes: ReadonlyMap<string, ContentType>;
  /** Content type code name of referenced items and pages, by guid. */
  referenceTypes: ReadonlyMap<string, string>;
  /** Absolute base URL of the instance (no trailing slash), for asset URLs. */
  baseUrl: string;
  /** Entries endpoints: referenced assets by guid, shown as asset objects. Sync API: absent (uids). */
  assets?: ReadonlyMap<string, DeliveryAsset>;
  /** Language whose asset titles are shown. */
  assetLocale: string;
  /** Time used where the store has none recorded (assets written outside a deployment). */
  fallbackTime: string;
}

/** Contentstack's content type uid for assets in sync items. */
export const ASSETS_CONTENT_TYPE_UID = 'sys_assets';

const REFERENCE_TYPES = new Set(['contentItems', 'pages']);

export function entryData(v: DeliveryVariant, ctx: ShapeContext): Record<string, unknown> {
  const type = ctx.contentTypes.get(v.contentType);
  const data: Record<string, unknown> = { title: v.displayName };
  if (v.slug !== undefined) data.slug = v.slug;
  const defs = new Map<string, FieldDefinition>((type?.fields ?? []).map((f) => [f.name, f]));
  const names = [...(type?.fields ?? []).map((f) => f.name).filter((n) => n in v.fields), ...Object.keys(v.fields).filter((n) => !defs.has(n)).sort(compareCodePoints)];
  for (const name of names) data[name] = fieldValue(defs.get(name), v.fields[name], ctx);
  if (!('tags' in data)) data.tags = [];
  const time = v.publishedAt ?? v.updatedAt;
  // System keys last, so that a field can never hide them.
  data.uid = v.key;
  data.locale = v.locale;
  // Event times come from the deployment's clock reading before the row's write time.
  data.created_at = v.createdAt < time ? v.createdAt : time;
  data.updated_at = time;
  data._version = Math.max(1, v.version);
  data.publish_details = { environment: ctx.environment, locale: v.locale, time };
  return data;
}

export function assetData(a: DeliveryAsset, ctx: Pick<ShapeContext, 'environment' | 'baseUrl' | 'assetLocale' | 'fallbackTime'>): Record<string, unknown> {
  const asset = a.asset;
  const meta = asset.metadata?.[ctx.assetLocale] ?? firstMetadata(asset.metadata);
  const time = a.publishedAt ?? a.createdAt ?? ctx.fallbackTime;
  const data: Record<string, unknown> = {
    uid: a.key,
    created_at: a.createdAt ?? time,
    updated_at: time,
    content_type: asset.mediaType,
    file_size: String(assetBytes(asset).size),
    tags: [],
    filename: asset.fileName,
    // An external asset is delivered by reference: its URL, as the repository recorded it.
    url: asset.source ? asset.source.url : assetUrl(ctx.baseUrl, a.key, asset.fileName),
    is_dir: false,
    _version: Math.max(1, a.version),
    title: meta?.title ?? asset.fileName,
  };
  if (meta?.alt !== undefined) data.description = meta.alt;
  data.publish_details = { environment: ctx.environment, locale: ctx.assetLocale, time };
  return data;
}

export function assetUrl(baseUrl: string, uid: string, fileName: string): string {
  return `${baseUrl}/v3/assets/${encodeURIComponent(uid)}/${encodeURIComponent(fileName)}`;
}

/**
 * Guids the variants reference, also inside links, media, object fields and blocks: items and
 * pages (for their content types) and assets. A reference that may be of several kinds is looked
 * up as both.
 */
export function referencedKeys(variants: readonly DeliveryVariant[], contentTypes: ReadonlyMap<string, ContentType>): { items: string[]; assets: string[] } {
  const items = new Set<string>();
  const assets = new Set<string>();
  for (const v of variants) {
    forEachStructuredReference(contentTypes.get(v.contentType)?.fields ?? [], v.fields, (r) => {
      // Rich text keeps its markup; its targets are not expanded.
      if (r.form === 'richTextLink' || r.form === 'embed') return;
      const kinds = r.kind ? [r.kind] : (r.allowedKinds ?? []);
      if (kinds.includes('asset')) assets.add(r.guid);
      if (kinds.includes('contentItem') || kinds.includes('page')) items.add(r.guid);
    });
  }
  return { items: [...items], assets: [...assets] };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A reference `{ uid, _content_type_uid }`: an item's or page's content type, or assets. */
function referenceObject(g: string, ctx: ShapeContext): Record<string, unknown> {
  const type = ctx.referenceTypes.get(g);
  if (type !== undefined) return { uid: g, _content_type_uid: type };
  if (ctx.assets?.has(g)) return { uid: g, _content_type_uid: ASSETS_CONTENT_TYPE_UID };
  return { uid: g };
}

/** A map of sub-field values, each shaped by its definition (unknown keys as they are). */
function subFieldValues(defs: readonly SubFieldDefinition[], values: Record<string, unknown>, ctx: ShapeContext): Record<string, unknown> {
  const byName = new Map(defs.map((d) => [d.name, d]));
  const out: Record<string, unknown> = {};
  const names = [...defs.map((d) => d.name).filter((n) => n in values), ...Object.keys(values).filter((n) => !byName.has(n)).sort(compareCodePoints)];
  for (const n of names) out[n] = fieldValue(byName.get(n), values[n], ctx);
  return out;
}

function linkValue(v: Record<string, unknown>, ctx: ShapeContext): Record<string, unknown> {
  const title = typeof v.text === 'string' ? v.text : typeof v.title === 'string' ? v.title : '';
  const out: Record<string, unknown> = { title };
  const anchor = typeof v.anchor === 'string' ? `#${v.anchor}` : '';
  if (typeof v.url === 'string') out.href = v.url;
  for (const [key, kind] of LINK_TARGET_KEYS) {
    const g = v[key];
    if (typeof g !== 'string') continue;
    const asset = kind === 'asset' ? ctx.assets?.get(g) : undefined;
    // Items and pages have no URL of their own in delivery: the Ferry URI, and the reference to resolve.
    out.href = asset ? assetUrl(ctx.baseUrl, g, asset.asset.fileName) + anchor : `ferry://${key}/${g}${anchor}`;
    Object.assign(out, kind === 'asset' ? { uid: g, _content_type_uid: ASSETS_CONTENT_TYPE_UID } : referenceObject(g, ctx));
  }
  if (typeof v.title === 'string' && typeof v.text === 'string') out.title_attribute = v.title;
  if (typeof v.target === 'string') out.target = v.target;
  return out;
}

/** Per-use attributes of a media value, in Contentstack's snake case. */
function mediaAttributes(v: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (typeof v.alt === 'string') out.description = v.alt;
  if (typeof v.title === 'string') out.title = v.title;
  if (typeof v.width === 'number' || typeof v.height === 'number') out.dimension = { width: v.width ?? null, height: v.height ?? null };
  if (isRecord(v.focalPoint)) out.focal_point = v.focalPoint;
  if (isRecord(v.crop)) out.crop = v.crop;
  return out;
}

function mediaValue(v: Record<string, unknown>, ctx: ShapeContext): Record<string, unknown> {
  if (typeof v.asset === 'string') {
    const a = ctx.assets?.get(v.asset);
    const base = a ? assetData(a, ctx) : { uid: v.asset, _content_type_uid: ASSETS_CONTENT_TYPE_UID };
    return { ...base, ...mediaAttributes(v) };
  }
  const url = String(v.url);
  const out: Record<string, unknown> = { is_external: true, url, filename: url.replace(/[?#].*$/, '').slice(url.replace(/[?#].*$/, '').lastIndexOf('/') + 1) };
  if (typeof v.mediaType === 'string') out.content_type = v.mediaType;
  if (typeof v.provider === 'string') out.provider = v.provider;
  if (typeof v.externalId === 'string') out.external_id = v.externalId;
  return { ...out, ...mediaAttributes(v) };
}

function fieldValue(def: SubFieldDefinition | undefined, value: unknown, ctx: ShapeContext): unknown {
  if (!def) return value;
  switch (def.type) {
    case 'object':
      return isRecord(value) ? subFieldValues(def.fields ?? [], value, ctx) : value;
    case 'blocks':
      if (!Array.isArray(value)) return value;
      return value.map((b) => {
        const type = blockTypeOf(def, b);
        if (!type || !isRecord(b)) return b;
        return { [type.name]: subFieldValues(type.fields ?? [], isRecord(b.fields) ? b.fields : {}, ctx) };
      });
    case 'link':
      return isRecord(value) ? linkValue(value, ctx) : value;
    case 'media':
      return isRecord(value) ? mediaValue(value, ctx) : value;
    case 'references':
      return Array.isArray(value) ? value.map((g) => (typeof g === 'string' ? referenceObject(g, ctx) : g)) : value;
    default:
      break;
  }
  if (!Array.isArray(value)) return value;
  if (REFERENCE_TYPES.has(def.type)) {
    return value.map((g) => {
      if (typeof g !== 'string') return g;
      const type = ctx.referenceTypes.get(g);
      return type === undefined ? { uid: g } : { uid: g, _content_type_uid: type };
    });
  }
  if (def.type === 'assets' && ctx.assets) {
    const assets = ctx.assets;
    return value.map((g) => {
      const a = typeof g === 'string' ? assets.get(g) : undefined;
      return a ? assetData(a, ctx) : { uid: g, _content_type_uid: ASSETS_CONTENT_TYPE_UID };
    });
  }
  return value;
}

function firstMetadata<T>(m: Record<string, T> | undefined): T | undefined {
  if (!m) return undefined;
  const first = Object.keys(m).sort(compareCodePoints)[0];
  return first === undefined ? undefined : m[first];
}
