import { describe, expect, it } from 'vitest';
import type { ContentType } from '../model/objects.js';
import { compileContentTypeSchemas, fieldValidators } from './field-schema.js';
import { ARTICLE_FIELDS, testGuid } from './test-support/snapshot-builder.js';

const article: ContentType = {
  kind: 'contentType',
  guid: testGuid('contentType', 'article'),
  codeName: 'article',
  displayName: 'Article',
  usage: 'reusable',
  fields: ARTICLE_FIELDS.map((f) => ({ ...f })),
};

describe('compileContentTypeSchemas', () => {
  it('splits fields into shared and localized schemas, closed to other names', () => {
    const { shared, localized } = compileContentTypeSchemas(article) as { shared: Record<string, any>; localized: Record<string, any> };
    expect(Object.keys(localized.properties)).toEqual(['title', 'summary', 'body', 'price']);
    expect(localized.required).toEqual(['title']);
    expect(Object.keys(shared.properties)).toEqual(ARTICLE_FIELDS.filter((f) => !f.localized).map((f) => f.name));
    expect(shared.required).toEqual([]);
    expect(shared.additionalProperties).toBe(false);
    expect(shared.properties.rating).toMatchObject({ type: 'integer', minimum: 1, maximum: 5 });
    expect(shared.properties.related).toMatchObject({ type: 'array', items: { type: 'string' } });
    expect(shared.properties.tags.items).toEqual({ type: 'string', enum: ['coffee', 'tea', 'news'] });
  });

  it('leaves out validation keys that do not fit and patterns that do not compile', () => {
    const ct: ContentType = {
      ...article,
      fields: [
        { guid: testGuid('f', 'a'), name: 'a', type: 'text', required: false, localized: false, validation: { min: 3, pattern: '([' } },
      ],
    };
    const { shared } = compileContentTypeSchemas(ct) as { shared: Record<string, any> };
    expect(shared.properties.a).not.toHaveProperty('minimum');
    expect(shared.properties.a).not.toHaveProperty('pattern');
    expect(fieldValidators(ct).shared({ a: 'x' })).toBe(true);
  });
});

describe('fieldValidators', () => {
  it('compiles once per content type and again when it changes', () => {
    const first = fieldValidators(article);
    expect(fieldValidators({ ...article, fields: article.fields.map((f) => ({ ...f })) })).toBe(first);
    const changed = fieldValidators({ ...article, fields: article.fields.slice(1) });
    expect(changed).not.toBe(first);
    expect(changed.localized({})).toBe(true);
    expect(first.localized({})).toBe(false);
  });
});

describe('fieldValidators with a code cache', () => {
  const memoryCache = () => {
    const saved = new Map<string, string>();
    const loads: string[] = [];
    return { saved, loads, load: (key: string) => (loads.push(key), undefined as unknown), save: (key: string, source: string) => void saved.set(key, source) };
  };

  it('saves the standalone code of both schemas, keyed by a digest of each schema', () => {
    const cache = memoryCache();
    const ct = { ...article, guid: testGuid('contentType', 'cached-1') };
    const v = fieldValidators(ct, cache);
    expect(cache.loads).toHaveLength(2);
    expect([...cache.saved.keys()].sort()).toEqual([...cache.loads].sort());
    for (const key of cache.saved.keys()) expect(key).toMatch(/^[0-9a-f]{64}$/);
    for (const source of cache.saved.values()) expect(source).toContain('module.exports');
    expect(v.localized({})).toBe(false);
  });

  it('uses what the cache holds instead of compiling', () => {
    const kept = Object.assign(() => true, { errors: null });
    const cache = { load: () => kept, save: () => expect.fail('nothing to save on a hit') };
    const v = fieldValidators({ ...article, guid: testGuid('contentType', 'cached-2') }, cache);
    expect(v.shared).toBe(kept);
    expect(v.localized).toBe(kept);
  });

  it('gives equal keys for equal schemas and other keys when a field changes', () => {
    const a = memoryCache();
    fieldValidators({ ...article, guid: testGuid('contentType', 'cached-3') }, a);
    const b = memoryCache();
    fieldValidators({ ...article, guid: testGuid('contentType', 'cached-4') }, b);
    expect([...b.saved.keys()]).toEqual([...a.saved.keys()]);
    const c = memoryCache();
    fieldValidators({ ...article, guid: testGuid('contentType', 'cached-5'), fields: article.fields.map((f) => (f.name === 'title' ? { ...f, required: false } : f)) }, c);
    expect([...c.saved.keys()].filter((k) => a.saved.has(k))).toHaveLength(1);
  });
});
