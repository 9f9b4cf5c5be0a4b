// Ferry: deploy a revision to an environment (deployEnvironment), in-process work time.

import { DIST, ferryContext, probe } from './probe.mjs';

const F = await import(DIST);

await probe(async ({ root, env, ref, adapter }) => {
  const t0 = performance.now();
  const r = await F.deployEnvironment(ferryContext(root, adapter), { env, ref, actor: 'bench' });
  const ms = performance.now() - t0;
  return { ms, status: r.status, counts: r.plan.counts, errors: r.diagnostics.filter((d) => d.severity === 'error').length };
});
