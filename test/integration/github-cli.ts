/**
 * Runs the built CLI (dist/cli/bin.js, made by `npm run build`) as a child process, with only the
 * environment given (plus PATH/HOME), asynchronously so in-process test servers keep answering.
 */
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { BUILT_CLI } from './github-workflow-runner.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function requireBuiltCli(): void {
  if (!existsSync(BUILT_CLI)) throw new Error(`${BUILT_CLI} is missing: run \`npm run build\` first (npm test does)`);
}

export async function ferry(args: readonly string[], opts: { cwd: string; env?: Record<string, string | undefined>; input?: string }): Promise<CliRun> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TMPDIR: process.env.TMPDIR ?? '/tmp', GIT_CONFIG_NOSYSTEM: '1', NO_COLOR: '1' };
  for (const [k, v] of Object.entries(opts.env ?? {})) if (v !== undefined) env[k] = v;
  const r = await execa('node', [BUILT_CLI, ...args], { cwd: opts.cwd, env, extendEnv: false, reject: false, stripFinalNewline: false, input: opts.input ?? '' });
  return { code: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr };
}
