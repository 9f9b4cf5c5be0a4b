export { diffObjects } from './diff-objects.js';
export { changeBetween, diffEntries, diffSnapshots, type DiffOptions } from './diff-entries.js';
export { type DiffFilter } from './filter.js';
export { compareChanges } from './order.js';
export { summarizeChangeset, totalOpCounts, emptyOpCounts, type ChangesetSummary, type OpCounts } from './summary.js';
export { isGuid, namesFor, namesInChangeset, referencedGuids } from './names.js';
