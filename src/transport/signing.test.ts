import { describe, expect, it } from 'vitest';
import { EMPTY_BODY_SHA256, canonicalRequest, sha256Of, signRequest, signatureMatches, splitTarget, type SignedParts } from './signing.js';

const SECRET = 'k'.repeat(40);
const parts: SignedParts = { method: 'put', path: '/api/sync/blobs/ab', query: 'x=1', timestamp: '1714557600000', nonce: 'n'.repeat(32), bodySha256: EMPTY_BODY_SHA256 };

describe('request signatures', () => {
  it('signs one line per field with the upper-cased method', () => {
    expect(canonicalRequest(parts)).toBe(`FERRY-HMAC-SHA256\nPUT\n/api/sync/blobs/ab\nx=1\n1714557600000\n${'n'.repeat(32)}\n${EMPTY_BODY_SHA256}`);
    expect(sha256Of('')).toBe(EMPTY_BODY_SHA256);
    expect(signRequest(SECRET, parts)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('accepts its own signature and refuses any change of a signed field or of the secret', () => {
    const sig = signRequest(SECRET, parts);
    expect(signatureMatches(SECRET, parts, sig)).toBe(true);
    for (const change of [
      { method: 'POST' },
      { path: '/api/sync/blobs/ac' },
      { query: 'x=2' },
      { query: '' },
      { timestamp: '1714557600001' },
      { nonce: 'm'.repeat(32) },
      { bodySha256: sha256Of('x') },
    ] satisfies Partial<SignedParts>[]) {
      expect(signatureMatches(SECRET, { ...parts, ...change }, sig), JSON.stringify(change)).toBe(false);
    }
    expect(signatureMatches(`${SECRET}x`, parts, sig)).toBe(false);
  });

  it('fields cannot slide into each other', () => {
    const a = signRequest(SECRET, { ...parts, path: '/a', query: 'b' });
    const b = signRequest(SECRET, { ...parts, path: '/a\nb', query: '' });
    expect(a).not.toBe(b);
  });

  it('refuses malformed signatures without throwing', () => {
    for (const bad of ['', 'zz', signRequest(SECRET, parts).toUpperCase(), `${signRequest(SECRET, parts)}00`]) expect(signatureMatches(SECRET, parts, bad)).toBe(false);
  });

  it('splits a request target raw, without decoding', () => {
    expect(splitTarget('/api/sync/blobs/..%2Fx?a=1&b')).toEqual({ path: '/api/sync/blobs/..%2Fx', query: 'a=1&b' });
    expect(splitTarget('/healthz')).toEqual({ path: '/healthz', query: '' });
  });
});
