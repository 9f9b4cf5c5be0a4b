import { deployEnvironment, planEnvironment, resolveRollbackTarget } from '../../api/environments.js';
import { FerryError } from '../../errors/ferry-error.js';
import { renderPlanText } from '../../report/plan.js';
import type { CommandOutcome } from '../exit-for.js';
import { makeProgress, resolveFormat, useColor, type CliIo, type GlobalOptions } from '../io.js';
import { environmentOf, openRepositoryOf, seconds } from './ctx.js';
import { printDeployOutcome } from './deploy-output.js';

export interface RollbackFlags extends GlobalOptions {
  env: string;
  to: string;
  yes?: boolean;
  actor?: string;
  lockTimeout?: string;
}

export default async function rollback(io: CliIo, _args: readonly unknown[], flags: RollbackFlags): Promise<CommandOutcome> {
  const format = resolveFormat(io, flags, ['text', 'json']);
  const lockTimeoutMs = seconds(flags.lockTimeout, 60);
  const rc = await openRepositoryOf(io);
  const environment = environmentOf(rc, flags.env);
  const target = await resolveRollbackTarget(rc, environment, flags.to);
  const planned = await planEnvironment(rc, { environment, ref: target.commit, mode: 'Full' });
  if (format !== 'json') {
    io.stdout.write(`Rollback of ${flags.env} to ${target.label} (${target.commit.slice(0, 10)}), Full mode:\n`);
    io.stdout.write(renderPlanText(planned.plan, { color: useColor(io, flags) }));
  }
  if (!flags.yes) {
    if (!io.confirm) {
      throw new FerryError('FERRY_E_USAGE', 'Rollback needs confirmation: pass --yes when not running in a terminal', { hint: 'Review the plan above, then re-run with --yes.' });
    }
    if (!(await io.confirm(`Apply this rollback to ${flags.env}?`))) {
      io.stderr.write('Rollback cancelled; nothing was written.\n');
      return { kind: 'declined' };
    }
  }
  const result = await deployEnvironment(rc, {
    environment,
    ref: target.commit,
    mode: 'Full',
    actor: flags.actor,
    lockTimeoutMs,
    message: `rollback to ${target.label}`,
    onProgress: makeProgress(io, flags),
  });
  await printDeployOutcome(io, result, format, useColor(io, flags), { planShown: true });
  return { kind: 'deployment', diagnostics: result.diagnostics };
}
