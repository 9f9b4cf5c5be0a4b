/** Environment variables as Ferry sees them (injected, never read from `process` here). */
export type Env = Readonly<Record<string, string | undefined>>;

/** What the Actions helpers write to: the CLI's io satisfies it. */
export interface ActionsIo {
  env: Env;
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}

/** True inside a GitHub Actions job (the runner sets `GITHUB_ACTIONS=true`). */
export function isGithubActions(env: Env): boolean {
  return env.GITHUB_ACTIONS === 'true';
}
