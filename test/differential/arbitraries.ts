/** fast-check arbitraries for the edits of content-ops.ts: every operation, any targets. */
import fc from 'fast-check';
import { BLOCK_CHANGES, STATUSES, type Op } from './content-ops.js';

const nat = fc.nat({ max: 1000 });
const editable = fc.constantFrom('contentItem' as const, 'page' as const, 'asset' as const);

export const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('createItem' as const), pick: nat }),
  fc.record({ op: fc.constant('createPage' as const), pick: nat }),
  fc.record({ op: fc.constant('createAsset' as const), pick: nat, seed: nat }),
  fc.record({ op: fc.constant('editShared' as const), pick: nat, field: nat }),
  fc.record({ op: fc.constant('editLocalized' as const), pick: nat, field: nat, lang: nat }),
  fc.record({ op: fc.constant('addVariant' as const), pick: nat }),
  fc.record({ op: fc.constant('removeVariant' as const), pick: nat, lang: nat }),
  fc.record({ op: fc.constant('setStatus' as const), pick: nat, lang: nat, status: fc.constantFrom(...STATUSES) }),
  fc.record({ op: fc.constant('rename' as const), pick: nat, kind: editable }),
  fc.record({ op: fc.constant('moveAsset' as const), pick: nat, folder: nat }),
  fc.record({ op: fc.constant('renameAssetFolder' as const), pick: nat }),
  fc.record({ op: fc.constant('movePage' as const), pick: nat, parent: nat }),
  fc.record({ op: fc.constant('reorderPages' as const), pick: nat }),
  fc.record({ op: fc.constant('copySiblingSlug' as const), pick: nat }),
  fc.record({ op: fc.constant('movePageBelowItself' as const), pick: nat }),
  fc.record({ op: fc.constant('delete' as const), pick: nat, kind: editable, unreferenced: fc.boolean() }),
  fc.record({ op: fc.constant('addField' as const), pick: nat, localized: fc.boolean() }),
  fc.record({ op: fc.constant('removeField' as const), pick: nat, field: nat, stripValues: fc.boolean() }),
  fc.record({ op: fc.constant('changeField' as const), pick: nat, field: nat, change: fc.constantFrom('label' as const, 'required' as const, 'maxLength' as const) }),
  fc.record({ op: fc.constant('replaceBinary' as const), pick: nat, seed: nat }),
  fc.record({ op: fc.constant('deleteBinaryOnly' as const), pick: nat }),
  fc.record({ op: fc.constant('editSupporting' as const), pick: nat, kind: fc.constantFrom('language' as const, 'channel' as const, 'workspace' as const) }),
  fc.record({ op: fc.constant('editReference' as const), pick: nat, field: nat, target: nat }),
  fc.record({ op: fc.constant('moveFolder' as const), pick: nat, parent: nat }),
  fc.record({ op: fc.constant('renameFolder' as const), pick: nat }),
  fc.record({ op: fc.constant('moveFolderAlone' as const), pick: nat, parent: nat }),
  fc.record({ op: fc.constant('makeFolderCycle' as const), pick: nat }),
  fc.record({ op: fc.constant('fileIntoFolder' as const), pick: nat, folder: nat }),
  fc.record({ op: fc.constant('deleteFolder' as const), pick: nat, withContents: fc.boolean() }),
  fc.record({ op: fc.constant('setStep' as const), pick: nat, lang: nat, step: nat }),
  fc.record({ op: fc.constant('editBlocks' as const), pick: nat, block: nat, change: fc.constantFrom(...BLOCK_CHANGES) }),
  fc.record({ op: fc.constant('changeDefault' as const), pick: nat, change: fc.constantFrom('set' as const, 'remove' as const) }),
  fc.record({ op: fc.constant('setFieldState' as const), pick: nat, field: nat, state: fc.constantFrom('absent' as const, 'null' as const, 'value' as const) }),
);

/** A sequence of one to five edits: each becomes a commit, deployed one after the other. */
export const opSequenceArbitrary: fc.Arbitrary<Op[]> = fc.array(opArbitrary, { minLength: 1, maxLength: 5 });
