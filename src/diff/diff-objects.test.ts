import { describe, expect, it } from 'vitest';
import { diffObjects } from './diff-objects.js';
import { asset, contentType, edit, field, item, language, page, variant } from './test-support/builders.js';

const article = item(1, 'coffee-origins', 'article', {
  'en-US': variant('Coffee origins', { title: 'Coffee origins', body: '<p>One</p>\n<p>Two</p>\n' }),
  'es-ES': variant('Orígenes del café', { title: 'Orígenes del café' }, 'draft'),
}, { heroImage: ['9b2d4a8e-1c7f-4e55-8d0a-2f3b6c9e1a44'] });

describe('diffObjects', () => {
  it('finds nothing between equal objects, whatever their key order', () => {
    const reordered = { ...article, variants: { 'es-ES': article.variants['es-ES'], 'en-US': article.variants['en-US'] } };
    expect(diffObjects(article, reordered)).toEqual([]);
  });

  it('reports an edit in one language only, with that language', () => {
    const after = edit(article, (a) => {
      a.variants['es-ES'].fields.title = 'El origen del café';
    });
    expect(diffObjects(article, after)).toEqual([
      { path: 'variants.es-ES.fields.title', name: 'title', language: 'es-ES', before: 'Orígenes del café', after: 'El origen del café' },
    ]);
  });

  it('reports a status change draft → published', () => {
    const after = edit(article, (a) => {
      a.variants['es-ES'].status = 'published';
    });
    expect(diffObjects(article, after)).toEqual([
      { path: 'variants.es-ES.status', name: 'status', language: 'es-ES', before: 'draft', after: 'published' },
    ]);
  });

  it('reports shared fields, field removal and addition, and sorts by path', () => {
    const after = edit(article, (a) => {
      a.fields.heroImage = [];
      a.workspace = 'marketing';
      delete a.variants['en-US'].fields.body;
      a.variants['en-US'].fields.summary = 'Short';
      a.variants['en-US'].displayName = 'Origins';
    });
    expect(diffObjects(article, after)).toEqual([
      { path: 'fields.heroImage', name: 'heroImage', before: ['9b2d4a8e-1c7f-4e55-8d0a-2f3b6c9e1a44'], after: [] },
      { path: 'variants.en-US.displayName', name: 'displayName', language: 'en-US', before: 'Coffee origins', after: 'Origins' },
      { path: 'variants.en-US.fields.body', name: 'body', language: 'en-US', before: '<p>One</p>\n<p>Two</p>\n' },
      { path: 'variants.en-US.fields.summary', name: 'summary', language: 'en-US', after: 'Short' },
      { path: 'workspace', name: 'workspace', before: 'editorial', after: 'marketing' },
    ]);
  });

  it('reports a variant added or removed as one change on variants.<lang>', () => {
    const fr = variant('Origines', { title: 'Origines' }, 'draft');
    const after = edit(article, (a) => {
      delete (a.variants as Record<string, unknown>)['es-ES'];
      a.variants['fr-FR'] = fr;
    });
    expect(diffObjects(article, after)).toEqual([
      { path: 'variants.es-ES', name: 'es-ES', language: 'es-ES', before: article.variants['es-ES'] },
      { path: 'variants.fr-FR', name: 'fr-FR', language: 'fr-FR', after: fr },
    ]);
  });

  it('compares json values deeply, ignoring key order', () => {
    const a = item(2, 'x', 't', { en: variant('X', { data: { a: 1, b: [1, { c: 2 }] } }) });
    const same = item(2, 'x', 't', { en: variant('X', { data: { b: [1, { c: 2 }], a: 1 } }) });
    const changed = item(2, 'x', 't', { en: variant('X', { data: { b: [1, { c: 3 }], a: 1 } }) });
    expect(diffObjects(a, same)).toEqual([]);
    expect(diffObjects(a, changed).map((c) => c.path)).toEqual(['variants.en.fields.data']);
  });

  it('reports a page moved in the tree (parent, order) and a slug change', () => {
    const before = page(3, 'about', { 'en-US': { ...variant('About'), slug: 'about' } }, { parent: undefined, order: 2 });
    const after = edit(before, (p) => {
      p.parent = '00000000-0000-4000-8000-000000000009';
      p.order = 0;
      p.variants['en-US'].slug = 'about-us';
    });
    expect(diffObjects(before, after)).toEqual([
      { path: 'order', name: 'order', before: 2, after: 0 },
      { path: 'parent', name: 'parent', after: '00000000-0000-4000-8000-000000000009' },
      { path: 'variants.en-US.slug', name: 'slug', language: 'en-US', before: 'about', after: 'about-us' },
    ]);
  });

  it('reports content type fields by guid: added, removed, changed, renamed, reordered', () => {
    const title = field(1, 'title', 'text', { required: true });
    const body = field(2, 'body', 'richText');
    const old = field(3, 'legacy', 'text');
    const before = contentType(10, 'article', [title, body, old]);
    const summary = field(4, 'summary', 'longText');
    const after = contentType(10, 'article', [
      { ...body, name: 'content', required: true, validation: { maxLength: 5000 } },
      title,
      summary,
    ]);
    expect(diffObjects(before, after)).toEqual([
      { path: 'fieldOrder', name: 'fieldOrder', before: ['title', 'body', 'legacy'], after: ['content', 'title', 'summary'] },
      { path: 'fields[content].name', name: 'name', before: 'body', after: 'content' },
      { path: 'fields[content].required', name: 'required', before: false, after: true },
      { path: 'fields[content].validation.maxLength', name: 'maxLength', after: 5000 },
      { path: 'fields[legacy]', name: 'legacy', before: old },
      { path: 'fields[summary]', name: 'summary', after: summary },
    ]);
  });

  it('reports only the added field when a field is appended to a content type', () => {
    const title = field(1, 'title', 'text');
    const before = contentType(10, 'article', [title]);
    const summary = field(2, 'summary', 'text');
    const after = contentType(10, 'article', [title, summary]);
    expect(diffObjects(before, after)).toEqual([{ path: 'fields[summary]', name: 'summary', after: summary }]);
  });

  it('treats an absent and an empty validation block alike', () => {
    const before = contentType(10, 'a', [field(1, 'title', 'text')]);
    const after = contentType(10, 'a', [field(1, 'title', 'text', { validation: {} })]);
    expect(diffObjects(before, after)).toEqual([]);
  });

  it('reports a replaced asset binary by sha256 and size, and per-language metadata', () => {
    const before = asset(5, 'espresso', { metadata: { 'en-US': { title: 'Espresso' } } });
    const after = edit(before, (a) => {
      a.sha256 = 'b'.repeat(64);
      a.size = 2048;
      a.metadata['en-US'].alt = 'A cup';
      a.metadata['de-DE'] = { title: 'Espresso' };
    });
    expect(diffObjects(before, after)).toEqual([
      { path: 'metadata.de-DE', name: 'de-DE', language: 'de-DE', after: { title: 'Espresso' } },
      { path: 'metadata.en-US.alt', name: 'alt', language: 'en-US', after: 'A cup' },
      { path: 'sha256', name: 'sha256', before: 'a'.repeat(64), after: 'b'.repeat(64) },
      { path: 'size', name: 'size', before: 1024, after: 2048 },
    ]);
  });

  it('reports a code name change and top-level properties of supporting kinds', () => {
    const before = language('en-US', 'English');
    const after = edit(before, (l) => {
      l.displayName = 'English (US)';
      l.fallback = 'en';
    });
    expect(diffObjects(before, after)).toEqual([
      { path: 'displayName', name: 'displayName', before: 'English', after: 'English (US)' },
      { path: 'fallback', name: 'fallback', after: 'en' },
    ]);
    const renamed = edit(article, (a) => {
      a.codeName = 'origins-of-coffee';
    });
    expect(diffObjects(article, renamed)).toEqual([{ path: 'codeName', name: 'codeName', before: 'coffee-origins', after: 'origins-of-coffee' }]);
  });

  it('keeps null distinct from absent', () => {
    const a = item(2, 'x', 't', { en: variant('X', { v: null }) });
    const b = item(2, 'x', 't', { en: variant('X', {}) });
    expect(diffObjects(a, b)).toEqual([{ path: 'variants.en.fields.v', name: 'v', language: 'en', before: null }]);
  });
});

