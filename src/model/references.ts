import { guidsInValue } from './field-kinds.js';
import { GUID_RE, type FerryObject } from './objects.js';

/**
 * The keys of the content (items, pages, assets, content folders) an object may reference: a
 * page's parent, an item's folder and every guid in its field values, shared and per language,
 * including those written in rich text markup and inside links, media, object fields and blocks.
 * A superset of what its content type
 * declares as reference fields (no type is needed to compute it), which is what a store needs to
 * answer "who may reference X" when X is deleted: the answers are validated again, not trusted.
 */
export function contentReferenceKeys(o: FerryObject): string[] {
  if (o.kind === 'contentFolder') return typeof o.parent === 'string' ? [o.parent] : [];
  if (o.kind !== 'contentItem' && o.kind !== 'page') return [];
  const out = new Set<string>();
  if (o.kind === 'page' && typeof o.parent === 'string') out.add(o.parent);
  if (o.kind === 'contentItem' && typeof o.folder === 'string' && o.folder.length === 36 && GUID_RE.test(o.folder)) out.add(o.folder);
  // Rich text links and embeds (`ferry://item/<guid>`, `<ferry-embed guid>`) count as well.
  const walk = (v: unknown): void => guidsInValue(v, out);
  walk(o.fields);
  for (const variant of Object.values(o.variants ?? {})) walk(variant?.fields);
  return [...out].sort();
}
