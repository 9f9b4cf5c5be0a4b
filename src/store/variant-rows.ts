import type { FerryObject, FieldValues, VariantStatus } from '../model/index.js';
import { objectKey } from '../model/index.js';

/**
 * One language variant of an item or page as the delivery API reads it: the item's shared fields
 * merged with the variant's localized fields (localized values win on a name clash, which
 * validation forbids anyway).
 */
export interface VariantRow {
  key: string;
  locale: string;
  kind: 'contentItem' | 'page';
  status: VariantStatus;
  contentType: string;
  displayName: string;
  /** Pages only. */
  slug?: string;
  fields: FieldValues;
}

/** The variant rows a store keeps for an object: one per language for items and pages, none otherwise. */
export function variantRowsOf(o: FerryObject): VariantRow[] {
  if (o.kind !== 'contentItem' && o.kind !== 'page') return [];
  const key = objectKey(o);
  const rows: VariantRow[] = [];
  for (const [locale, v] of Object.entries(o.variants ?? {})) {
    rows.push({
      key,
      locale,
      kind: o.kind,
      status: v.status,
      contentType: o.contentType,
      displayName: v.displayName,
      ...(o.kind === 'page' ? { slug: o.variants[locale].slug } : {}),
      fields: { ...(o.fields ?? {}), ...(v.fields ?? {}) },
    });
  }
  return rows;
}
