/**
 * HTTP conditional and range request helpers (RFC 9110), pure.
 */

export type RangeResult = { start: number; end: number } | 'unsatisfiable' | undefined;

/**
 * One byte range of a `Range` header for a body of `size` bytes: `{ start, end }` (inclusive),
 * `'unsatisfiable'` (answer 416), or undefined when the header is absent, malformed or asks for
 * several ranges (then the whole body is sent with 200, as RFC 9110 allows).
 */
export function parseRange(header: string | undefined, size: number): RangeResult {
  if (header === undefined) return undefined;
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m) return undefined;
  const [, first, last] = m;
  if (first === '' && last === '') return undefined;
  if (first === '') {
    // Suffix range: the last N bytes.
    const n = Number(last);
    if (!Number.isSafeInteger(n)) return undefined;
    if (n === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? Number.MAX_SAFE_INTEGER : Number(last);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end: Math.min(end, size - 1) };
}

/** Whether an `If-None-Match` header matches the (strong) entity tag: `*` or any listed tag, weakly compared. */
export function ifNoneMatchHits(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  const bare = stripWeak(etag);
  return header.split(',').some((t) => stripWeak(t.trim()) === bare);
}

/** `If-Range` holds when it names the current entity tag exactly (strong comparison). */
export function ifRangeHolds(header: string | undefined, etag: string): boolean {
  return header === undefined || header.trim() === etag;
}

function stripWeak(tag: string): string {
  return tag.startsWith('W/') ? tag.slice(2) : tag;
}
