import { promoteEnvironment } from '../../api/environments.js';
import { EXIT } from '../../errors/catalog.js';
import { actionsStep } from '../../github/step.js';
import { makeProgress, resolveFormat, useColor, type CliIo } from '../io.js';
import { contextOf, seconds } from './ctx.js';
import { printDeployOutcome } from './deploy-output.js';

export default async function promote(io: CliIo, args: unknown[], opts: Record<string, any>): Promise<number> {
  const [from, to] = args as [string, string];
  const format = resolveFormat(io, opts, ['text', 'markdown', 'json']);
  const result = await actionsStep(io, 'promote', () => promoteEnvironment(contextOf(io), {
    from,
    to,
    mode: opts.mode,
    dryRun: opts.dryRun,
    actor: opts.actor,
    lockTimeoutMs: seconds(opts.lockTimeout, 60),
    onProgress: makeProgress(io, opts),
  }), { environment: to });
  printDeployOutcome(io, result, format, useColor(io, opts));
  return EXIT.ok;
}
