import { planEnvironment } from '../../api/environments.js';
import type { RestoreMode } from '../../model/index.js';
import { hasErrors, planHasChanges } from '../../model/index.js';
import { renderDiagnosticsText } from '../../report/diagnostics.js';
import { renderJsonEnvelope } from '../../report/json.js';
import { countsLine, planToJson, renderPlanMarkdown, renderPlanText } from '../../report/plan.js';
import type { CommandOutcome } from '../exit-for.js';
import { makeProgress, resolveFormat, useColor, type CliIo, type GlobalOptions } from '../io.js';
import { environmentOf, openRepositoryOf } from './ctx.js';
import { warnUncommitted } from './deploy-output.js';

export interface PlanFlags extends GlobalOptions {
  env: string;
  ref?: string;
  source?: string;
  mode?: RestoreMode;
  detailedExitcode?: boolean;
  reconcile?: boolean;
  verbose?: boolean;
}

export default async function plan(io: CliIo, _args: readonly unknown[], flags: PlanFlags): Promise<CommandOutcome> {
  const format = resolveFormat(io, flags, ['text', 'markdown', 'json']);
  const result = await io.ci.step('plan', async () => {
    const rc = await openRepositoryOf(io);
    return planEnvironment(rc, {
      environment: environmentOf(rc, flags.env),
      ref: flags.ref,
      workingTree: flags.source === 'working-tree',
      mode: flags.mode,
      reconcile: flags.reconcile === true,
      onProgress: makeProgress(io, flags),
    });
  }, { environment: flags.env });
  const failed = hasErrors(result.diagnostics);
  if (format === 'json') {
    io.stdout.write(renderJsonEnvelope(failed ? 'error' : planHasChanges(result.plan) ? 'ok' : 'no_changes', { plan: planToJson(result.plan) }));
  } else if (format === 'markdown') {
    io.stdout.write(renderPlanMarkdown(result.plan));
  } else {
    io.ci.group(`Plan for ${result.environment}: ${countsLine(result.plan)}`, () => io.stdout.write(renderPlanText(result.plan, { color: useColor(io, flags), verbose: flags.verbose })));
    // In Actions the reporter prints them as annotations instead.
    if (result.diagnostics.length && io.env.GITHUB_ACTIONS !== 'true') io.stderr.write(renderDiagnosticsText(result.diagnostics, { color: useColor(io, flags) }));
  }
  warnUncommitted(io, result, 'planned');
  await io.ci.plan(result);
  return { kind: 'plan', plan: result.plan, diagnostics: result.diagnostics, detailed: flags.detailedExitcode === true };
}
