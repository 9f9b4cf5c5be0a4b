import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Request headers of the signature scheme (lower case, as Node presents them). */
export const SIGNATURE_HEADERS = {
  timestamp: 'x-ferry-timestamp',
  nonce: 'x-ferry-nonce',
  bodySha256: 'x-ferry-content-sha256',
  signature: 'x-ferry-signature',
} as const;

export const SIGNATURE_ALGORITHM = 'FERRY-HMAC-SHA256';
/** Requests whose timestamp is further than this from the server clock are refused. */
export const DEFAULT_CLOCK_SKEW_MS = 5 * 60_000;
/** sha256 of zero bytes: the body hash of a GET, HEAD or DELETE. */
export const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** What a signature covers. `path` and `query` are exactly as in the request line (no decoding). */
export interface SignedParts {
  method: string;
  path: string;
  /** Raw query string without `?` ('' when none). */
  query: string;
  /** Milliseconds since the epoch, as a decimal string. */
  timestamp: string;
  nonce: string;
  bodySha256: string;
}

/**
 * The string that is signed: one field per line, so no field can run into the next one. The
 * method is upper-cased; path and query are signed raw, so the server verifies and routes the
 * very same bytes (nothing is decoded between the check and the use).
 */
export function canonicalRequest(p: SignedParts): string {
  return [SIGNATURE_ALGORITHM, p.method.toUpperCase(), p.path, p.query, p.timestamp, p.nonce, p.bodySha256].join('\n');
}

/** Lower-case hex HMAC-SHA256 of the canonical request. */
export function signRequest(secret: string, p: SignedParts): string {
  return createHmac('sha256', secret).update(canonicalRequest(p)).digest('hex');
}

/** Constant-time comparison of a presented signature with the expected one. */
export function signatureMatches(secret: string, p: SignedParts, presented: string): boolean {
  const expected = Buffer.from(signRequest(secret, p), 'hex');
  if (!/^[0-9a-f]{64}$/.test(presented)) return false;
  const actual = Buffer.from(presented, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export function sha256Of(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Splits a request target (`/a/b?x=1`) into its raw path and raw query. */
export function splitTarget(target: string): { path: string; query: string } {
  const q = target.indexOf('?');
  return q === -1 ? { path: target, query: '' } : { path: target.slice(0, q), query: target.slice(q + 1) };
}
