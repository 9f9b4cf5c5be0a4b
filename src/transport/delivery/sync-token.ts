import { createHmac, timingSafeEqual } from 'node:crypto';
import { CHANGE_EVENT_TYPES, type ChangeEventType } from '../../model/index.js';
import { DeliveryError, ERROR_CODES } from './delivery-error.js';

/**
 * Sync API tokens: self-contained and tamper-evident, so they never expire, survive restarts and
 * need no server-side table. A token is `base64url(JSON state) + '.' + base64url(HMAC-SHA256)`,
 * signed with the instance's key (kept in the store, see SqliteDeliveryReads.tokenKey). The state
 * holds change-log seqs, never row offsets, so tokens stay valid across deployments.
 */

/** Filters given at init; they hold for every later request made with its tokens. */
export interface SyncFilters {
  contentType?: string;
  locale?: string;
  /** ISO time: content published at or after it. */
  startFrom?: string;
  /** Event types (absent: published entries and assets at init, every type in deltas). */
  types?: ChangeEventType[];
}

export type InitCursor = { phase: 'entries'; contentType: string; locale: string; key: string } | { phase: 'assets'; codeName: string; key: string };

export type TokenState =
  /** Next delta starts after change-log seq `seq`. */
  | { kind: 'sync'; seq: number; filters: SyncFilters }
  /** Page `page` of an initial sync that began at seq `seq`, continuing after `cursor`. */
  | { kind: 'init'; seq: number; filters: SyncFilters; total: number; page: number; cursor?: InitCursor }
  /** Page `page` of a delta over events (from, to], continuing after seq `from`. */
  | { kind: 'delta'; from: number; to: number; filters: SyncFilters; total: number; page: number };

const VERSION = 1;
const MAX_TOKEN_LENGTH = 8192;
const DOMAIN = 'ferry sync token v1\n';

export function encodeToken(key: Buffer, state: TokenState): string {
  const payload = Buffer.from(JSON.stringify(toWire(state)), 'utf8').toString('base64url');
  return `${payload}.${sign(key, payload)}`;
}

/**
 * Reads a token given as `param` (sync_token or pagination_token). Anything malformed, tampered
 * with, signed by another instance or of the wrong kind is a 422 naming the parameter.
 */
export function decodeToken(key: Buffer, token: string, param: 'sync_token' | 'pagination_token'): TokenState {
  const bad = (why: string) => new DeliveryError(422, ERROR_CODES.invalid, `The ${param} is not valid: ${why}. Start again with an initial sync (init=true).`, { [param]: ['is not valid.'] });
  if (token.length > MAX_TOKEN_LENGTH) throw bad('it is too long');
  const dot = token.indexOf('.');
  if (dot <= 0 || dot !== token.lastIndexOf('.')) throw bad('it is not a token this instance issued');
  const payload = token.slice(0, dot);
  const mac = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = Buffer.from(sign(key, payload), 'base64url');
  if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) throw bad('its signature does not match (altered, or issued by another instance)');
  let wire: unknown;
  try {
    wire = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw bad('it cannot be read');
  }
  const state = fromWire(wire);
  if (!state) throw bad('it cannot be read');
  if (param === 'sync_token' && state.kind !== 'sync') throw bad('it is a pagination token; send it as pagination_token');
  if (param === 'pagination_token' && state.kind === 'sync') throw bad('it is a sync token; send it as sync_token');
  return state;
}

function sign(key: Buffer, payload: string): string {
  return createHmac('sha256', key).update(DOMAIN).update(payload).digest('base64url');
}

// ---- compact wire form -------------------------------------------------------------------------

type WireFilters = { c?: string; l?: string; d?: string; y?: string[] };

function toWire(s: TokenState): Record<string, unknown> {
  const f = filtersToWire(s.filters);
  switch (s.kind) {
    case 'sync':
      return { v: VERSION, t: 's', s: s.seq, f };
    case 'init':
      return {
        v: VERSION,
        t: 'i',
        s: s.seq,
        f,
        n: s.total,
        p: s.page,
        ...(s.cursor ? { k: s.cursor.phase === 'entries' ? ['e', s.cursor.contentType, s.cursor.locale, s.cursor.key] : ['a', s.cursor.codeName, s.cursor.key] } : {}),
      };
    case 'delta':
      return { v: VERSION, t: 'd', a: s.from, b: s.to, f, n: s.total, p: s.page };
  }
}

function filtersToWire(f: SyncFilters): WireFilters {
  const w: WireFilters = {};
  if (f.contentType !== undefined) w.c = f.contentType;
  if (f.locale !== undefined) w.l = f.locale;
  if (f.startFrom !== undefined) w.d = f.startFrom;
  if (f.types !== undefined) w.y = f.types;
  return w;
}

function fromWire(w: unknown): TokenState | undefined {
  if (!isRecord(w) || w.v !== VERSION) return undefined;
  const filters = filtersFromWire(w.f);
  if (!filters) return undefined;
  if (w.t === 's' && isSeq(w.s)) return { kind: 'sync', seq: w.s, filters };
  if (w.t === 'i' && isSeq(w.s) && isSeq(w.n) && isSeq(w.p)) {
    const state: TokenState = { kind: 'init', seq: w.s, filters, total: w.n, page: w.p };
    if (w.k !== undefined) {
      const k = w.k;
      if (!Array.isArray(k) || !k.every((x) => typeof x === 'string')) return undefined;
      if (k[0] === 'e' && k.length === 4) state.cursor = { phase: 'entries', contentType: k[1], locale: k[2], key: k[3] };
      else if (k[0] === 'a' && k.length === 3) state.cursor = { phase: 'assets', codeName: k[1], key: k[2] };
      else return undefined;
    }
    return state;
  }
  if (w.t === 'd' && isSeq(w.a) && isSeq(w.b) && isSeq(w.n) && isSeq(w.p) && w.a <= w.b) return { kind: 'delta', from: w.a, to: w.b, filters, total: w.n, page: w.p };
  return undefined;
}

function filtersFromWire(f: unknown): SyncFilters | undefined {
  if (!isRecord(f)) return undefined;
  const out: SyncFilters = {};
  for (const [k, v] of Object.entries(f)) {
    if (k === 'c' && typeof v === 'string') out.contentType = v;
    else if (k === 'l' && typeof v === 'string') out.locale = v;
    else if (k === 'd' && typeof v === 'string') out.startFrom = v;
    else if (k === 'y' && Array.isArray(v) && v.every((t) => (CHANGE_EVENT_TYPES as readonly unknown[]).includes(t))) out.types = v as ChangeEventType[];
    else return undefined;
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isSeq(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}
