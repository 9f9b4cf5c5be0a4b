import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../model/diagnostic.js';
import type { FieldValues } from '../../model/objects.js';
import { validateBuilder } from '../test-support/run.js';
import { SnapshotBuilder, testGuid } from '../test-support/snapshot-builder.js';

const FILE = 'content/items/article/espresso.yaml';

function withShared(fields: FieldValues): Diagnostic[] {
  return validateBuilder(new SnapshotBuilder().asset('a1').asset('a2').item('espresso', { fields }));
}

function withLocalized(fields: FieldValues, language = 'en-US'): Diagnostic[] {
  const b = new SnapshotBuilder().language('es-ES');
  return validateBuilder(
    b.item('espresso', {
      variants: {
        'en-US': { status: 'published', displayName: 'Espresso', fields: { title: 'Espresso' } },
        [language]: { status: 'draft', displayName: 'Espresso', fields: { title: 'Espresso', ...fields } },
      },
    }),
  );
}

function only(out: Diagnostic[]): Diagnostic {
  expect(out).toHaveLength(1);
  expect(out[0]).toMatchObject({ code: 'FERRY_E_FIELD', severity: 'error', file: FILE });
  return out[0];
}

describe('field values rule', () => {
  it('accepts valid values of every data type', () => {
    expect(validateBuilder(new SnapshotBuilder().fullExample())).toEqual([]);
  });

  it('names the field path, the expectation and the value', () => {
    const d = only(withLocalized({ price: 'cheap' }, 'es-ES'));
    expect(d.message).toBe('variants.es-ES.fields.price: must be a number (got "cheap")');
    expect(d.pointer).toBe('/variants/es-ES/fields/price');
    expect(d.object).toMatchObject({ kind: 'contentItem', codeName: 'espresso' });
  });

  it.each([
    [{ rating: 2.5 }, 'fields.rating: must be an integer (got 2.5)'],
    [{ rating: 9 }, 'fields.rating: must be at most 5 (got 9)'],
    [{ featured: 'yes' }, 'fields.featured: must be true or false (got "yes")'],
    [{ publishDate: '2023-02-29' }, 'fields.publishDate: must be a real date written YYYY-MM-DD (got "2023-02-29")'],
    [{ publishDate: '1 May 2024' }, 'fields.publishDate: must be a real date'],
    [{ updatedAt: '2024-05-01T10:00:00' }, 'fields.updatedAt: must be an ISO 8601 date-time with a zone'],
    [{ website: 'ftp://example.com/x' }, 'fields.website: must be an absolute http(s) URL (got "ftp://example.com/x")'],
    [{ website: '/relative/path' }, 'fields.website: must be an absolute http(s) URL'],
    [{ contact: 'not-an-address' }, 'fields.contact: must be an e-mail address (got "not-an-address")'],
    [{ tags: ['coffee', 'beer'] }, 'fields.tags[1]: "beer" is not an allowed value (allowed: coffee, tea, news)'],
    [{ tags: 'coffee' }, 'fields.tags: must be a list of tags (got "coffee")'],
    [{ tags: ['coffee', 'tea', 'news', 'coffee'] }, 'fields.tags: must have at most 3 entries (got 4)'],
    [{ related: ['not-a-guid'] }, 'fields.related[0]: must be a guid (a lower-case UUID) (got "not-a-guid")'],
    [{ heroImage: [testGuid('asset', 'a1'), testGuid('asset', 'a2')] }, 'fields.heroImage: must have at most 1 entry (got 2)'],
    [{ sku: 'abc' }, 'fields.sku: must match the pattern ^[A-Z]{3}-[0-9]+$ (got "abc")'],
    [{ sku: null }, 'fields.sku: must be a string (got null)'],
  ])('checks the data type of %j', (fields, message) => {
    const d = only(withShared(fields));
    expect(d.message).toContain(message);
  });

  it('accepts any JSON value in a json field', () => {
    expect(withShared({ extra: [1, { a: null }] })).toEqual([]);
    expect(withShared({ extra: 'text' })).toEqual([]);
  });

  it('checks text length in characters', () => {
    const d = only(withLocalized({ title: 'x'.repeat(101) }));
    expect(d.message).toBe('variants.en-US.fields.title: must be at most 100 characters long (got 101)');
    expect(withLocalized({ title: 'é'.repeat(100) })).toEqual([]);
  });

  it('requires a required localized field in every variant', () => {
    const b = new SnapshotBuilder().language('es-ES').item('espresso', {
      variants: {
        'en-US': { status: 'published', displayName: 'Espresso', fields: { title: 'Espresso' } },
        'es-ES': { status: 'draft', displayName: 'Espresso', fields: {} },
      },
    });
    const d = only(validateBuilder(b));
    expect(d.message).toBe('variants.es-ES.fields.title: required field is missing in the es-ES variant');
    expect(d.pointer).toBe('/variants/es-ES/fields/title');
  });

  it('requires a required shared field once', () => {
    const b = new SnapshotBuilder().contentType('article', {
      fields: [{ guid: '3f0c8a52-5b1e-4c3e-9a57-0d6f7c1e2b10', name: 'code', type: 'text', required: true, localized: false }],
    });
    b.item('espresso', { variants: { 'en-US': { status: 'published', displayName: 'Espresso', fields: {} } } });
    const d = only(validateBuilder(b));
    expect(d.message).toBe('fields.code: required field is missing');
  });

  it('reports unknown field names', () => {
    const d = only(withShared({ colour: 'red' }));
    expect(d.message).toBe('fields.colour: unknown field: content type article has no field "colour"');
    expect(d.pointer).toBe('/fields/colour');
  });

  it('says where a misplaced field belongs', () => {
    const shared = only(withShared({ price: 2 }));
    expect(shared.message).toContain("fields.price: price is localized: write it in each variant's fields");
    const localized = only(withLocalized({ rating: 2 }));
    expect(localized.message).toContain('variants.en-US.fields.rating: rating is not localized: write it once in the shared fields (fields.rating)');
  });

  it('checks page fields too', () => {
    const b = new SnapshotBuilder().page('home', { variants: { 'en-US': { status: 'published', displayName: 'Home', slug: 'home', fields: { title: 42 } } } });
    const out = validateBuilder(b);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ code: 'FERRY_E_FIELD', file: 'content/pages/website/home.yaml' });
    expect(out[0].message).toBe('variants.en-US.fields.title: must be a string (got 42)');
  });

  it('recompiles when the content type changes', () => {
    const b = new SnapshotBuilder().item('espresso', { fields: { rating: 7 } });
    expect(validateBuilder(b)).toHaveLength(1);
    b.contentType('article', {
      fields: [
        { guid: '3f0c8a52-5b1e-4c3e-9a57-0d6f7c1e2b10', name: 'title', type: 'text', required: true, localized: true },
        { guid: '3f0c8a52-5b1e-4c3e-9a57-0d6f7c1e2b11', name: 'rating', type: 'integer', required: false, localized: false, validation: { max: 10 } },
      ],
    });
    expect(validateBuilder(b)).toEqual([]);
  });
});
