import type { IncomingMessage } from 'node:http';
import { FerryError } from '../../errors/index.js';
import { SIGNATURE_HEADERS, signatureMatches } from '../signing.js';
import type { InstanceState } from './instance-state.js';

export interface AuthOptions {
  secret: string;
  /** Where nonces are remembered: the instance state, shared by replicas and kept across restarts. */
  nonces: Pick<InstanceState, 'rememberNonce'>;
  /** Largest accepted difference between the request timestamp and the server clock. */
  clockSkewMs: number;
  /** Wall clock in ms. */
  clock: () => number;
}

/** Requests whose signature checked out: only their unwanted bodies are worth draining. */
const authenticated = new WeakSet<IncomingMessage>();

/** True once `authenticate` accepted the request. */
export function isAuthenticated(req: IncomingMessage): boolean {
  return authenticated.has(req);
}

const NONCE_RE = /^[A-Za-z0-9_-]{16,128}$/;
const HEX64_RE = /^[0-9a-f]{64}$/;

/**
 * Checks a sync request's signature headers before its body is read: all present and well
 * formed, timestamp within the window, HMAC equal (constant time), nonce not seen before.
 * Returns the body sha256 the client signed; the caller compares it with the body it reads.
 * Nonces are remembered only after the signature checks out, so strangers cannot fill the cache.
 */
export async function authenticate(req: IncomingMessage, path: string, query: string, opts: AuthOptions): Promise<{ bodySha256: string }> {
  const h = (name: string): string | undefined => {
    const v = req.headers[name];
    return Array.isArray(v) ? undefined : v;
  };
  const timestamp = h(SIGNATURE_HEADERS.timestamp);
  const nonce = h(SIGNATURE_HEADERS.nonce);
  const bodySha256 = h(SIGNATURE_HEADERS.bodySha256);
  const signature = h(SIGNATURE_HEADERS.signature);
  if (!timestamp || !nonce || !bodySha256 || !signature) {
    const missing = Object.values(SIGNATURE_HEADERS).filter((n) => !h(n));
    throw authError(`Unsigned request: missing ${missing.join(', ')}. Every /api/sync request must be signed with the shared secret.`, { missing });
  }
  if (!/^\d{1,16}$/.test(timestamp) || !NONCE_RE.test(nonce) || !HEX64_RE.test(bodySha256) || !HEX64_RE.test(signature)) {
    throw authError('Malformed signature headers (timestamp in ms, nonce of 16–128 URL-safe characters, hex sha256 and signature).');
  }
  const now = opts.clock();
  const skew = Number(timestamp) - now;
  if (Math.abs(skew) > opts.clockSkewMs) {
    throw authError(
      `Request timestamp is ${Math.round(Math.abs(skew) / 1000)} s ${skew < 0 ? 'behind' : 'ahead of'} the instance clock (at most ${Math.round(opts.clockSkewMs / 1000)} s accepted): a stale or replayed request, or clocks out of step.`,
      { skewMs: skew },
      'Synchronize the clocks of the client and the instance (NTP), then retry.',
    );
  }
  if (!signatureMatches(opts.secret, { method: req.method ?? 'GET', path, query, timestamp, nonce, bodySha256 }, signature)) {
    throw authError('Signature does not match: the shared secret differs from the instance\'s, or the request was altered on the way.');
  }
  const seen = await opts.nonces.rememberNonce(nonce, Number(timestamp) + opts.clockSkewMs, now);
  if (seen === 'replayed') throw authError('Nonce already used: a replayed request is refused.');
  if (seen === 'full') {
    throw new FerryError('FERRY_E_CONFLICT', 'Too many signed requests within the replay window; retry in a moment.', { data: { retry: true } });
  }
  authenticated.add(req);
  return { bodySha256 };
}

/** The signed body hash against the body received. */
export function assertBodyMatches(signed: string, actual: string): void {
  if (signed !== actual) {
    throw authError('The request body does not match its signed sha256: it was altered on the way; nothing was stored.', { signed, actual });
  }
}

function authError(message: string, data: Record<string, unknown> = {}, hint?: string): FerryError {
  return new FerryError('FERRY_E_AUTH', message, { data, ...(hint ? { hint } : {}) });
}
