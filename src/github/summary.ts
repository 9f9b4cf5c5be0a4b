import { appendFileSync } from 'node:fs';
import { isGithubActions, type Env } from './env.js';

/** GitHub refuses a step summary over 1 MiB; stay well under it. */
export const STEP_SUMMARY_LIMIT = 1_000_000;

/**
 * Appends Markdown to the job summary (`$GITHUB_STEP_SUMMARY`) when running in Actions with the
 * variable set. Returns whether it wrote. Synchronous: it runs as the CLI finishes, and a summary
 * is small.
 */
export function appendStepSummary(env: Env, markdown: string): boolean {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!isGithubActions(env) || !file) return false;
  let text = markdown.endsWith('\n') ? markdown : `${markdown}\n`;
  if (Buffer.byteLength(text) > STEP_SUMMARY_LIMIT) {
    text = `${Buffer.from(text).subarray(0, STEP_SUMMARY_LIMIT).toString('utf8').replace(/\uFFFD*$/, '')}\n\n… (summary truncated)\n`;
  }
  appendFileSync(file, `${text}\n`);
  return true;
}
