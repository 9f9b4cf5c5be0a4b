import type { OutputValue } from './outputs.js';
import { reportFailure } from './actions-report.js';
import type { ActionsIo } from './env.js';
import { maskConfigSecrets } from './mask.js';

/**
 * Runs a CLI command's work the GitHub way: config secrets masked first, and a failure (a
 * FerryError) annotated, summarised and reported as `status=failed` before it propagates to the
 * CLI's error printer. Outside Actions it only runs `fn`.
 */
export async function actionsStep<T>(io: ActionsIo & { cwd: string }, command: string, fn: () => Promise<T>, failureOutputs?: Record<string, OutputValue>): Promise<T> {
  await maskConfigSecrets(io);
  try {
    return await fn();
  } catch (e) {
    reportFailure(io, command, e, failureOutputs);
    throw e;
  }
}
