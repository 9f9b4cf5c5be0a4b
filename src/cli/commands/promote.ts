import { promoteEnvironment } from '../../api/environments.js';
import type { RestoreMode } from '../../model/index.js';
import type { CommandOutcome } from '../exit-for.js';
import { makeProgress, resolveFormat, useColor, type CliIo, type GlobalOptions } from '../io.js';
import { environmentOf, openRepositoryOf, seconds } from './ctx.js';
import { printDeployOutcome } from './deploy-output.js';

export interface PromoteFlags extends GlobalOptions {
  mode?: RestoreMode;
  dryRun?: boolean;
  actor?: string;
  lockTimeout?: string;
}

export default async function promote(io: CliIo, args: readonly unknown[], flags: PromoteFlags): Promise<CommandOutcome> {
  const [from, to] = args as [string, string];
  const format = resolveFormat(io, flags, ['text', 'markdown', 'json']);
  const lockTimeoutMs = seconds(flags.lockTimeout, 60);
  const result = await io.ci.step('promote', async () => {
    const rc = await openRepositoryOf(io);
    return promoteEnvironment(rc, {
      from: environmentOf(rc, from),
      to: environmentOf(rc, to),
      mode: flags.mode,
      dryRun: flags.dryRun,
      actor: flags.actor,
      lockTimeoutMs,
      onProgress: makeProgress(io, flags),
    });
  }, { environment: to });
  await printDeployOutcome(io, result, format, useColor(io, flags));
  return { kind: 'deployment', diagnostics: result.diagnostics };
}
