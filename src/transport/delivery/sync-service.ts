import type { ChangeEvent, ChangeEventType } from '../../model/index.js';
import { variantKey, type ChangeFilter, type DeliveryAsset, type DeliveryVariant, type VariantFilter } from '../../model/delivery-reads.js';
import type { Catalog, CatalogState } from './catalog.js';
import { ASSETS_CONTENT_TYPE_UID, assetData, entryData, referencedKeys, type ShapeContext } from './contentstack-shape.js';
import { DeliveryError, ERROR_CODES, invalidParameter } from './delivery-error.js';
import type { DeliveryReads } from './delivery-reads.js';
import type { RequestedFilters } from './sync-request.js';
import { decodeToken, encodeToken, type InitCursor, type SyncFilters, type TokenState } from './sync-token.js';

export interface SyncItem {
  type: ChangeEventType;
  event_at: string;
  content_type_uid: string;
  data: Record<string, unknown>;
}

/** One page: exactly one of `pagination_token` (more pages) and `sync_token` (done) is present. */
export interface SyncPage {
  items: SyncItem[];
  skip: number;
  limit: number;
  total_count: number;
  pagination_token?: string;
  sync_token?: string;
}

export interface SyncServiceOptions {
  reads: DeliveryReads;
  catalog: Catalog;
  environment: string;
  /** The token signing key (read once: making it may write to the store). */
  tokenKey: () => Promise<Buffer>;
  now: () => Date;
  /** Items a page (Contentstack: 100). */
  pageSize?: number;
}

export const SYNC_PAGE_SIZE = 100;
/** Change-log events read at a time while filling a delta page. */
const EVENT_BATCH = 250;

type InitState = Extract<TokenState, { kind: 'init' }>;
type DeltaState = Extract<TokenState, { kind: 'delta' }>;

/** A delta event kept for the page, with what it needs to become an item. */
type Pending = { event: ChangeEvent; variant?: DeliveryVariant; asset?: DeliveryAsset };

/**
 * The Sync API over the change log.
 *
 * Initial sync: at init the last change-log seq S is recorded; pages list the published variants
 * (then the assets) whose last event is at or before S, in (content type, locale, key) order by
 * keyset, so nothing shifts when content changes between pages. The final sync_token holds S.
 * Anything published, changed or removed after S is left out of the remaining pages and reaches
 * the client through the delta from S: a sync that spans a deployment loses nothing and
 * duplicates nothing.
 *
 * Delta: the events in (S, E], E being the last seq when the delta starts, each page filled with
 * up to 100 items. An event already superseded by a later one for the same variant or asset is
 * skipped (the later one brings the current state), so each change reaches the client once, with
 * the data the store holds now.
 */
export class SyncService {
  private readonly pageSize: number;

  constructor(private readonly o: SyncServiceOptions) {
    this.pageSize = o.pageSize ?? SYNC_PAGE_SIZE;
  }

  /** `init=true`: the first page of an initial sync. */
  async init(requested: RequestedFilters, baseUrl: string): Promise<SyncPage> {
    const key = await this.o.tokenKey();
    return this.o.reads.snapshot(async (r) => {
      const catalog = await this.o.catalog.get(r);
      const filters = resolveFilters(requested, catalog);
      const seq = await r.lastChangeSeq();
      const plan = initPlan(filters);
      const variantFilter = toVariantFilter(filters);
      // In this snapshot nothing can be later than seq: the counts need not test it (index-only).
      const total = (plan.entries ? await r.countSyncVariants(variantFilter) : 0) + (plan.assets ? await r.countSyncAssets(filters.startFrom) : 0);
      return this.initPage(r, key, catalog, { kind: 'init', seq, filters, total, page: 0 }, baseUrl);
    });
  }

  /** A request with a sync_token (a new delta) or a pagination_token (the next page). */
  async continue(param: 'sync_token' | 'pagination_token', token: string, baseUrl: string): Promise<SyncPage> {
    const key = await this.o.tokenKey();
    const state = decodeToken(key, token, param);
    return this.o.reads.snapshot(async (r) => {
      const catalog = await this.o.catalog.get(r);
      switch (state.kind) {
        case 'init':
          return this.initPage(r, key, catalog, state, baseUrl);
        case 'delta':
          return this.deltaPage(r, key, catalog, state, baseUrl);
        case 'sync': {
          const last = await r.lastChangeSeq();
          if (state.seq > last) {
            throw new DeliveryError(
              422,
              ERROR_CODES.invalid,
              `The sync_token is ahead of this instance's change log (seq ${state.seq} > ${last}): was the store restored from an older copy? Start again with an initial sync (init=true).`,
              { sync_token: ['is not valid.'] },
            );
          }
          const total = await r.countChanges(state.seq, last, toChangeFilter(state.filters));
          return this.deltaPage(r, key, catalog, { kind: 'delta', from: state.seq, to: last, filters: state.filters, total, page: 0 }, baseUrl);
        }
      }
    });
  }

