/**
 * Named regression cases of the differential suite: each a sequence the issue reported or the
 * generator found (shrunk), kept so that it runs on every `npm test` whatever the seed. Indices
 * pick among the sample content's objects in path order (content-ops.ts).
 */
import type { Op } from './content-ops.js';

export const REGRESSIONS: Record<string, Op[]> = {
  // Sibling pages with one slug: the unchanged sibling was not in the incremental validation.
  'a slug taken from an unchanged sibling is refused, on both pages': [{ op: 'copySiblingSlug', pick: 0 }],
  // Found by `npm run fuzz -- --seed 7` (shrunk): with three siblings on one slug, the message
  // listed the others in the order the snapshot held them, which differs between a fresh
  // restore and an incremental deploy. They are sorted by path now.
  'three siblings on one slug are named in a stable order': [
    { op: 'copySiblingSlug', pick: 0 },
    { op: 'copySiblingSlug', pick: 651 },
  ],
  // Issue 11: "FERRY_E_PAGE_TREE parent: page home is in channel undefined". Pick 43 is the about
  // page (the 43 items come first); field 0 of landing-page is its headline.
  'a page headline edit deploys incrementally': [{ op: 'editLocalized', pick: 43, field: 0, lang: 0 }],
  // Issue 11, point 6: a commit that only deletes a binary was a no-op instead of a refusal.
  'a commit that only deletes an asset binary is refused': [{ op: 'deleteBinaryOnly', pick: 5 }],
  // Found by the generator (seed 20261204, shrunk): deleting an item that others still reference
  // deployed incrementally in CreateUpdate and Create (only Full mode re-validated the referrers),
  // while a fresh restore refuses the commit; and the fresh restore reported each dangling
  // reference twice (FERRY_E_REFERENCE and FERRY_E_INCOMPATIBLE).
  'deleting a referenced item is refused in every mode, each finding once': [
    { op: 'delete', pick: 0, kind: 'contentItem', unreferenced: false },
    { op: 'reorderPages', pick: 0 },
  ],
};
