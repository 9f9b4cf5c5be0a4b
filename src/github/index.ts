/** GitHub Actions I/O and release engineering: see README.md. */
export { isGithubActions, type ActionsIo, type Env } from './env.js';
export { escapeData, escapeProperty, workflowCommand } from './workflow-commands.js';
export { group, groupSync } from './group.js';
export { appendStepSummary, STEP_SUMMARY_LIMIT } from './summary.js';
export { formatOutputs, setOutputs, type OutputValue } from './outputs.js';
export { maskSecrets, maskConfigSecrets, configSecrets } from './mask.js';
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
export { postPullRequestComment, type PrCommentRequest, type PrCommentResult } from './pr-comment.js';
export { planOutputs, deployOutputs, reportValidation, reportDiff, reportPlan, reportDeploy, reportFailure, type DiffReport } from './actions-report.js';
export { actionsStep } from './step.js';
export { createRelease, type ReleaseRequest, type ReleaseResult } from './release.js';
export { changelogChangeset, type ChangelogSource } from './changelog-source.js';
export { bumpVersion, compareVersions, formatVersion, latestTag, tagNameFor, versionOfTag, BUMPS, type Bump, type Version } from './semver.js';
export { initRepository, starterObjects, INIT_FOLDER, type InitRequest, type InitResult } from './init.js';