  // ---- initial sync --------------------------------------------------------------------------------

  private async initPage(r: DeliveryReads, key: Buffer, catalog: CatalogState, state: InitState, baseUrl: string): Promise<SyncPage> {
    const limit = this.pageSize;
    const plan = initPlan(state.filters);
    const cursor = state.cursor;
    const variants: DeliveryVariant[] = [];
    const assets: DeliveryAsset[] = [];
    let more = false;
    if (plan.entries && cursor?.phase !== 'assets') {
      const after = cursor?.phase === 'entries' ? cursor : undefined;
      const rows = await r.syncVariants(toVariantFilter(state.filters), state.seq, after, limit + 1);
      variants.push(...rows.slice(0, limit));
      more = rows.length > limit;
    }
    if (!more && plan.assets) {
      const room = limit - variants.length;
      const after = cursor?.phase === 'assets' ? cursor : undefined;
      const rows = await r.syncAssets(state.filters.startFrom, state.seq, after, room + 1);
      assets.push(...rows.slice(0, room));
      more = rows.length > room;
    }
    const ctx = await this.shapeContext(r, catalog, state.filters, variants, baseUrl);
    const items: SyncItem[] = [
      ...variants.map((v) => ({ type: 'entry_published' as const, event_at: v.publishedAt ?? v.updatedAt, content_type_uid: v.contentType, data: entryData(v, ctx) })),
      ...assets.map((a) => ({ type: 'asset_published' as const, event_at: a.publishedAt ?? a.createdAt ?? ctx.fallbackTime, content_type_uid: ASSETS_CONTENT_TYPE_UID, data: assetData(a, ctx) })),
    ];
    const page = { items, skip: state.page * limit, limit, total_count: state.total };
    if (!more) return { ...page, sync_token: encodeToken(key, { kind: 'sync', seq: state.seq, filters: state.filters }) };
    const last = assets.at(-1);
    const lastVariant = variants.at(-1);
    // A page holds at least one item when more remain (limit >= 1), so one of the two is set.
    const next: InitCursor = last
      ? { phase: 'assets', codeName: last.asset.codeName, key: last.key }
      : { phase: 'entries', contentType: lastVariant!.contentType, locale: lastVariant!.locale, key: lastVariant!.key };
    return { ...page, pagination_token: encodeToken(key, { ...state, page: state.page + 1, cursor: next }) };
  }

  // ---- delta -------------------------------------------------------------------------------------

  private async deltaPage(r: DeliveryReads, key: Buffer, catalog: CatalogState, state: DeltaState, baseUrl: string): Promise<SyncPage> {
    const limit = this.pageSize;
    const filter = toChangeFilter(state.filters);
    const types = state.filters.types;
    const kept: Pending[] = [];
    let cursor = state.from;
    let more = false;
    scan: for (;;) {
      const events = await r.changes(cursor, state.to, filter, EVENT_BATCH);
      if (events.length === 0) break;
      const variants = await r.variantsByKeys(events.filter(isEntryEvent).map((e) => ({ key: e.key, locale: e.locale ?? '' })));
      const assets = await r.assetsByKeys(events.filter(isAssetEvent).map((e) => e.key));
      for (const e of events) {
        const pending = keepEvent(e, variants.get(variantKey(e.key, e.locale ?? '')), assets.get(e.key), types);
        if (pending) {
          // The page is full and another item follows: stop before it, it starts the next page.
          if (kept.length === limit) {
            more = true;
            break scan;
          }
          kept.push(pending);
        }
        cursor = e.seq!;
      }
      if (events.length < EVENT_BATCH) break;
    }
    const ctx = await this.shapeContext(
      r,
      catalog,
      state.filters,
      kept.flatMap((p) => (p.variant ? [p.variant] : [])),
      baseUrl,
    );
    const items = kept.map((p) => deltaItem(p, ctx));
    const page = { items, skip: state.page * limit, limit, total_count: state.total };
    if (!more) return { ...page, sync_token: encodeToken(key, { kind: 'sync', seq: state.to, filters: state.filters }) };
    return { ...page, pagination_token: encodeToken(key, { ...state, from: cursor, page: state.page + 1 }) };
  }

