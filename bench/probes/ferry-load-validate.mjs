// Ferry: load the working folder (readSnapshot through a folder reader) and validate it, as
// `ferry validate` does: with the repository's validator code cache (.ferry/cache), which is warm
// after the first run (the untimed warm-up read of each size leaves it warm for every run).

import { DIST, ferryContext, probe } from './probe.mjs';

const F = await import(DIST);

await probe(async ({ root }) => {
  const t0 = performance.now();
  const repo = await F.loadRepository(ferryContext(root));
  const snapshot = await F.readSnapshot(F.createFolderReader(repo.root), repo.config);
  const loadMs = performance.now() - t0;
  const diagnostics = F.validateSnapshot(snapshot, repo.config, {
    binaries: snapshot.binaryInfo,
    sourceText: snapshot.sourceText,
    allEntries: snapshot.allEntries,
    validatorCodeCache: repo.validatorCodeCache,
  });
  const ms = performance.now() - t0;
  const errors = diagnostics.filter((d) => d.severity === 'error');
  return { ms, loadMs, validateMs: ms - loadMs, objects: snapshot.entries.size, errors: errors.length, firstError: errors[0]?.message };
});
