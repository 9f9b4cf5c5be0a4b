import type { CiReporter } from '../api/ci-reporter.js';

/** What a command gets instead of globals, so tests run the CLI in-process. */
export interface CliIo {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  /** Answers a yes/no question (interactive confirmation); absent: not interactive. */
  confirm?: (question: string) => Promise<boolean>;
  now?: () => Date;
  /** The CI runner's reporting (bin.ts gives the GitHub Actions one, a no-op outside Actions). */
  ci: CiReporter;
  /** Test hooks of `ferry serve` (crash tests, a foreign format version); only test entry points set them. */
  serveHooks?: ServeHooks;
}

export interface ServeHooks {
  /** Pause before a synchronization task commits. */
  delayBeforeCommitMs?: number;
  /** Pause after it committed, before it is marked done. */
  delayAfterCommitMs?: number;
  /** Answer sync checks with this format version. */
  formatVersion?: number;
}

export type OutputFormat = 'text' | 'json' | 'markdown' | 'github';

export interface GlobalOptions {
  format?: OutputFormat;
  json?: boolean;
  color?: boolean;
  quiet?: boolean;
}

export function resolveFormat(io: CliIo, opts: GlobalOptions, allowed: readonly OutputFormat[]): OutputFormat {
  if (opts.json) return 'json';
  if (opts.format) return opts.format;
  if (io.env.GITHUB_ACTIONS === 'true' && allowed.includes('github')) return 'github';
  return 'text';
}

export function useColor(io: CliIo, opts: GlobalOptions): boolean {
  if (opts.color === false || opts.json || io.env.NO_COLOR !== undefined) return false;
  if (io.env.FORCE_COLOR && io.env.FORCE_COLOR !== '0') return true;
  return Boolean(io.stdout.isTTY);
}

/** A one-line progress indicator on a TTY; silent in CI, with --json, or when not a terminal. */
export function makeProgress(io: CliIo, opts: GlobalOptions): ((phase: string, done: number, total: number) => void) | undefined {
  if (!io.stderr.isTTY || io.env.CI || opts.json || opts.quiet) return undefined;
  let lastDraw = 0;
  const started = Date.now();
  return (phase, done, total) => {
    const t = Date.now();
    if (t - started < 800 || (t - lastDraw < 100 && done < total)) return;
    lastDraw = t;
    const width = 24;
    const filled = total ? Math.round((done / total) * width) : 0;
    io.stderr.write(`\r${phase.padEnd(8)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}\x1b[K`);
    if (done >= total) io.stderr.write('\r\x1b[K');
  };
}
