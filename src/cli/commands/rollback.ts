import { deployEnvironment, planEnvironment, resolveRollbackTarget } from '../../api/environments.js';
import { EXIT } from '../../errors/catalog.js';
import { FerryError } from '../../errors/ferry-error.js';
import { renderPlanText } from '../../report/plan.js';
import { makeProgress, resolveFormat, useColor, type CliIo } from '../io.js';
import { contextOf, seconds } from './ctx.js';
import { printDeployOutcome } from './deploy-output.js';

export default async function rollback(io: CliIo, _args: unknown[], opts: Record<string, any>): Promise<number> {
  const ctx = contextOf(io);
  const format = resolveFormat(io, opts, ['text', 'json']);
  const lockTimeoutMs = seconds(opts.lockTimeout, 60);
  const target = await resolveRollbackTarget(ctx, opts.env, opts.to);
  const planned = await planEnvironment(ctx, { env: opts.env, ref: target.commit, mode: 'Full' });
  if (format !== 'json') {
    io.stdout.write(`Rollback of ${opts.env} to ${target.label} (${target.commit.slice(0, 10)}), Full mode:\n`);
    io.stdout.write(renderPlanText(planned.plan, { color: useColor(io, opts) }));
  }
  if (!opts.yes) {
    if (!io.confirm) {
      throw new FerryError('FERRY_E_USAGE', 'Rollback needs confirmation: pass --yes when not running in a terminal', { hint: 'Review the plan above, then re-run with --yes.' });
    }
    if (!(await io.confirm(`Apply this rollback to ${opts.env}?`))) {
      io.stderr.write('Rollback cancelled; nothing was written.\n');
      return EXIT.user;
    }
  }
  const result = await deployEnvironment(ctx, {
    env: opts.env,
    ref: target.commit,
    mode: 'Full',
    actor: opts.actor,
    lockTimeoutMs,
    message: `rollback to ${target.label}`,
    onProgress: makeProgress(io, opts),
  });
  printDeployOutcome(io, result, format, useColor(io, opts), { planShown: true });
  return EXIT.ok;
}
