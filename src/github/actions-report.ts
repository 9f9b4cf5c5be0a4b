// What each CLI command leaves in a GitHub Actions job: a job summary section, step outputs and
// annotations. The commands call these after printing their normal output; outside Actions
// (GITHUB_ACTIONS unset) they do nothing.
import type { DiffReport } from '../api/ci-reporter.js';
import type { DeployOutcome, PlanResult } from '../api/environments.js';
import type { ReleaseResult } from '../api/release.js';
import type { ValidateResult } from '../api/validate.js';
import { summarizeChangeset, totalOpCounts } from '../diff/index.js';
import { isFerryError } from '../errors/index.js';
import type { Diagnostic, DeploymentCounts, Plan } from '../model/index.js';
import { hasErrors, planHasChanges } from '../model/index.js';
import { renderChangesetMarkdown } from '../report/changeset-markdown.js';
import { renderDiagnosticsGithub, renderDiagnosticsMarkdown } from '../report/diagnostics.js';
import { countsLine, renderPlanMarkdown } from '../report/plan.js';
import { isGithubActions, type ActionsIo } from './env.js';
import { setOutputs, type OutputValue } from './outputs.js';
import { appendStepSummary } from './summary.js';
import { workflowCommand } from './workflow-commands.js';

/** Outputs every deploy-like step sets: counts by operation, as strings. */
function countOutputs(c: DeploymentCounts): Record<string, OutputValue> {
  return { created: c.create, updated: c.update, renamed: c.rename, deleted: c.delete, published: c.publish, unpublished: c.unpublish, skipped: c.skip };
}

/** Step outputs of `ferry plan`. `deployed_commit` is what the environment has now. */
export function planOutputs(plan: Plan, diagnostics: readonly Diagnostic[]): Record<string, OutputValue> {
  const failed = hasErrors(diagnostics);
  return {
    environment: plan.environment,
    status: failed ? 'error' : planHasChanges(plan) ? 'changes' : 'no_changes',
    has_changes: planHasChanges(plan),
    deployed_commit: plan.baseCommit ?? '',
    head_commit: plan.headCommit ?? '',
    mode: plan.mode,
    ...countOutputs(plan.counts),
  };
}

/** Step outputs of `ferry deploy`, `promote` and `rollback`. */
export function deployOutputs(result: DeployOutcome): Record<string, OutputValue> {
  const d = result.deployment;
  const applied = result.status === 'succeeded' || result.status === 'no-op';
  return {
    environment: result.environment,
    status: result.status,
    deployment_id: d?.id ?? '',
    // The commit this step deployed, or would deploy (dry run).
    commit: result.commit ?? '',
    // The commit the environment has after this step (unchanged by a dry run).
    deployed_commit: applied ? (result.commit ?? '') : (result.plan.baseCommit ?? ''),
    tag: result.tag ?? '',
    has_changes: planHasChanges(result.plan),
    mode: result.plan.mode,
    ...countOutputs(result.plan.counts),
  };
}

export function reportValidation(io: ActionsIo, result: ValidateResult): void {
  if (!isGithubActions(io.env)) return;
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = result.diagnostics.length - errors;
  const title = `### ${errors ? '❌ Ferry validation failed' : '✅ Ferry validation passed'}`;
  const what = `${result.objects} objects in \`${result.subject}\`${result.checkedKeys !== undefined ? ` (${result.checkedKeys} changed or referring objects checked)` : ''}: ${errors} error(s), ${warnings} warning(s).`;
  appendStepSummary(io.env, `${title}\n\n${what}\n\n${result.diagnostics.length ? renderDiagnosticsMarkdown(result.diagnostics) : ''}`);
  setOutputs(io.env, { status: errors ? 'error' : 'ok', errors, warnings, objects: result.objects });
}


