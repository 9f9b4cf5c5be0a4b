import { randomUUID } from 'node:crypto';
import { appendFileSync, readFileSync } from 'node:fs';
import { isGithubActions, type Env } from './env.js';

export type { OutputValue } from '../api/ci-reporter.js';
import type { OutputValue } from '../api/ci-reporter.js';

/** Output names: what `steps.<id>.outputs.<name>` accepts. */
const NAME_RE = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * The `$GITHUB_OUTPUT` file lines for a record: `name=value`, or for a value with a line break the
 * heredoc form `name<<DELIMITER … DELIMITER` with a delimiter that cannot occur in the value.
 * `null`/`undefined` become empty strings, so a missing value is still a defined output.
 */
export function formatOutputs(record: Readonly<Record<string, OutputValue>>, makeDelimiter: () => string = () => `ferry_${randomUUID()}`): string {
  let out = '';
  for (const [name, raw] of Object.entries(record)) {
    if (!NAME_RE.test(name)) throw new Error(`invalid output name ${JSON.stringify(name)}`);
    const value = raw === null || raw === undefined ? '' : String(raw);
    if (!/[\r\n]/.test(value)) {
      out += `${name}=${value}\n`;
      continue;
    }
    let delimiter = makeDelimiter();
    while (value.includes(delimiter)) delimiter = makeDelimiter();
    out += `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
  }
  return out;
}

/**
 * Makes sure a finished command leaves a `status` step output, as the README promises for every
 * command: commands that report their own (validate, diff, plan, deploy, …) keep theirs; for the
 * others (status, history, fmt, init, …) it is `ok`, or `failed` after a non-zero exit.
 */
export function ensureStatusOutput(env: Env, exitCode: number): void {
  const file = env.GITHUB_OUTPUT;
  if (!isGithubActions(env) || !file) return;
  let written = '';
  try {
    written = readFileSync(file, 'utf8');
  } catch {
    // No file yet: nothing was written, so the status is missing.
  }
  if (/^status(=|<<)/m.test(written)) return;
  appendFileSync(file, formatOutputs(exitCode === 0 ? { status: 'ok' } : { status: 'failed' }));
}

/** Writes step outputs to `$GITHUB_OUTPUT` when running in Actions. Returns whether it wrote. */
export function setOutputs(env: Env, record: Readonly<Record<string, OutputValue>>): boolean {
  const file = env.GITHUB_OUTPUT;
  if (!isGithubActions(env) || !file) return false;
  appendFileSync(file, formatOutputs(record));
  return true;
}
