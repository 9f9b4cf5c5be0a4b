import type { DeployOutcome } from '../../api/environments.js';
import { hasErrors } from '../../model/index.js';
import { renderDiagnosticsGithub, renderDiagnosticsText } from '../../report/diagnostics.js';
import { renderJsonEnvelope } from '../../report/json.js';
import { countsLine, planToJson, renderPlanMarkdown, renderPlanText } from '../../report/plan.js';
import type { CliIo, OutputFormat } from '../io.js';

/** Prints a deployment's outcome in the chosen format; in GitHub Actions also the job summary and step outputs. */
export async function printDeployOutcome(io: CliIo, result: DeployOutcome, format: OutputFormat, color: boolean, opts: { planShown?: boolean } = {}): Promise<void> {
  printOutcome(io, result, format, color, opts.planShown ?? false);
  warnUncommitted(io, result, 'deployed');
  await io.ci.deployment(result);
}

/**
 * Says so when the working tree's repository folder differs from the commit that was planned or
 * deployed by default (HEAD): otherwise "No changes" reads as if the edits had been looked at.
 */
export function warnUncommitted(io: CliIo, result: { uncommitted?: string[]; commit?: string }, verb: 'deployed' | 'planned'): void {
  const files = result.uncommitted;
  if (!files?.length) return;
  const shown = files.slice(0, 5).join(', ');
  const more = files.length > 5 ? ` and ${files.length - 5} more` : '';
  io.stderr.write(
    `warning: the working tree differs from the ${verb} revision HEAD${result.commit ? ` (${result.commit.slice(0, 10)})` : ''} in ${files.length} file(s): ${shown}${more}.\n` +
      `hint: Those edits were not ${verb}. Commit them and run this again, or use \`--source working-tree\` to ${verb === 'deployed' ? 'deploy' : 'plan'} the folder as it is.\n`,
  );
}

function printOutcome(io: CliIo, result: DeployOutcome, format: OutputFormat, color: boolean, planShown: boolean): void {
  const d = result.deployment;
  if (format === 'json') {
    // A dry run whose plan has errors fails as the deployment would: the envelope says so too.
    io.stdout.write(
      renderJsonEnvelope(hasErrors(result.diagnostics) ? 'error' : result.status === 'no-op' ? 'no_changes' : 'ok', {
        result: result.status,
        environment: result.environment,
        commit: result.commit ?? null,
        tag: result.tag ?? null,
        deployment: d ?? null,
        plan: planToJson(result.plan),
      }),
    );
    return;
  }
  if (format === 'markdown') {
    io.stdout.write(renderPlanMarkdown(result.plan));
    return;
  }
  // A rollback shows its plan before asking; do not print it twice.
  if (result.plan.steps.length && !planShown) io.ci.group(`Plan: ${countsLine(result.plan)}`, () => io.stdout.write(renderPlanText(result.plan, { color })));
  if (result.diagnostics.length && (format === 'github' || io.env.GITHUB_ACTIONS === 'true')) io.stdout.write(renderDiagnosticsGithub(result.diagnostics));
  else if (result.diagnostics.length) io.stderr.write(renderDiagnosticsText(result.diagnostics, { color }));
  const target = `${result.environment}${result.commit ? ` at ${result.commit.slice(0, 10)}${result.tag ? ` (${result.tag})` : ''}` : ' from the working tree'}`;
  if (result.status === 'dry-run') io.stdout.write(`Dry run: nothing written to ${result.environment}.\n`);
  else if (result.status === 'no-op') io.stdout.write(`No changes: ${target} is up to date${d ? ` (deployment #${d.id} recorded as no-op)` : ''}.\n`);
  else io.stdout.write(`Deployed ${target} as deployment #${d?.id}: ${countsLine(result.plan, true)}.\n`);
}
