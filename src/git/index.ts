export type { CommitInfo, DiffTreesOptions, GitPort, TreeDiffEntry, TreeEntry } from './git-port.js';
export { createPlumbingGit, GitBinaryMissingError } from './plumbing-git.js';
export { createIsoGit } from './iso-git.js';
export { openGit, type GitAdapterName, type OpenGitOptions } from './open-git.js';
export { normalizePrefix, isUnderPrefix } from './prefix.js';
export { createGitWriter, type GitWriter } from './git-writer.js';
