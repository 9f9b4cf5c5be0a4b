/**
 * Git processes through `node:child_process` rather than execa: execa's module graph took ~76 ms
 * to import and added ~1.5 ms to every spawn, and a deploy or diff runs 3-5 short git processes
 * (measured in bench/ANALYSIS.md). Git's plumbing needs nothing execa adds: no shell, no
 * interleaving, just bytes in and out.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

/** What a finished git process said. */
export interface GitRun {
  stdout: string;
  stderr: string;
  /** The exit code; -1 when git died from a signal. */
  exitCode: number;
}

/** Git could not be started at all (ENOENT: no `git` on PATH, or a missing cwd). */
export class SpawnError extends Error {
  constructor(
    readonly code: string | undefined,
    cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'SpawnError';
  }
}

/**
 * Runs `git args` in `cwd` to its end and returns its output as UTF-8 text (`onStdout` sees each
 * chunk as it arrives). Never rejects for an exit code.
 */
export function runGit(cwd: string, args: readonly string[], env: Record<string, string>, onStdout?: (chunk: Buffer) => void, stdin?: string): Promise<GitRun> {
  return new Promise((resolve, reject) => {
    let child: ChildProcessWithoutNullStreams;
    try {
      child = spawnGit(cwd, args, env);
    } catch (e) {
      reject(new SpawnError((e as { code?: string }).code, e));
      return;
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => {
      out.push(b);
      onStdout?.(b);
    });
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.stdin.on('error', () => undefined);
    child.stdin.end(stdin);
    let failed = false;
    child.on('error', (e) => {
      failed = true;
      reject(new SpawnError((e as { code?: string }).code, e));
    });
    child.on('close', (code) => {
      if (failed) return;
      resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), exitCode: code ?? -1 });
    });
  });
}

/** A git process with piped stdio; the environment is the caller's plus `env`. */
export function spawnGit(cwd: string, args: readonly string[], env: Record<string, string>): ChildProcessWithoutNullStreams {
  return spawn('git', args, { cwd, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
}
