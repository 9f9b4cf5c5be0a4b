// Ferry: deploy a revision to an environment (deployEnvironment), in-process work time.

import { DIST, ferryContext, probe } from './probe.mjs';

const F = await import(DIST);
// As the CLI's bin.ts does: collect garbage between the phases of a large deployment.
F.enableGarbageCollectionBetweenPhases();

await probe(async ({ root, env, ref, adapter }) => {
  const t0 = performance.now();
  const rc = await F.openRepository(ferryContext(root, adapter));
  const r = await F.deployEnvironment(rc, { environment: F.getEnvironment(rc.repo.config, env), ref, actor: 'bench' });
  const ms = performance.now() - t0;
  return { ms, status: r.status, counts: r.plan.counts, errors: r.diagnostics.filter((d) => d.severity === 'error').length };
});
