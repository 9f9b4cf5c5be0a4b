// Ferry: load a whole commit's snapshot (readSnapshot through a commit reader), no validation.
// The "full snapshot load" a changeset must stay far below.

import { DIST, ferryContext, probe } from './probe.mjs';

const F = await import(DIST);

await probe(async ({ root, rev, adapter }) => {
  const ctx = ferryContext(root, adapter);
  const t0 = performance.now();
  const rc = await F.openRepository(ctx);
  const repo = rc.repo;
  const git = await F.openRepositoryGit(rc);
  try {
    const sha = await git.resolveRevision(rev);
    const snapshot = await F.readSnapshot(F.createCommitReader(git, sha), repo.config, { keepSourceText: 'failed' });
    return { ms: performance.now() - t0, objects: snapshot.entries.size, diagnostics: snapshot.diagnostics.length };
  } finally {
    await git.close();
  }
});