export function reportDiff(io: ActionsIo, report: DiffReport): void {
  if (!isGithubActions(io.env)) return;
  const md = report.markdown ?? renderChangesetMarkdown(report.changeset, { reportHint: report.out ? `The full report is in \`${report.out}\`.` : undefined });
  appendStepSummary(io.env, md.markdown);
  const t = totalOpCounts(summarizeChangeset(report.changeset));
  setOutputs(io.env, {
    has_changes: report.changeset.changes.length > 0,
    truncated: md.truncated,
    base_commit: report.changeset.base ?? '',
    head_commit: report.changeset.head ?? '',
    created: t.create,
    updated: t.update,
    renamed: t.rename,
    deleted: t.delete,
  });
}

export function reportPlan(io: ActionsIo, result: PlanResult): void {
  if (!isGithubActions(io.env)) return;
  // As validate does: every finding an annotation on its file (on stderr: stdout may be the PR report).
  if (result.diagnostics.length) io.stderr.write(renderDiagnosticsGithub(result.diagnostics));
  appendStepSummary(io.env, renderPlanMarkdown(result.plan) + (result.diagnostics.length ? `\n${renderDiagnosticsMarkdown(result.diagnostics)}` : ''));
  setOutputs(io.env, planOutputs(result.plan, result.diagnostics));
}

export function reportDeploy(io: ActionsIo, result: DeployOutcome): void {
  if (!isGithubActions(io.env)) return;
  const d = result.deployment;
  const at = result.commit ? `\`${result.commit.slice(0, 10)}\`${result.tag ? ` (${result.tag})` : ''}` : 'the working tree';
  const heading =
    result.status === 'succeeded'
      ? `### 🚀 Deployed ${at} to ${result.environment} (deployment #${d?.id})`
      : result.status === 'no-op'
        ? `### ✅ ${result.environment} already has ${at}: nothing to do${d ? ` (deployment #${d.id}, no-op)` : ''}`
        : result.status === 'dry-run'
          ? `### 🧪 Dry run of ${at} on ${result.environment}: nothing written`
          : `### ❌ Deployment of ${at} to ${result.environment} failed`;
  const body = [heading, '', `${countsLine(result.plan)}.`, '', renderPlanMarkdown(result.plan)];
  if (result.diagnostics.length) body.push(renderDiagnosticsMarkdown(result.diagnostics));
  appendStepSummary(io.env, body.join('\n'));
  setOutputs(io.env, deployOutputs(result));
}

/** `ferry release`: the release notes as the job summary, the tag in the outputs. */
export function reportRelease(io: ActionsIo, result: ReleaseResult): void {
  if (!isGithubActions(io.env)) return;
  appendStepSummary(io.env, result.notes);
  setOutputs(io.env, { tag: result.tag, previous_tag: result.previousTag ?? '', commit: result.commit, created: result.created, pushed: result.pushed });
}

/**
 * A command failed with an error: annotate its diagnostics (errors with file and line land on the
 * pull request's files), say so in the summary, and set `status=failed`.
 */
export function reportFailure(io: ActionsIo, command: string, error: unknown, outputs: Record<string, OutputValue> = {}): void {
  if (!isGithubActions(io.env) || !isFerryError(error)) return;
  // On stderr: stdout may be redirected into a report file; the runner reads commands from both.
  if (error.diagnostics.length) io.stderr.write(renderDiagnosticsGithub(error.diagnostics));
  else io.stderr.write(workflowCommand('error', { file: error.loc?.file, line: error.loc?.line, col: error.loc?.column, title: error.code }, error.message));
  const lines = [`### ❌ ferry ${command} failed`, '', `\`${error.code}\` ${error.message}`, '', `Hint: ${error.hint}`, ''];
  if (error.diagnostics.length) lines.push(renderDiagnosticsMarkdown(error.diagnostics));
  appendStepSummary(io.env, lines.join('\n'));
  setOutputs(io.env, { ...outputs, status: 'failed', error_code: error.code });
}
