/** The GitHub Actions wrapper: see README.md. */
export { isGithubActions, type ActionsIo, type Env } from './env.js';
export { escapeData, escapeProperty, workflowCommand } from './workflow-commands.js';
export { group, groupSync } from './group.js';
export { appendStepSummary, STEP_SUMMARY_LIMIT } from './summary.js';
export { formatOutputs, setOutputs, type OutputValue } from './outputs.js';
export { maskSecrets, configSecrets } from './mask.js';
export { readEvent, pullRequestOf, type ActionsEvent, type PullRequestInfo } from './event.js';
export {
  upsertStickyComment,
  commentMarker,
  fitCommentBody,
  COMMENT_LIMIT,
  DEFAULT_MARKER,
  type StickyCommentOptions,
  type StickyCommentResult,
} from './sticky-comment.js';
export { postPullRequestComment } from './pr-comment.js';
export { planOutputs, deployOutputs, reportValidation, reportDiff, reportPlan, reportDeploy, reportRelease, reportFailure } from './actions-report.js';
export { createActionsReporter } from './ci-reporter.js';
