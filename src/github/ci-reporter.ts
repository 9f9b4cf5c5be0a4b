import type { CiReporter } from '../api/ci-reporter.js';
import { isGithubActions, type ActionsIo } from './env.js';
import { groupSync } from './group.js';

/**
 * The GitHub Actions reporter: job summary, step outputs, annotations, masks and the sticky pull
 * request comment. Its modules load when a method first needs them, so `ferry --version` stays
 * small; outside Actions (GITHUB_ACTIONS not `true`) only the pull request comment does anything.
 */
export function createActionsReporter(io: ActionsIo & { cwd: string }): CiReporter {
  const inActions = isGithubActions(io.env);
  const report = () => import('./actions-report.js');
  const outputs = () => import('./outputs.js');
  return {
    async maskSecrets(rc) {
      if (!inActions) return;
      const { configSecrets, maskSecrets } = await import('./mask.js');
      maskSecrets(io, configSecrets(rc.repo.config, rc.env));
    },
    async step(command, work, failureOutputs) {
      try {
        return await work();
      } catch (e) {
        if (inActions) (await report()).reportFailure(io, command, e, failureOutputs);
        throw e;
      }
    },
    group(title, print) {
      groupSync(io, title, print);
    },
    async validation(result) {
      if (inActions) (await report()).reportValidation(io, result);
    },
    async diff(r) {
      if (inActions) (await report()).reportDiff(io, r);
    },
    async plan(result) {
      if (inActions) (await report()).reportPlan(io, result);
    },
    async deployment(result) {
      if (inActions) (await report()).reportDeploy(io, result);
    },
    async release(result) {
      if (inActions) (await report()).reportRelease(io, result);
    },
    async postPullRequestComment(req) {
      const result = await (await import('./pr-comment.js')).postPullRequestComment(io, req);
      (await outputs()).setOutputs(io.env, { comment_id: result.id, comment_url: result.url ?? '', comment_action: result.action, truncated: result.truncated });
      return result;
    },
    async finished(exitStatus) {
      if (inActions) (await outputs()).ensureStatusOutput(io.env, exitStatus);
    },
    async failed(errorCode) {
      if (inActions) (await outputs()).setOutputs(io.env, { status: 'failed', error_code: errorCode });
    },
  };
}
