import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { PrCommentRequest, PrCommentResult } from '../api/ci-reporter.js';
import { FerryError } from '../errors/index.js';
import type { ActionsIo } from './env.js';
import { readEvent } from './event.js';
import { commentMarker, fitCommentBody, upsertStickyComment } from './sticky-comment.js';


/**
 * Posts a Markdown file as the pull request's sticky comment, created once and then updated in
 * place. Everything comes from the Actions environment: GITHUB_TOKEN, GITHUB_REPOSITORY,
 * GITHUB_API_URL and the pull request number in the GITHUB_EVENT_PATH payload.
 */
export async function postPullRequestComment(
  io: ActionsIo & { cwd: string },
  req: PrCommentRequest,
  fetchImpl?: Parameters<typeof upsertStickyComment>[1],
): Promise<PrCommentResult> {
  const env = io.env;
  const missing = ['GITHUB_TOKEN', 'GITHUB_REPOSITORY', 'GITHUB_API_URL'].filter((k) => !env[k]);
  if (req.number === undefined && !env.GITHUB_EVENT_PATH) missing.push('GITHUB_EVENT_PATH');
  if (missing.length) {
    throw new FerryError('FERRY_E_USAGE', `ferry pr-comment needs ${missing.join(', ')} (set by GitHub Actions; GITHUB_TOKEN must be passed in the step's env)`, {
      hint: 'In the workflow step: `env: { GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }} }`, with `permissions: pull-requests: write`, on a pull_request event.',
    });
  }
  const marker = commentMarker(req.marker);
  let issueNumber = req.number;
  if (issueNumber === undefined) {
    const event = await readEvent(env);
    if (!event.pullRequest) {
      throw new FerryError('FERRY_E_USAGE', `The ${event.name ?? 'current'} event is not about a pull request: there is nothing to comment on`, {
        hint: 'Run `ferry pr-comment` in a workflow triggered by `pull_request`.',
      });
    }
    issueNumber = event.pullRequest.number;
  }
  let markdown: string;
  try {
    markdown = await readFile(resolve(io.cwd, req.file), 'utf8');
  } catch (e) {
    throw new FerryError('FERRY_E_NOT_FOUND', `Cannot read ${req.file}: ${(e as Error).message}`, { cause: e });
  }
  const fitted = fitCommentBody(marker, markdown);
  const result = await upsertStickyComment(
    { apiUrl: env.GITHUB_API_URL!, token: env.GITHUB_TOKEN!, repo: env.GITHUB_REPOSITORY!, issueNumber, marker, body: fitted.body },
    fetchImpl,
  );
  return { ...result, issueNumber, truncated: fitted.truncated };
}
