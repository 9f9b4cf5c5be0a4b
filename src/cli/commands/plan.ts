import { planEnvironment } from '../../api/environments.js';
import { EXIT } from '../../errors/catalog.js';
import { reportPlan } from '../../github/actions-report.js';
import { groupSync } from '../../github/group.js';
import { actionsStep } from '../../github/step.js';
import { hasErrors, planHasChanges } from '../../model/index.js';
import { renderDiagnosticsText } from '../../report/diagnostics.js';
import { countsLine, planToJson, renderPlanMarkdown, renderPlanText } from '../../report/plan.js';
import { makeProgress, resolveFormat, useColor, type CliIo } from '../io.js';
import { contextOf } from './ctx.js';
import { warnUncommitted } from './deploy-output.js';

export default async function plan(io: CliIo, _args: unknown[], opts: Record<string, any>): Promise<number> {
  const format = resolveFormat(io, opts, ['text', 'markdown', 'json']);
  const result = await actionsStep(io, 'plan', () => planEnvironment(contextOf(io), {
    env: opts.env,
    ref: opts.ref,
    workingTree: opts.source === 'working-tree',
    mode: opts.mode,
    reconcile: opts.reconcile === true,
    onProgress: makeProgress(io, opts),
  }), { environment: opts.env });
  const failed = hasErrors(result.diagnostics);
  if (format === 'json') {
    io.stdout.write(JSON.stringify({ status: failed ? 'error' : planHasChanges(result.plan) ? 'ok' : 'no_changes', plan: planToJson(result.plan) }, null, 2) + '\n');
  } else if (format === 'markdown') {
    io.stdout.write(renderPlanMarkdown(result.plan));
  } else {
    groupSync(io, `Plan for ${result.environment}: ${countsLine(result.plan)}`, () => io.stdout.write(renderPlanText(result.plan, { color: useColor(io, opts), verbose: opts.verbose })));
    if (result.diagnostics.length) io.stderr.write(renderDiagnosticsText(result.diagnostics, { color: useColor(io, opts) }));
  }
  warnUncommitted(io, result, 'planned');
  reportPlan(io, result);
  if (failed) return EXIT.user;
  if (opts.detailedExitcode) return planHasChanges(result.plan) ? EXIT.changes : EXIT.ok;
  return EXIT.ok;
}
