import { deployEnvironment } from '../../api/environments.js';
import type { RestoreMode } from '../../model/index.js';
import type { CommandOutcome } from '../exit-for.js';
import { makeProgress, resolveFormat, useColor, type CliIo, type GlobalOptions } from '../io.js';
import { environmentOf, openRepositoryOf, seconds } from './ctx.js';
import { printDeployOutcome } from './deploy-output.js';

export interface DeployFlags extends GlobalOptions {
  env: string;
  ref?: string;
  source?: string;
  mode?: RestoreMode;
  dryRun?: boolean;
  verifyExternal?: boolean;
  actor?: string;
  lockTimeout?: string;
  reconcile?: boolean;
}

export default async function deploy(io: CliIo, _args: readonly unknown[], flags: DeployFlags): Promise<CommandOutcome> {
  const format = resolveFormat(io, flags, ['text', 'markdown', 'json']);
  const lockTimeoutMs = seconds(flags.lockTimeout, 60);
  const result = await io.ci.step('deploy', async () => {
    const rc = await openRepositoryOf(io);
    return deployEnvironment(rc, {
      environment: environmentOf(rc, flags.env),
      ref: flags.ref,
      workingTree: flags.source === 'working-tree',
      mode: flags.mode,
      reconcile: flags.reconcile === true,
      dryRun: flags.dryRun,
      verifyExternal: flags.verifyExternal,
      actor: flags.actor,
      lockTimeoutMs,
      onProgress: makeProgress(io, flags),
    });
  }, { environment: flags.env });
  await printDeployOutcome(io, result, format, useColor(io, flags));
  return { kind: 'deployment', diagnostics: result.diagnostics };
}
