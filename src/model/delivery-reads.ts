import type { Readable } from 'node:stream';
import type { Asset, ContentType, Language, VariantStatus } from './objects.js';
import type { ChangeEvent, ChangeEventType } from './change-event.js';

/**
 * What the delivery and Sync APIs (src/transport/delivery) read from an environment's store,
 * beside the Store port: published variants with their Sync API bookkeeping (per-variant
 * change_seq, version), the change log filtered, assets, blobs and the token key. Both local
 * stores implement it (sqlite/delivery-reads.ts, postgres/delivery-reads.ts) and pass the same
 * delivery and Sync API suites. Every list is in a stable order (code points) and pages by keyset
 * or offset.
 */
export interface DeliveryReads {
  /**
   * Runs `fn` over one consistent snapshot of the store: every read made through the `reads` it
   * is given sees the same state, even when a deployment commits meanwhile. `fn` must not write.
   */
  snapshot<T>(fn: (reads: DeliveryReads) => Promise<T>): Promise<T>;
  /**
   * Published variants whose last event is at or before `upToSeq`, after `after` in
   * (content type, locale, key) order: one keyset page of an initial sync.
   */
  syncVariants(filter: VariantFilter, upToSeq: number, after: VariantCursor | undefined, limit: number): Promise<DeliveryVariant[]>;
  /** Published variants matching the filter, last changed at or before `upToSeq` (any, when absent). */
  countSyncVariants(filter: VariantFilter, upToSeq?: number): Promise<number>;
  /** Assets whose last event is at or before `upToSeq`, after `after` in (code name, key) order. */
  syncAssets(publishedSince: string | undefined, upToSeq: number, after: AssetCursor | undefined, limit: number): Promise<DeliveryAsset[]>;
  countSyncAssets(publishedSince: string | undefined, upToSeq?: number): Promise<number>;
  /** Events with afterSeq < seq <= upToSeq matching the filter, ascending, at most `limit`. */
  changes(afterSeq: number, upToSeq: number, filter: ChangeFilter, limit: number): Promise<ChangeEvent[]>;
  countChanges(afterSeq: number, upToSeq: number, filter: ChangeFilter): Promise<number>;
  lastChangeSeq(): Promise<number>;
  /** Current variants (any status) for (key, locale) pairs, keyed `variantKey(key, locale)`. */
  variantsByKeys(pairs: readonly { key: string; locale: string }[]): Promise<Map<string, DeliveryVariant>>;
  /** Current assets by key (missing keys are absent). */
  assetsByKeys(keys: readonly string[]): Promise<Map<string, DeliveryAsset>>;
  /** Content type code names of items and pages by key (for references). */
  contentTypesOfKeys(keys: readonly string[]): Promise<Map<string, string>>;
  contentTypes(): Promise<ContentType[]>;
  languages(): Promise<Language[]>;
  /** Published variants of one content type and locale, by key, offset paging. */
  publishedEntries(contentType: string, locale: string, limit: number, offset: number): Promise<DeliveryVariant[]>;
  countPublishedEntries(contentType: string, locale: string): Promise<number>;
  publishedEntry(contentType: string, key: string, locale: string): Promise<DeliveryVariant | undefined>;
  assets(limit: number, offset: number): Promise<DeliveryAsset[]>;
  countAssets(): Promise<number>;
  /** Changes whenever a deployment finishes: a cache key for content types and languages. */
  revision(): Promise<string>;
  /** The instance's Sync API token key (32 random bytes), made on first use, shared by every process on the store. */
  tokenKey(): Promise<Buffer>;
  /** An asset's bytes by sha256, for download (undefined when the store does not have them). */
  blob(sha256: string): Promise<DeliveryBlob | undefined>;
}

/** A stored blob: its size, and its bytes from `start` to `end` inclusive as a stream. */
export interface DeliveryBlob {
  size: number;
  open(start: number, end: number): Readable;
}

/** One language variant of an item or page as the delivery API serves it. */
export interface DeliveryVariant {
  key: string;
  kind: 'contentItem' | 'page';
  locale: string;
  contentType: string;
  status: VariantStatus;
  displayName: string;
  slug?: string;
  /** Shared and localized field values merged. */
  fields: Record<string, unknown>;
  /** First write of this variant. */
  createdAt: string;
  /** Last write of this variant (any deployment that put its item). */
  updatedAt: string;
  /** Time of its last entry_published event. */
  publishedAt?: string;
  /** Number of entry_published events. */
  version: number;
  /** Seq of its last change-log event (0: none). */
  changeSeq: number;
}

export interface DeliveryAsset {
  key: string;
  asset: Asset;
  /** Seq of the key's last change-log event (0: none). */
  lastSeq: number;
  /** Time of its first event, and of its last asset_published event. */
  createdAt?: string;
  publishedAt?: string;
  /** Number of asset_published events. */
  version: number;
}

export interface VariantFilter {
  contentType?: string;
  locale?: string;
  /** Only variants last published at or after this ISO time. */
  publishedSince?: string;
}

export interface VariantCursor {
  contentType: string;
  locale: string;
  key: string;
}

export interface AssetCursor {
  codeName: string;
  key: string;
}

export interface ChangeFilter {
  types?: readonly ChangeEventType[];
  /** Entry events of this content type and its content_type_deleted (asset events excluded). */
  contentType?: string;
  /** Entry events of this locale; events without a locale (assets, content types) pass. */
  locale?: string;
  /** Events at or after this ISO time. */
  since?: string;
}

export function variantKey(key: string, locale: string): string {
  return `${key}\n${locale}`;
}

export function clampLimit(limit: number): number {
  return Math.max(0, Math.min(10_000, Math.floor(limit)));
}
