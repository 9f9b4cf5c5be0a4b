// Ferry: the changeset between two revisions (diffRevisions), plumbing or isomorphic-git adapter.

import { DIST, ferryContext, probe } from './probe.mjs';

const F = await import(DIST);

await probe(async ({ root, base, head, adapter }) => {
  const t0 = performance.now();
  const r = await F.diffRevisions(await F.openRepository(ferryContext(root, adapter)), { base, head });
  const ms = performance.now() - t0;
  return { ms, changes: r.changeset.changes.length, filesRead: r.filesRead, diagnostics: r.diagnostics.length };
});
