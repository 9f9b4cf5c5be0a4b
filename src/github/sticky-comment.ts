import { FerryError } from '../errors/index.js';

/** GitHub refuses an issue comment body over 65,536 characters. */
export const COMMENT_LIMIT = 65_536;
export const DEFAULT_MARKER = 'content-review';

type FetchLike = (url: string, init?: { method?: string; headers?: Record<string, string>; body?: string }) => Promise<{
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
  text(): Promise<string>;
}>;

export interface StickyCommentOptions {
  /** `GITHUB_API_URL`, e.g. `https://api.github.com` (GitHub Enterprise: `https://HOST/api/v3`). */
  apiUrl: string;
  token: string;
  /** `owner/name` (`GITHUB_REPOSITORY`). */
  repo: string;
  /** Pull request (or issue) number. */
  issueNumber: number;
  /** Hidden marker identifying Ferry's comment, e.g. `<!-- ferry:content-review -->` (see `commentMarker`). */
  marker: string;
  /** Markdown; the marker is put on its first line if it is not already in it. */
  body: string;
}

export interface StickyCommentResult {
  action: 'created' | 'updated' | 'unchanged';
  id: number;
  url?: string;
}

/** The hidden HTML comment that marks a sticky comment. */
export function commentMarker(name = DEFAULT_MARKER): string {
  if (!/^[A-Za-z0-9._-]+$/.test(name)) {
    throw new FerryError('FERRY_E_USAGE', `Invalid comment marker \`${name}\`: use letters, digits, '.', '_' and '-'`);
  }
  return `<!-- ferry:${name} -->`;
}

/**
 * The comment body: marker line, then the Markdown, cut to fit GitHub's limit with a closing note
 * (`note`, e.g. where the full report is) when it is too long.
 */
export function fitCommentBody(marker: string, markdown: string, note = 'The full report is in the workflow run artifacts.'): { body: string; truncated: boolean } {
  const full = markdown.includes(marker) ? markdown : `${marker}\n${markdown}`;
  if (full.length <= COMMENT_LIMIT) return { body: full, truncated: false };
  const tail = `\n\n---\n\n✂️ This comment was cut to fit GitHub's 65,536-character limit. ${note}\n`;
  // Cut at a line end, keeping room to close an open ``` block and open <details> so the note shows.
  let cut = full.slice(0, COMMENT_LIMIT - tail.length - 200);
  const lastLine = cut.lastIndexOf('\n');
  if (lastLine > 0) cut = cut.slice(0, lastLine);
  if ((cut.match(/^```/gm) ?? []).length % 2 === 1) cut += '\n```';
  const openDetails = (cut.match(/<details>/g) ?? []).length - (cut.match(/<\/details>/g) ?? []).length;
  for (let i = 0; i < Math.min(openDetails, 20); i++) cut += '\n</details>';
  return { body: cut + tail, truncated: true };
}

/**
 * Creates Ferry's comment on an issue or pull request, or updates it in place: it is found by its
 * hidden marker among the issue's comments (all pages), so each push updates the same comment
 * instead of adding one. Uses three REST endpoints: list comments, create, update.
 */
export async function upsertStickyComment(opts: StickyCommentOptions, fetchImpl: FetchLike = fetch as unknown as FetchLike): Promise<StickyCommentResult> {
  const api = opts.apiUrl.replace(/\/+$/, '');
  const [owner, name] = opts.repo.split('/');
  if (!owner || !name || opts.repo.split('/').length !== 2) {
    throw new FerryError('FERRY_E_USAGE', `GITHUB_REPOSITORY must be owner/name, got \`${opts.repo}\``);
  }
  const base = `${api}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`;
  const headers = {
    Accept: 'application/vnd.github+json',
    Authorization: `Bearer ${opts.token}`,
    'X-GitHub-Api-Version': '2022-11-28',
    'User-Agent': 'ferry-cms',
    'Content-Type': 'application/json',
  };
  const body = opts.body.includes(opts.marker) ? opts.body : `${opts.marker}\n${opts.body}`;

  const call = async (method: string, url: string, payload?: unknown): Promise<unknown> => {
    let res: Awaited<ReturnType<FetchLike>>;
    try {
      res = await fetchImpl(url, { method, headers, body: payload === undefined ? undefined : JSON.stringify(payload) });
    } catch (e) {
      throw new FerryError('FERRY_E_UNREACHABLE', `GitHub API unreachable (${method} ${redact(url)}): ${(e as Error).message}`, { cause: e, hint: 'Check GITHUB_API_URL and the network of the runner.' });
    }
    if (!res.ok) throw apiError(method, url, res.status, await res.text().catch(() => ''));
    return res.status === 204 ? undefined : res.json();
  };

  let existing: { id: number; body: string; html_url?: string } | undefined;
  for (let page = 1; !existing; page++) {
    const list = await call('GET', `${base}/issues/${opts.issueNumber}/comments?per_page=100&page=${page}`);
    if (!Array.isArray(list)) throw new FerryError('FERRY_E_UNREACHABLE', 'GitHub API answered the comment list with something that is not a list');
    existing = list.find((c): c is { id: number; body: string; html_url?: string } => typeof c?.id === 'number' && typeof c?.body === 'string' && c.body.includes(opts.marker));
    if (list.length < 100) break;
  }
  if (existing) {
    if (existing.body === body) return { action: 'unchanged', id: existing.id, url: existing.html_url };
    const updated = (await call('PATCH', `${base}/issues/comments/${existing.id}`, { body })) as { id?: number; html_url?: string } | undefined;
    return { action: 'updated', id: updated?.id ?? existing.id, url: updated?.html_url ?? existing.html_url };
  }
  const created = (await call('POST', `${base}/issues/${opts.issueNumber}/comments`, { body })) as { id: number; html_url?: string };
  return { action: 'created', id: created.id, url: created.html_url };
}

function apiError(method: string, url: string, status: number, text: string): FerryError {
  let message = text;
  try {
    const parsed = JSON.parse(text) as { message?: string };
    if (parsed.message) message = parsed.message;
  } catch {
    // Not JSON: keep the text.
  }
  const what = `GitHub API ${method} ${redact(url)} failed with HTTP ${status}${message ? `: ${message.slice(0, 300)}` : ''}`;
  if (status === 401 || status === 403) {
    return new FerryError('FERRY_E_AUTH', what, {
      hint: 'Give the workflow `permissions: pull-requests: write` and pass `GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}`. Pull requests from forks get a read-only token: skip the comment step for them.',
      data: { status },
    });
  }
  if (status === 404) return new FerryError('FERRY_E_NOT_FOUND', what, { hint: 'Check GITHUB_REPOSITORY and the pull request number (and that the token can see the repository).', data: { status } });
  return new FerryError('FERRY_E_UNREACHABLE', what, { data: { status } });
}

/** URLs carry no secrets here, but keep query strings out of messages anyway. */
function redact(url: string): string {
  return url.replace(/\?.*$/, '');
}
