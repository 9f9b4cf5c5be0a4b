import { validateSnapshot, findReferrers } from '../validate/index.js';
import type { Diagnostic, TreeReader } from '../model/index.js';
import { compareDiagnostics } from '../model/index.js';
import { createCommitReader, createFolderReader, folderListPrefix, readSnapshot, readSnapshotPaths } from '../snapshot/index.js';
import { openRepositoryGit, type RepositoryContext } from './context.js';
import { parseRange } from './diff.js';

export interface ValidateRequest {
  /** Validate the snapshot at this revision instead of the working folder. */
  ref?: string;
  /** `BASE...HEAD`: validate what changed (and what references it) at HEAD. */
  changed?: string;
  onProgress?: (phase: string, done: number, total: number) => void;
}

export interface ValidateResult {
  diagnostics: Diagnostic[];
  objects: number;
  /** What was validated: `working tree`, a commit sha, or `BASE...HEAD`. */
  subject: string;
  /** With `changed`: the keys whose objects were checked. */
  checkedKeys?: number;
}

/**
 * Validates a snapshot: the working folder, a revision, or with `changed` only the objects that
 * changed between two revisions plus every object that references them (so a reference to a
 * deleted object is still reported).
 */
export async function validateRepository(rc: RepositoryContext, req: ValidateRequest = {}): Promise<ValidateResult> {
  const { repo } = rc;
  const needsGit = Boolean(req.ref || req.changed);
  const git = needsGit ? await openRepositoryGit(rc) : undefined;
  try {
    let reader: TreeReader = createFolderReader(repo.root);
    let subject = 'working tree';
    let only: Set<string> | undefined;
    let checkedKeys: number | undefined;
    if (git && req.changed) {
      const range = parseRange(req.changed);
      const headSha = await git.resolveRevision(range.head ?? 'HEAD');
      let baseSha = await git.resolveRevision(range.base);
      if (range.mergeBase) baseSha = await git.mergeBase(baseSha, headSha);
      reader = createCommitReader(git, headSha);
      subject = `${range.base}${range.mergeBase ? '...' : '..'}${range.head ?? 'HEAD'}`;
      const diffs = await git.diffTrees(baseSha, headSha, folderListPrefix(repo.config));
      const snapshot = await readSnapshot(reader, repo.config, { onProgress: (d: number, t: number) => req.onProgress?.('read', d, t) });
      const changedPaths = new Set(diffs.map((d) => d.path));
      const touched = new Set<string>();
      for (const e of snapshot.allEntries) if (changedPaths.has(e.path)) touched.add(e.key);
      // Deleted files: their keys come from the base side.
      const deleted = diffs.filter((d) => !d.newOid && d.oldOid);
      if (deleted.length) {
        const baseReader = createCommitReader(git, baseSha);
        baseReader.remember(deleted.map((d) => ({ path: d.path, oid: d.oldOid! })));
        const gone = await readSnapshotPaths(baseReader, repo.config, deleted.map((d) => ({ path: d.path, oid: d.oldOid })), { keepSourceText: 'failed' });
        for (const e of gone.allEntries) touched.add(e.key);
      }
      only = new Set([...touched, ...findReferrers(snapshot, touched)]);
      checkedKeys = only.size;
      const diagnostics = validateSnapshot(snapshot, repo.config, {
        binaries: snapshot.binaryInfo,
        sourceText: snapshot.sourceText,
        allEntries: snapshot.allEntries,
        only,
        validatorCodeCache: repo.validatorCodeCache,
      }).filter((d) => !d.file || changedPaths.has(d.file) || !d.object?.guid || only!.has(d.object.guid) || d.object.kind === 'language');
      return { diagnostics: diagnostics.sort(compareDiagnostics), objects: snapshot.entries.size, subject, checkedKeys };
    }
    if (git && req.ref) {
      const sha = await git.resolveRevision(req.ref);
      reader = createCommitReader(git, sha);
      subject = sha;
    }
    const snapshot = await readSnapshot(reader, repo.config, { onProgress: (d: number, t: number) => req.onProgress?.('read', d, t) });
    const diagnostics = validateSnapshot(snapshot, repo.config, {
      binaries: snapshot.binaryInfo,
      sourceText: snapshot.sourceText,
      allEntries: snapshot.allEntries,
      validatorCodeCache: repo.validatorCodeCache,
    });
    return { diagnostics, objects: snapshot.entries.size, subject };
  } finally {
    await git?.close();
  }
}