  private async shapeContext(r: DeliveryReads, catalog: CatalogState, filters: SyncFilters, variants: readonly DeliveryVariant[], baseUrl: string): Promise<ShapeContext> {
    const refs = referencedKeys(variants, catalog.contentTypes);
    return {
      environment: this.o.environment,
      contentTypes: catalog.contentTypes,
      referenceTypes: await this.o.catalog.contentTypesOf(r, refs.items),
      baseUrl,
      assetLocale: filters.locale ?? catalog.defaultLocale ?? 'en-us',
      fallbackTime: this.o.now().toISOString(),
    };
  }
}

/** What an initial sync lists: published entries unless types exclude them; assets unless filtered out. */
function initPlan(f: SyncFilters): { entries: boolean; assets: boolean } {
  return {
    entries: f.types === undefined || f.types.includes('entry_published'),
    assets: (f.types === undefined || f.types.includes('asset_published')) && f.contentType === undefined,
  };
}

/** Checks init filters against the store: a known content type, a known locale (any case). */
function resolveFilters(r: RequestedFilters, catalog: CatalogState): SyncFilters {
  const f: SyncFilters = {};
  if (r.contentType !== undefined) {
    if (!catalog.contentTypes.has(r.contentType)) {
      throw new DeliveryError(422, ERROR_CODES.contentType, `The content type ${JSON.stringify(r.contentType)} was not found in this environment.`, {
        content_type_uid: ['is not valid.'],
      });
    }
    f.contentType = r.contentType;
  }
  if (r.locale !== undefined) {
    const code = catalog.localeByLowerCase.get(r.locale.toLowerCase());
    if (code === undefined) {
      const known = catalog.languages.map((l) => l.codeName).join(', ') || 'none';
      throw invalidParameter('locale', `Unknown locale ${JSON.stringify(r.locale)}: this environment has ${known}.`);
    }
    f.locale = code;
  }
  if (r.startFrom !== undefined) f.startFrom = r.startFrom;
  if (r.types !== undefined) f.types = r.types;
  return f;
}

function toVariantFilter(f: SyncFilters): VariantFilter {
  return { contentType: f.contentType, locale: f.locale, publishedSince: f.startFrom };
}

function toChangeFilter(f: SyncFilters): ChangeFilter {
  return { types: f.types, contentType: f.contentType, locale: f.locale, since: f.startFrom };
}

function isEntryEvent(e: ChangeEvent): boolean {
  return e.type.startsWith('entry_');
}

function isAssetEvent(e: ChangeEvent): boolean {
  return e.type.startsWith('asset_');
}

/**
 * Whether a delta reports an event. A publish is reported only while it is the variant's (or
 * asset's) latest event and the content is still there: the data sent is then the current one. A
 * removal is skipped when the content was published again later and the client receives that
 * publish (its type is in the filter); otherwise it is reported.
 */
function keepEvent(e: ChangeEvent, variant: DeliveryVariant | undefined, asset: DeliveryAsset | undefined, types: readonly ChangeEventType[] | undefined): Pending | undefined {
  const seq = e.seq!;
  const wants = (t: ChangeEventType) => types === undefined || types.includes(t);
  switch (e.type) {
    case 'entry_published':
      return variant && variant.status === 'published' && variant.changeSeq <= seq ? { event: e, variant } : undefined;
    case 'entry_unpublished':
    case 'entry_deleted':
      return variant && variant.status === 'published' && variant.changeSeq > seq && wants('entry_published') ? undefined : { event: e };
    case 'asset_published':
      return asset && asset.lastSeq <= seq ? { event: e, asset } : undefined;
    case 'asset_unpublished':
    case 'asset_deleted':
      return asset && asset.lastSeq > seq && wants('asset_published') ? undefined : { event: e };
    case 'content_type_deleted':
      return { event: e };
  }
}

function deltaItem(p: Pending, ctx: ShapeContext): SyncItem {
  const e = p.event;
  if (p.variant) return { type: e.type, event_at: e.at, content_type_uid: p.variant.contentType, data: entryData(p.variant, ctx) };
  if (p.asset) return { type: e.type, event_at: e.at, content_type_uid: ASSETS_CONTENT_TYPE_UID, data: assetData(p.asset, ctx) };
  switch (e.type) {
    case 'asset_published':
    case 'asset_unpublished':
    case 'asset_deleted':
      return { type: e.type, event_at: e.at, content_type_uid: ASSETS_CONTENT_TYPE_UID, data: { uid: e.key, locale: ctx.assetLocale } };
    case 'content_type_deleted':
      return { type: e.type, event_at: e.at, content_type_uid: e.contentType ?? '', data: { uid: e.contentType ?? '' } };
    default:
      return { type: e.type, event_at: e.at, content_type_uid: e.contentType ?? '', data: { uid: e.key, locale: e.locale ?? '' } };
  }
}
