/**
 * A real git repository holding the sample content (content/, schemas/, repository.config.yaml)
 * and helpers to run the real CLI in-process against it.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from '../../src/cli/main.js';
import { createActionsReporter } from '../../src/github/ci-reporter.js';
import { makeGitRepo, type GitRepo } from './gitdir.js';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function makeSampleRepo(opts: { config?: string } = {}): GitRepo {
  const repo = makeGitRepo();
  for (const p of ['content', 'schemas']) cpSync(join(PROJECT_ROOT, p), join(repo.dir, p), { recursive: true });
  writeFileSync(join(repo.dir, 'repository.config.yaml'), opts.config ?? readFileSync(join(PROJECT_ROOT, 'repository.config.yaml'), 'utf8'));
  writeFileSync(join(repo.dir, '.gitignore'), '.ferry/\n');
  repo.commit({}, 'sample content');
  return repo;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

let clock = Date.parse('2026-01-01T00:00:00Z');

/** Runs `ferry argv` in-process in `cwd` with a fixed clock and no colour or Actions variables. */
export async function ferry(cwd: string, argv: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const streams = {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...env },
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  };
  // Wired as bin.ts wires it: the CLI with the GitHub Actions reporter beside it.
  const code = await run(argv, { ...streams, ci: createActionsReporter(streams), now: () => new Date((clock += 1000)) });
  return { code, stdout, stderr };
}

/** Reads a sample file from the repository. */
export function readRepoFile(repo: GitRepo, path: string): string {
  return readFileSync(join(repo.dir, path), 'utf8');
}
