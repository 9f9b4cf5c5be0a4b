import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHANGE_EVENT_TYPES } from '../../model/index.js';
import { DeliveryError } from './delivery-error.js';
import { decodeToken, encodeToken, type TokenState } from './sync-token.js';

const key = randomBytes(32);

const filters = fc.record(
  {
    contentType: fc.string({ minLength: 1, maxLength: 20 }),
    locale: fc.constantFrom('en-US', 'es-ES'),
    startFrom: fc.constant('2024-05-01T00:00:00.000Z'),
    types: fc.subarray([...CHANGE_EVENT_TYPES], { minLength: 1 }),
  },
  { requiredKeys: [] },
);
const seq = fc.nat({ max: 1e12 });
const state: fc.Arbitrary<TokenState> = fc.oneof(
  fc.record({ kind: fc.constant('sync' as const), seq, filters }),
  fc.record(
    {
      kind: fc.constant('init' as const),
      seq,
      filters,
      total: seq,
      page: fc.nat(1000),
      cursor: fc.oneof(
        fc.record({ phase: fc.constant('entries' as const), contentType: fc.string(), locale: fc.string(), key: fc.string() }),
        fc.record({ phase: fc.constant('assets' as const), codeName: fc.string(), key: fc.string() }),
      ),
    },
    { requiredKeys: ['kind', 'seq', 'filters', 'total', 'page'] },
  ),
  fc.tuple(seq, seq, filters, seq, fc.nat(1000)).map(([a, b, f, n, p]) => ({ kind: 'delta' as const, from: Math.min(a, b), to: Math.max(a, b), filters: f, total: n, page: p })),
);

describe('sync tokens', () => {
  it('round-trip every state, URL-safe', () => {
    fc.assert(
      fc.property(state, (s) => {
        const token = encodeToken(key, s);
        expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
        expect(decodeToken(key, token, s.kind === 'sync' ? 'sync_token' : 'pagination_token')).toEqual(s);
      }),
    );
  });

  it('refuse any changed character, and tokens signed with another key', () => {
    const token = encodeToken(key, { kind: 'init', seq: 42, filters: { locale: 'en-US' }, total: 300, page: 1, cursor: { phase: 'entries', contentType: 'note', locale: 'en-US', key: 'k' } });
    fc.assert(
      fc.property(fc.nat(token.length - 1), fc.constantFrom(...'ABCxyz019-_.'), (i, c) => {
        fc.pre(token[i] !== c);
        const altered = token.slice(0, i) + c + token.slice(i + 1);
        // Base64url's last character may carry unused bits: the same bytes are not a change.
        fc.pre(Buffer.from(altered.split('.')[1] ?? '', 'base64url').toString('hex') !== Buffer.from(token.split('.')[1], 'base64url').toString('hex') || altered.split('.')[0] !== token.split('.')[0]);
        expect(() => decodeToken(key, altered, 'pagination_token')).toThrow(DeliveryError);
      }),
    );
    expect(() => decodeToken(randomBytes(32), token, 'pagination_token')).toThrow(/signature/);
  });

  it('name the parameter a token belongs to', () => {
    const sync = encodeToken(key, { kind: 'sync', seq: 1, filters: {} });
    expect(() => decodeToken(key, sync, 'pagination_token')).toThrow(/send it as sync_token/);
    try {
      decodeToken(key, 'nonsense', 'sync_token');
      expect.unreachable();
    } catch (e) {
      expect((e as DeliveryError).status).toBe(422);
      expect((e as DeliveryError).toBody()).toEqual({ error_message: expect.stringContaining('sync_token'), error_code: 141, errors: { sync_token: ['is not valid.'] } });
    }
  });
});
