import { readFile } from 'node:fs/promises';
import { FerryError } from '../errors/index.js';
import type { Env } from './env.js';

/** The parts of a pull request event Ferry uses. */
export interface PullRequestInfo {
  number: number;
  baseSha?: string;
  headSha?: string;
  baseRef?: string;
  headRef?: string;
  /** `owner/name` of the head repository (differs from the base for forks). */
  headRepository?: string;
}

export interface ActionsEvent {
  /** `GITHUB_EVENT_NAME`: `pull_request`, `push`, `workflow_dispatch`, … */
  name?: string;
  payload: Record<string, unknown>;
  pullRequest?: PullRequestInfo;
}

/** Reads the event payload the runner wrote to `GITHUB_EVENT_PATH`. */
export async function readEvent(env: Env): Promise<ActionsEvent> {
  const path = env.GITHUB_EVENT_PATH;
  if (!path) {
    throw new FerryError('FERRY_E_USAGE', 'GITHUB_EVENT_PATH is not set: this command needs the GitHub Actions event payload', {
      hint: 'Run it in a GitHub Actions job triggered by a pull_request event.',
    });
  }
  let payload: unknown;
  try {
    payload = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new FerryError('FERRY_E_USAGE', `Cannot read the event payload at GITHUB_EVENT_PATH (${path}): ${(e as Error).message}`, { cause: e });
  }
  if (!isRecord(payload)) throw new FerryError('FERRY_E_USAGE', `The event payload at ${path} is not a JSON object`);
  return { name: env.GITHUB_EVENT_NAME, payload, pullRequest: pullRequestOf(payload) };
}

/** The pull request of a `pull_request`/`pull_request_target` payload (or an `issue_comment` on one). */
export function pullRequestOf(payload: Record<string, unknown>): PullRequestInfo | undefined {
  const pr = payload.pull_request;
  if (isRecord(pr)) {
    const number = typeof pr.number === 'number' ? pr.number : typeof payload.number === 'number' ? payload.number : undefined;
    if (number === undefined) return undefined;
    const base = isRecord(pr.base) ? pr.base : {};
    const head = isRecord(pr.head) ? pr.head : {};
    const headRepo = isRecord(head.repo) ? head.repo : {};
    return {
      number,
      baseSha: str(base.sha),
      headSha: str(head.sha),
      baseRef: str(base.ref),
      headRef: str(head.ref),
      headRepository: str(headRepo.full_name),
    };
  }
  const issue = payload.issue;
  if (isRecord(issue) && isRecord(issue.pull_request) && typeof issue.number === 'number') return { number: issue.number };
  return undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function isRecord(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