describe('diffObjects inside blocks fields', () => {
  const hero = (heading: string) => ({ block: 'hero', fields: { heading, image: { asset: '00000000-0000-4000-8000-000000000030', alt: 'A cup' } } });
  const quote = (text: string) => ({ block: 'quote', fields: { text } });
  const page3 = (body: unknown[]) => item(7, 'spring', 'feature', { 'en-US': variant('Spring', { body }) });

  it('shows a block edit as that block’s field, not a rewrite of the list', () => {
    const before = page3([hero('Hello'), quote('Good'), quote('Strong')]);
    const after = page3([hero('Hello'), quote('Very good'), quote('Strong')]);
    expect(diffObjects(before, after)).toEqual([
      { path: 'variants.en-US.fields.body[1].fields.text', name: 'text', language: 'en-US', before: 'Good', after: 'Very good' },
    ]);
  });

  it('shows a nested attribute change at its sub-field, a type change and an insertion as whole blocks', () => {
    const before = page3([hero('Hello'), quote('Good')]);
    const changedAlt = page3([{ block: 'hero', fields: { ...hero('Hello').fields, image: { ...hero('Hello').fields.image, alt: 'Two cups' } } }, quote('Good')]);
    expect(diffObjects(before, changedAlt).map((c) => c.path)).toEqual(['variants.en-US.fields.body[0].fields.image']);
    const retyped = page3([hero('Hello'), hero('Good')]);
    expect(diffObjects(before, retyped)).toEqual([{ path: 'variants.en-US.fields.body[1]', name: 'body[1]', language: 'en-US', before: quote('Good'), after: hero('Good') }]);
    // One block inserted at the start: one change, the blocks after it are unchanged.
    const inserted = page3([quote('First'), hero('Hello'), quote('Good')]);
    expect(diffObjects(before, inserted)).toEqual([{ path: 'variants.en-US.fields.body[0]', name: 'body[0]', language: 'en-US', after: quote('First') }]);
    const removed = page3([quote('Good')]);
    expect(diffObjects(before, removed)).toEqual([{ path: 'variants.en-US.fields.body[0]', name: 'body[0]', language: 'en-US', before: hero('Hello') }]);
  });

  it('keeps a list that is not blocks (and a json value shaped unlike blocks) as one change', () => {
    const before = item(8, 'x', 't', { en: variant('X', { tags: ['a', 'b'], data: [{ block: 'x', other: 1 }] }) });
    const after = item(8, 'x', 't', { en: variant('X', { tags: ['a', 'c'], data: [{ block: 'x', other: 2 }] }) });
    expect(diffObjects(before, after).map((c) => c.path)).toEqual(['variants.en.fields.data', 'variants.en.fields.tags']);
  });
});
