import { deployEnvironment } from '../../api/environments.js';
import { EXIT } from '../../errors/catalog.js';
import { actionsStep } from '../../github/step.js';
import { makeProgress, resolveFormat, useColor, type CliIo } from '../io.js';
import { contextOf, seconds } from './ctx.js';
import { printDeployOutcome } from './deploy-output.js';

export default async function deploy(io: CliIo, _args: unknown[], opts: Record<string, any>): Promise<number> {
  const format = resolveFormat(io, opts, ['text', 'markdown', 'json']);
  const result = await actionsStep(io, 'deploy', () => deployEnvironment(contextOf(io), {
    env: opts.env,
    ref: opts.ref,
    workingTree: opts.source === 'working-tree',
    mode: opts.mode,
    reconcile: opts.reconcile === true,
    dryRun: opts.dryRun,
    verifyExternal: opts.verifyExternal,
    actor: opts.actor,
    lockTimeoutMs: seconds(opts.lockTimeout, 60),
    onProgress: makeProgress(io, opts),
  }), { environment: opts.env });
  printDeployOutcome(io, result, format, useColor(io, opts));
  return result.diagnostics.some((d) => d.severity === 'error') ? EXIT.user : EXIT.ok;
}
