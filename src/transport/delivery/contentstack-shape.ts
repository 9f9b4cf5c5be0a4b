import { assetBytes, compareCodePoints, type ContentType, type FieldDefinition } from '../../model/index.js';
import type { DeliveryAsset, DeliveryVariant } from '../../model/delivery-reads.js';

/**
 * Ferry variants and assets in Contentstack's wire shape (pure: values in, values out).
 *
 * Entries: `uid` = the item's guid, `locale` = the language code, `title` = the display name
 * (a field named `title` wins), fields by name in the content type's order, references to items
 * and pages as `[{ uid, _content_type_uid }]`, then `created_at`, `updated_at`, `_version` and
 * `publish_details`. Asset references are uid strings in the Sync API (as Contentstack's sync
 * sends file fields) and asset objects from the entries endpoints (as its CDA does).
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

/** Guids the variants reference: items and pages (for their content types) and assets. */
export function referencedKeys(variants: readonly DeliveryVariant[], contentTypes: ReadonlyMap<string, ContentType>): { items: string[]; assets: string[] } {
  const items = new Set<string>();
  const assets = new Set<string>();
  for (const v of variants) {
    for (const f of contentTypes.get(v.contentType)?.fields ?? []) {
      const value = v.fields[f.name];
      if (!Array.isArray(value)) continue;
      const into = f.type === 'assets' ? assets : REFERENCE_TYPES.has(f.type) ? items : undefined;
      if (into) for (const g of value) if (typeof g === 'string') into.add(g);
    }
  }
  return { items: [...items], assets: [...assets] };
}

function fieldValue(def: FieldDefinition | undefined, value: unknown, ctx: ShapeContext): unknown {
  if (!def || !Array.isArray(value)) return value;
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
