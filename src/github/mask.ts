import type { RepositoryConfig } from '../model/index.js';
import { isGithubActions, type ActionsIo } from './env.js';
import { workflowCommand } from './workflow-commands.js';

/**
 * Asks the runner to mask each secret in the job log (`::add-mask::`), whole and line by line (the
 * log masks per line). Written to stderr so a report redirected from stdout stays clean; the
 * runner reads commands from both streams. Does nothing outside Actions.
 */
export function maskSecrets(io: ActionsIo, secrets: readonly string[]): number {
  if (!isGithubActions(io.env)) return 0;
  const values = new Set<string>();
  for (const s of secrets) {
    if (!s.trim()) continue;
    values.add(s);
    for (const line of s.split(/\r?\n/)) if (line.trim()) values.add(line);
  }
  for (const v of values) io.stderr.write(workflowCommand('add-mask', {}, v));
  return values.size;
}

/** The secrets of a resolved config: values of secret-named `${VAR}`s, store passwords, `secretEnv` variables. */
export function configSecrets(config: RepositoryConfig, env: ActionsIo['env']): string[] {
  const out = [...config.secrets];
  for (const e of config.environments) {
    const v = e.secretEnv ? env[e.secretEnv] : undefined;
    if (v) out.push(v);
  }
  return out;
}
