/** Semantic three-way merge of content files (the git merge driver's pure core). */
export { mergeContentFile, type FileMergeInput, type FileMerge, type MergeConflictReport } from './merge-file.js';
export { mergeObjects, type ObjectMerge, type ObjectConflict } from './merge-objects.js';
export { mergeValue, deepEqual, type ValueConflict, type Resolutions, type MergeContext } from './merge-values.js';
export { mergeText, splitLines, type TextMerge, type TextConflict } from './merge-text.js';
export { writeConflictMarkers, DEFAULT_LABELS, type MarkerLabels } from './conflict-text.js';
export { CONTENT_IDENTITY, type IdentityRule } from './list-identity.js';
