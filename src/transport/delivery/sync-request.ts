import { CHANGE_EVENT_TYPES, type ChangeEventType } from '../../model/index.js';
import { DeliveryError, ERROR_CODES, invalidParameter } from './delivery-error.js';

/** Filters as a client sent them, before they are checked against the store's catalog. */
export interface RequestedFilters {
  contentType?: string;
  locale?: string;
  startFrom?: string;
  types?: ChangeEventType[];
}

export type SyncRequest = { kind: 'init'; filters: RequestedFilters } | { kind: 'token'; param: 'sync_token' | 'pagination_token'; token: string };

/**
 * Reads `GET /v3/stacks/sync` parameters. A request carrying a sync_token or pagination_token is
 * a token request even when `init=true` comes with it (the v5 SDK sends both in some call forms);
 * `type` may be comma-joined or repeated (`type[]=`), and `start_date` is read like `start_from`.
 */
export function parseSyncRequest(q: URLSearchParams): SyncRequest {
  const syncToken = q.get('sync_token') || undefined;
  const paginationToken = q.get('pagination_token') || undefined;
  if (syncToken && paginationToken) {
    throw new DeliveryError(422, ERROR_CODES.invalid, 'Send either a sync_token or a pagination_token, not both.', {
      sync_token: ['is not valid.'],
      pagination_token: ['is not valid.'],
    });
  }
  if (paginationToken) return { kind: 'token', param: 'pagination_token', token: paginationToken };
  if (syncToken) return { kind: 'token', param: 'sync_token', token: syncToken };
  const init = q.get('init');
  if (init === null || init === '') {
    throw new DeliveryError(422, ERROR_CODES.invalid, 'Start a sync with init=true, or continue one with its sync_token or pagination_token.', { init: ['is required.'] });
  }
  if (init !== 'true' && init !== '1') throw invalidParameter('init', `init must be true to start a sync (got ${JSON.stringify(init)}).`);

  const filters: RequestedFilters = {};
  const contentType = q.get('content_type_uid');
  if (contentType) filters.contentType = contentType;
  const locale = q.get('locale');
  if (locale) filters.locale = locale;
  const start = q.get('start_from') || q.get('start_date');
  if (start) filters.startFrom = parseStart(start, q.get('start_from') ? 'start_from' : 'start_date');
  const types = parseTypes([...q.getAll('type'), ...q.getAll('type[]')]);
  if (types) filters.types = types;
  return { kind: 'init', filters };
}

function parseStart(value: string, param: string): string {
  const ms = /^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) throw invalidParameter(param, `${param} must be an ISO date such as 2024-05-01 or 2024-05-01T10:00:00.000Z (got ${JSON.stringify(value)}).`);
  return new Date(ms).toISOString();
}

/** Types in the canonical order (so equal filters make equal tokens); undefined when none given. */
function parseTypes(values: string[]): ChangeEventType[] | undefined {
  const given = values.flatMap((v) => v.split(',')).map((t) => t.trim()).filter((t) => t !== '');
  if (given.length === 0) return undefined;
  const unknown = given.filter((t) => !(CHANGE_EVENT_TYPES as readonly string[]).includes(t));
  if (unknown.length > 0) {
    throw invalidParameter('type', `Unknown sync type ${unknown.map((t) => JSON.stringify(t)).join(', ')}: use ${CHANGE_EVENT_TYPES.join(', ')} (comma-separated).`);
  }
  return CHANGE_EVENT_TYPES.filter((t) => given.includes(t));
}
