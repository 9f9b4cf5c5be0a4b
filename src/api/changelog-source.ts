import { openRepositoryGit, type RepositoryContext } from './context.js';
import { diffRevisions } from './diff.js';
import { diffEntries } from '../diff/index.js';
import { decodeFile } from '../format/decode.js';
import { classifyPath } from '../format/layout.js';
import type { Changeset, Diagnostic, SnapshotEntry } from '../model/index.js';
import { createCommitReader } from '../snapshot/index.js';

export interface ChangelogSource {
  changeset: Changeset;
  /** Files that could not be read as objects (reported, not listed as changes). */
  diagnostics: Diagnostic[];
}

/**
 * The changeset a changelog describes: from `from` to `to` (git's tree diff: only changed files
 * are read), or, without `from` (a first release), everything at `to` as created.
 */
export async function changelogChangeset(rc: RepositoryContext, from: string | undefined, to: string): Promise<ChangelogSource> {
  if (from !== undefined) {
    const r = await diffRevisions(rc, { base: from, head: to });
    return { changeset: r.changeset, diagnostics: r.diagnostics };
  }
  const { repo } = rc;
  const git = await openRepositoryGit(rc);
  try {
    const head = await git.resolveRevision(to);
    const reader = createCommitReader(git, head);
    const folder = repo.config.folder;
    const paths = (await reader.list(folder === '.' ? '' : folder)).map((e) => e.path).filter((p) => classifyPath(p, folder).type === 'object');
    const bytes = await reader.read(paths);
    const entries: SnapshotEntry[] = [];
    const diagnostics: Diagnostic[] = [];
    for (const path of paths) {
      const data = bytes.get(path);
      if (!data) continue;
      const r = decodeFile({ path, bytes: data }, { folder, maxFileSize: repo.config.maxFileSize });
      if (r.ok) entries.push(r.entry);
      else diagnostics.push(...r.diagnostics);
    }
    const changeset = diffEntries([], entries, {});
    changeset.head = head;
    return { changeset, diagnostics };
  } finally {
    await git.close();
  }
}
