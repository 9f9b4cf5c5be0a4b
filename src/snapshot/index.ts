export { createFolderReader, type FolderReader } from './folder-reader.js';
export { createCommitReader, commonFolder, type CommitReader } from './commit-reader.js';
export {
  readSnapshot,
  readSnapshotPaths,
  folderListPrefix,
  type LoadedSnapshot,
  type ReadSnapshotOptions,
} from './read-snapshot.js';
export { readFileNoFollow, refuseSymlinkedPath, symlinkRefused } from './symlinks.js';
export { readCommitChanges, readChangedSnapshots, type ChangedFile, type CommitChanges } from './commit-changes.js';
