import { isGithubActions, type ActionsIo } from './env.js';
import { workflowCommand } from './workflow-commands.js';

/**
 * Runs `fn` inside a collapsible `::group::` of the job log (on stdout, where the grouped output
 * goes). Outside Actions it only runs `fn`. Groups do not nest in the Actions log.
 */
export async function group<T>(io: ActionsIo, title: string, fn: () => T | Promise<T>): Promise<T> {
  if (!isGithubActions(io.env)) return fn();
  io.stdout.write(workflowCommand('group', {}, title));
  try {
    return await fn();
  } finally {
    io.stdout.write('::endgroup::\n');
  }
}

/** The synchronous form, for renderers that print in one go. */
export function groupSync<T>(io: ActionsIo, title: string, fn: () => T): T {
  if (!isGithubActions(io.env)) return fn();
  io.stdout.write(workflowCommand('group', {}, title));
  try {
    return fn();
  } finally {
    io.stdout.write('::endgroup::\n');
  }
}
