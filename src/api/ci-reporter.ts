/**
 * What a CI runner adds to a command's own output, as a port the CLI is given (bin.ts wires the
 * GitHub Actions one from src/github): the CLI and the Actions wrapper sit side by side over the
 * library, neither imports the other. Outside a runner every method does nothing but run or
 * return what it was given.
 */
import type { Changeset } from '../model/index.js';
import type { RepositoryContext } from './context.js';
import type { DeployOutcome, PlanResult } from './environments.js';
import type { ReleaseResult } from './release.js';
import type { ValidateResult } from './validate.js';

export type OutputValue = string | number | boolean | null | undefined;

export interface DiffReport {
  changeset: Changeset;
  /** The Markdown the command printed, if it printed Markdown (reused for the summary). */
  markdown?: { markdown: string; truncated: boolean };
  /** `--out FILE`, named in the truncation note. */
  out?: string;
}

export interface PrCommentRequest {
  /** Markdown file to post. */
  file: string;
  /** Marker name (default `content-review`): one sticky comment per name. */
  marker?: string;
  /** Pull request number; default: from the runner's event payload. */
  number?: number;
}

export interface PrCommentResult {
  action: 'created' | 'updated' | 'unchanged';
  id: number;
  url?: string;
  issueNumber: number;
  truncated: boolean;
}

export interface CiReporter {
  /** Hides the repository's secrets (config `${VAR}` secrets, store passwords, sync secrets) from the job log. */
  maskSecrets(rc: RepositoryContext): Promise<void>;
  /** Runs a command's work; a failure is annotated and summarised the runner's way, then rethrown. */
  step<T>(command: string, work: () => Promise<T>, failureOutputs?: Record<string, OutputValue>): Promise<T>;
  /** Prints `print`'s output in a collapsible group of the job log. */
  group(title: string, print: () => void): void;
  validation(result: ValidateResult): Promise<void>;
  diff(report: DiffReport): Promise<void>;
  plan(result: PlanResult): Promise<void>;
  deployment(result: DeployOutcome): Promise<void>;
  release(result: ReleaseResult): Promise<void>;
  /** Posts (or updates in place) the pull request's sticky comment; sets the comment outputs. */
  postPullRequestComment(req: PrCommentRequest): Promise<PrCommentResult>;
  /** After the command: a `status` output for commands that set none. */
  finished(exitStatus: number): Promise<void>;
  /** After a command failed with `errorCode` (also usage and internal errors, which never reach `step`). */
  failed(errorCode: string): Promise<void>;
}
