import { describe, expect, it } from 'vitest';
import { parseSyncRequest } from './sync-request.js';

const parse = (q: string) => parseSyncRequest(new URLSearchParams(q));

describe('parseSyncRequest', () => {
  it('reads init filters; types in canonical order whatever form they come in', () => {
    expect(parse('init=true')).toEqual({ kind: 'init', filters: {} });
    expect(parse('init=true&content_type_uid=note&locale=en-us&start_from=2024-05-01&type=asset_published,entry_published')).toEqual({
      kind: 'init',
      filters: { contentType: 'note', locale: 'en-us', startFrom: '2024-05-01T00:00:00.000Z', types: ['entry_published', 'asset_published'] },
    });
    expect(parse('init=true&type[]=asset_published&type[]=entry_published').kind).toBe('init');
    expect((parse('init=true&type=entry_deleted&type=entry_deleted') as any).filters.types).toEqual(['entry_deleted']);
    expect((parse('init=true&start_date=2024-05-01T10:00:00%2B02:00') as any).filters.startFrom).toBe('2024-05-01T08:00:00.000Z');
  });

  it('treats a request with a token as a token request, even with init=true', () => {
    expect(parse('init=true&sync_token=abc')).toEqual({ kind: 'token', param: 'sync_token', token: 'abc' });
    expect(parse('pagination_token=p&locale=en-US')).toEqual({ kind: 'token', param: 'pagination_token', token: 'p' });
    expect(parse('init=true&sync_token=')).toEqual({ kind: 'init', filters: {} });
  });

  it('refuses what it cannot read with 422 naming the parameter', () => {
    for (const [q, param] of [
      ['', 'init'],
      ['init=yes', 'init'],
      ['init=true&type=entry', 'type'],
      ['init=true&start_from=05/01/2024', 'start_from'],
      ['init=true&start_date=2024-13-45', 'start_date'],
      ['sync_token=a&pagination_token=b', 'pagination_token'],
    ]) {
      let err: any;
      try {
        parse(q);
      } catch (e) {
        err = e;
      }
      expect([q, err?.status, Object.keys(err?.errors ?? {})]).toEqual([q, 422, expect.arrayContaining([param])]);
    }
  });
});
