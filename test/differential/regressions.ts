/**
 * Named regression cases of the differential suite: each a sequence the issue reported or the
 * generator found (shrunk), kept so that it runs on every `npm test` whatever the seed. Indices
 * pick among the sample content's objects in path order (content-ops.ts).
 */
import type { Op } from './content-ops.js';

export const REGRESSIONS: Record<string, Op[]> = {
  // Found in review: the tree-diff path's ancestor walk stopped at what it had loaded (the
  // parent), so a page moved below its own grandchild was not seen as a loop.
  'a page moved below its own grandchild is refused as a loop': [{ op: 'movePageBelowItself', pick: 0 }],
  // Found by `npm run fuzz -- --seed 12` (shrunk): in Create mode, an item created after a
  // content type's label changed was refused ("differs on staging and is not updated") though a
  // label changes no item's validity. Now only a change of what items hold refuses (mode-rules.ts
  // says when); the second case is such a change, and must still be refused.
  'Create mode: a new item of a type whose label changed deploys': [
    { op: 'changeField', pick: 0, field: 0, change: 'label' },
    { op: 'createItem', pick: 0 },
    { op: 'editLocalized', pick: 0, field: 0, lang: 0 },
  ],
  // Found by `npm run fuzz -- --seed 12` (shrunk): a refused commit in Create mode also draws the
  // mode's own refusal; the oracle accepts exactly those findings beside the fresh restore's.
  'Create mode: a refused commit may also draw the mode refusal': [
    { op: 'removeField', pick: 241, field: 0, stripValues: false },
    { op: 'createPage', pick: 0 },
  ],
  // Found by `npm run fuzz -- --seed 13` (shrunk): Create mode renames no asset folder, so an asset
  // added to the renamed folder names a folder the target does not hold under that name, and is
  // refused ("needs assetFolder … neither on staging nor created"), while a fresh restore accepts
  // the commit. The oracle's Create rule says so in general now (mode-rules.ts); the other modes deploy it.
  'Create mode: an asset added to a renamed folder is refused, other modes deploy it': [
    { op: 'renameAssetFolder', pick: 0 },
    { op: 'createAsset', pick: 0, seed: 1 },
  ],
  'Create mode: a new item of a type whose fields changed is refused': [
    { op: 'addField', pick: 0, localized: false },
    { op: 'createItem', pick: 0 },
  ],
  // Sibling pages with one slug: the unchanged sibling was not in the incremental validation.
  'a slug taken from an unchanged sibling is refused, on both pages': [{ op: 'copySiblingSlug', pick: 0 }],
  // Found by `npm run fuzz -- --seed 7` (shrunk): with three siblings on one slug, the message
  // listed the others in the order the snapshot held them, which differs between a fresh
  // restore and an incremental deploy. They are sorted by path now.
  'three siblings on one slug are named in a stable order': [
    { op: 'copySiblingSlug', pick: 0 },
    { op: 'copySiblingSlug', pick: 651 },
  ],
  // Issue 11: "FERRY_E_PAGE_TREE parent: page home is in channel undefined". Pick 45 is the about
  // page (the 45 items come first); field 0 of landing-page is its headline.
  'a page headline edit deploys incrementally': [{ op: 'editLocalized', pick: 45, field: 0, lang: 0 }],
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
  // Issue 13: content folders and workflows. Folders in path order: events/2026 (pick 0), events (pick 1).
  'moving a content folder moves everything below it, in one deployment': [{ op: 'moveFolder', pick: 0, parent: 0 }],
  'renaming a content folder moves its folders and items (by guid and by code-name path)': [{ op: 'renameFolder', pick: 1 }],
  'a content folder moved without the files below it is refused': [{ op: 'moveFolderAlone', pick: 0, parent: 0 }],
  'a cyclic content folder tree is refused': [{ op: 'makeFolderCycle', pick: 0 }],
  'deleting a non-empty content folder alone is refused': [{ op: 'deleteFolder', pick: 1, withContents: false }],
  'deleting a content folder with everything in it deletes them in Full mode only': [{ op: 'deleteFolder', pick: 1, withContents: true }],
  'an item filed into a content folder of a workspace with a workflow, then out again': [
    { op: 'fileIntoFolder', pick: 0, folder: 1 },
    { op: 'fileIntoFolder', pick: 0, folder: 0 },
  ],
  // Found by the generator (seed 20261204, shrunk): after a refused commit left a folder on a loop,
  // the generator could not place an edit of an item below it (the generator keeps its file now).
  // Picks 23 and 24 are the two events in events/2026 (content in path order).
  'an item below a cyclic folder tree is edited: still refused, in place': [
    { op: 'makeFolderCycle', pick: 0 },
    { op: 'editShared', pick: 24, field: 0 },
  ],
  'an item left in a deleted folder is edited: still refused': [
    { op: 'deleteFolder', pick: 0, withContents: false },
    { op: 'editShared', pick: 23, field: 0 },
  ],
  'workflow moves deploy, and a step the workspace does not declare is refused': [
    { op: 'setStep', pick: 0, lang: 1, step: 2 },
    { op: 'setStep', pick: 1, lang: 0, step: 3 },
    { op: 'setStep', pick: 0, lang: 0, step: 6 },
  ],
  // Issue 13: structured fields. The sample's home page holds the only block list (sections,
  // en-US); landing-page.theme is the only field with a default (light, pick 0), set on about
  // (pick 1 among the pages) and null on contact; brewing-at-home (pick 2) leaves it out.
  'a block edit, an inserted block and a moved block deploy incrementally': [
    { op: 'editBlocks', pick: 0, block: 1, change: 'editField' },
    { op: 'editBlocks', pick: 0, block: 0, change: 'insert' },
    { op: 'editBlocks', pick: 0, block: 2, change: 'move' },
    { op: 'editBlocks', pick: 0, block: 3, change: 'remove' },
  ],
  'a changed default and a field made absent, null or set deploy incrementally': [
    { op: 'changeDefault', pick: 0, change: 'set' },
    { op: 'setFieldState', pick: 0, field: 1, state: 'absent' },
    { op: 'setFieldState', pick: 2, field: 0, state: 'null' },
    { op: 'changeDefault', pick: 0, change: 'remove' },
  ],
  // Found by the generator (wt-i13f, FERRY_FUZZ_RUNS=40, shrunk): with defaults filled into
  // delivered entries, removing a defaulted field changed every entry that inherited it without a
  // Sync event, so a client's delta left it stale. Delivery leaves an absent field out (the
  // default is the schema's field_metadata.default_value), and the delta agrees with a new init.
  'removing a field that has a default keeps the Sync delta and a new init equal': [
    { op: 'removeField', pick: 276, field: 311, stripValues: true },
    { op: 'moveAsset', pick: 0, folder: 0 },
  ],
};
