import { compareCodePoints } from '../../model/index.js';
import type { DeliveryVariant } from '../../model/delivery-reads.js';
import type { Catalog, CatalogState } from './catalog.js';
import { assetData, entryData, referencedKeys, type ShapeContext } from './contentstack-shape.js';
import { contentTypeData } from './content-type-shape.js';
import { DeliveryError, ERROR_CODES, invalidParameter } from './delivery-error.js';
import type { DeliveryReads } from './delivery-reads.js';

/**
 * The Content Delivery API reads: published entries by content type, single entries, assets and
 * content type schemas, in Contentstack's response shapes (`{ entries, count }`, `{ entry }`,
 * `{ assets }`, `{ asset }`, `{ content_types }`, `{ content_type }`). Only published content is
 * ever read. Entry queries (`query=`) are not supported and are refused rather than ignored.
 */
export interface ContentRoutesContext {
  reads: DeliveryReads;
  catalog: Catalog;
  environment: string;
  now: () => Date;
}

const MAX_LIMIT = 100;

export async function listEntries(c: ContentRoutesContext, contentType: string, q: URLSearchParams, baseUrl: string): Promise<Record<string, unknown>> {
  refuseQuery(q);
  const limit = intParam(q, 'limit', MAX_LIMIT, 1, MAX_LIMIT);
  const skip = intParam(q, 'skip', 0, 0, Number.MAX_SAFE_INTEGER);
  return c.reads.snapshot(async (r) => {
    const catalog = await c.catalog.get(r);
    knownContentType(catalog, contentType);
    const locale = localeParam(catalog, q);
    const variants = await r.publishedEntries(contentType, locale, limit, skip);
    const ctx = await entryContext(c, r, catalog, variants, locale, baseUrl);
    const body: Record<string, unknown> = { entries: variants.map((v) => entryData(v, ctx)) };
    if (flag(q, 'include_count')) body.count = await r.countPublishedEntries(contentType, locale);
    return body;
  });
}

export async function getEntry(c: ContentRoutesContext, contentType: string, uid: string, q: URLSearchParams, baseUrl: string): Promise<Record<string, unknown>> {
  return c.reads.snapshot(async (r) => {
    const catalog = await c.catalog.get(r);
    knownContentType(catalog, contentType);
    const locale = localeParam(catalog, q);
    const v = await r.publishedEntry(contentType, uid, locale);
    if (!v) throw new DeliveryError(422, ERROR_CODES.invalid, `The requested entry doesn't exist: no published ${contentType} ${uid} in ${locale}.`, { uid: ['is not valid.'] });
    return { entry: entryData(v, await entryContext(c, r, catalog, [v], locale, baseUrl)) };
  });
}

export async function listAssets(c: ContentRoutesContext, q: URLSearchParams, baseUrl: string): Promise<Record<string, unknown>> {
  refuseQuery(q);
  const limit = intParam(q, 'limit', MAX_LIMIT, 1, MAX_LIMIT);
  const skip = intParam(q, 'skip', 0, 0, Number.MAX_SAFE_INTEGER);
  return c.reads.snapshot(async (r) => {
    const catalog = await c.catalog.get(r);
    const ctx = { environment: c.environment, baseUrl, assetLocale: localeParam(catalog, q), fallbackTime: c.now().toISOString() };
    const body: Record<string, unknown> = { assets: (await r.assets(limit, skip)).map((a) => assetData(a, ctx)) };
    if (flag(q, 'include_count')) body.count = await r.countAssets();
    return body;
  });
}

export async function getAsset(c: ContentRoutesContext, uid: string, q: URLSearchParams, baseUrl: string): Promise<Record<string, unknown>> {
  return c.reads.snapshot(async (r) => {
    const catalog = await c.catalog.get(r);
    const a = (await r.assetsByKeys([uid])).get(uid);
    if (!a) throw new DeliveryError(422, ERROR_CODES.asset, `The requested asset doesn't exist: no asset ${uid} in this environment.`, { uid: ['is not valid.'] });
    return { asset: assetData(a, { environment: c.environment, baseUrl, assetLocale: localeParam(catalog, q), fallbackTime: c.now().toISOString() }) };
  });
}

export async function listContentTypes(c: ContentRoutesContext, q: URLSearchParams): Promise<Record<string, unknown>> {
  const catalog = await c.catalog.get();
  const all = [...catalog.contentTypes.keys()].sort(compareCodePoints);
  const body: Record<string, unknown> = { content_types: all.map((name) => contentTypeData(catalog.contentTypes.get(name)!, all)) };
  if (flag(q, 'include_count')) body.count = all.length;
  return body;
}

export async function getContentType(c: ContentRoutesContext, uid: string): Promise<Record<string, unknown>> {
  const catalog = await c.catalog.get();
  const t = knownContentType(catalog, uid);
  return { content_type: contentTypeData(t, [...catalog.contentTypes.keys()].sort(compareCodePoints)) };
}

async function entryContext(c: ContentRoutesContext, r: DeliveryReads, catalog: CatalogState, variants: readonly DeliveryVariant[], locale: string, baseUrl: string): Promise<ShapeContext> {
  const refs = referencedKeys(variants, catalog.contentTypes);
  return {
    environment: c.environment,
    contentTypes: catalog.contentTypes,
    referenceTypes: await c.catalog.contentTypesOf(r, refs.items),
    assets: await r.assetsByKeys(refs.assets),
    baseUrl,
    assetLocale: locale,
    fallbackTime: c.now().toISOString(),
  };
}

function knownContentType(catalog: CatalogState, uid: string) {
  const t = catalog.contentTypes.get(uid);
  if (!t) throw new DeliveryError(422, ERROR_CODES.contentType, `The content type ${JSON.stringify(uid)} was not found in this environment.`, { content_type_uid: ['is not valid.'] });
  return t;
}

/** The `locale` parameter (any case) or the default language. */
function localeParam(catalog: CatalogState, q: URLSearchParams): string {
  const given = q.get('locale');
  if (!given) return catalog.defaultLocale ?? 'en-us';
  const code = catalog.localeByLowerCase.get(given.toLowerCase());
  if (code === undefined) throw invalidParameter('locale', `Unknown locale ${JSON.stringify(given)}: this environment has ${catalog.languages.map((l) => l.codeName).join(', ') || 'none'}.`);
  return code;
}

function intParam(q: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = q.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) throw invalidParameter(name, `${name} must be a whole number from ${min} to ${max} (got ${JSON.stringify(raw)}).`);
  return n;
}

function flag(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  return v === 'true' || v === '1';
}

function refuseQuery(q: URLSearchParams): void {
  const raw = q.get('query');
  if (raw === null || raw === '' || raw === '{}') return;
  throw invalidParameter('query', 'Entry queries (query=…) are not supported by Ferry instances; page through entries with limit and skip, or use the Sync API.');
}
