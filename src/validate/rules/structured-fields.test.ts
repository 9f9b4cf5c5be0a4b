import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../model/diagnostic.js';
import { contentReferenceKeys } from '../../model/references.js';
import type { ContentItem, FieldDefinition } from '../../model/objects.js';
import { findReferrers, referencesOf, snapshotLookup } from '../references-of.js';
import { validateBuilder } from '../test-support/run.js';
import { SnapshotBuilder } from '../test-support/snapshot-builder.js';
import { FEATURE_FIELDS, withFeatureType } from '../test-support/structured-type.js';

const FILE = 'content/items/feature/spring.yaml';
const TYPE_FILE = 'content/content-types/feature.yaml';

/** A builder with the feature type, an asset, a page and an article to point at. */
function base(): SnapshotBuilder {
  const b = withFeatureType(new SnapshotBuilder());
  return b.asset('espresso').page('home').item('espresso');
}

/** A clean `spring` feature item using every kind; `patch` edits it. */
function spring(b: SnapshotBuilder, patch: (o: ContentItem) => void = () => {}): SnapshotBuilder {
  const o: ContentItem = {
    kind: 'contentItem',
    guid: b.guid('contentItem', 'spring'),
    codeName: 'spring',
    contentType: 'feature',
    workspace: 'editorial',
    fields: {
      seo: { metaTitle: 'Spring', noIndex: false },
      cta: { page: b.guid('page', 'home'), anchor: 'menu', text: 'See the menu', target: '_self' },
      image: { asset: b.guid('asset', 'espresso'), alt: 'A cup', focalPoint: { x: 0.5, y: 0.25 }, crop: { x: 0, y: 0, width: 16, height: 16 }, width: 800, height: 600 },
      related: [b.guid('contentItem', 'espresso'), b.guid('page', 'home')],
    },
    variants: {
      'en-US': {
        status: 'published',
        displayName: 'Spring',
        fields: {
          title: 'Spring',
          intro: `<p>Read <a href="ferry://item/${b.guid('contentItem', 'espresso')}#top">espresso</a>.</p><ferry-embed guid="${b.guid('asset', 'espresso')}"></ferry-embed>`,
          body: [
            { block: 'hero', fields: { heading: 'Hello', image: { url: 'https://dam.example.com/a.jpg', mediaType: 'image/jpeg', provider: 'dam', externalId: 'a-1', width: 10 }, cta: { url: 'https://example.com/x' } } },
            { block: 'quote', fields: { text: 'Good coffee.' } },
            { block: 'cards', fields: { items: [b.guid('page', 'home')], note: `<a href="ferry://page/${b.guid('page', 'home')}">home</a>` } },
          ],
        },
      },
    },
  };
  patch(o);
  return b.item('spring', o);
}

const only = (out: Diagnostic[], code: string, file: string, pointer: string): Diagnostic => {
  expect(out, JSON.stringify(out, null, 2)).toHaveLength(1);
  expect(out[0]).toMatchObject({ code, severity: 'error', file, pointer });
  return out[0];
};

const en = (o: ContentItem) => o.variants['en-US'].fields;
const blocks = (o: ContentItem) => en(o).body as Array<{ block: string; fields: Record<string, unknown> }>;

describe('structured field values', () => {
  it('accept an item that uses every kind, with defaults inherited', () => {
    expect(validateBuilder(spring(base()))).toEqual([]);
  });

  it('report a block of an unknown type, naming the allowed ones', () => {
    const out = validateBuilder(spring(base(), (o) => (blocks(o)[1].block = 'banner')));
    const d = only(out, 'FERRY_E_FIELD', FILE, '/variants/en-US/fields/body/1/block');
    expect(d.message).toContain('unknown block type "banner": this field allows hero, quote, cards');
    expect(d.object).toMatchObject({ kind: 'contentItem', codeName: 'spring' });
  });

  it('report a missing required sub-field inside a block, and inside an object field', () => {
    let d = only(validateBuilder(spring(base(), (o) => delete blocks(o)[0].fields.heading)), 'FERRY_E_FIELD', FILE, '/variants/en-US/fields/body/0/fields/heading');
    expect(d.message).toBe('variants.en-US.fields.body[0].fields.heading: block hero: required field is missing');
    d = only(validateBuilder(spring(base(), (o) => delete (o.fields.seo as Record<string, unknown>).metaTitle)), 'FERRY_E_FIELD', FILE, '/fields/seo/metaTitle');
    expect(d.message).toBe('fields.seo.metaTitle: required field is missing');
  });

  it('report a wrong value type inside a block with the sub-field type', () => {
    const d = only(validateBuilder(spring(base(), (o) => (blocks(o)[1].fields.text = 3))), 'FERRY_E_FIELD', FILE, '/variants/en-US/fields/body/1/fields/text');
    expect(d.message).toBe('variants.en-US.fields.body[1].fields.text: must be a string (got 3)');
  });

  it('report an unknown sub-field of a block type', () => {
    const d = only(validateBuilder(spring(base(), (o) => (blocks(o)[1].fields.colour = 'red'))), 'FERRY_E_FIELD', FILE, '/variants/en-US/fields/body/1/fields/colour');
    expect(d.message).toContain('block type quote has no field "colour"');
  });

  it('report a link with two targets, or none', () => {
    let d = only(validateBuilder(spring(base(), (o) => ((o.fields.cta as Record<string, unknown>).url = 'https://x.example'))), 'FERRY_E_FIELD', FILE, '/fields/cta');
    expect(d.message).toContain('a link needs exactly one target');
    d = only(validateBuilder(spring(base(), (o) => (o.fields.cta = { text: 'nowhere' }))), 'FERRY_E_FIELD', FILE, '/fields/cta');
    expect(d.message).toContain('a link needs exactly one target');
  });

  it('report a dangling link target, and a link target of the wrong kind', () => {
    const ghost = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
    let d = only(validateBuilder(spring(base(), (o) => ((o.fields.cta as Record<string, unknown>).page = ghost))), 'FERRY_E_REFERENCE', FILE, '/fields/cta/page');
    expect(d.message).toBe(`fields.cta: links to page ${ghost}, which does not exist`);
    const b = base();
    d = only(validateBuilder(spring(b, (o) => (o.fields.cta = { item: b.guid('page', 'home') }))), 'FERRY_E_REFERENCE', FILE, '/fields/cta/item');
    expect(d.message).toContain('is page home, not a content item');
  });

  it('report a dangling link inside a block (the block path)', () => {
    const ghost = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
    const d = only(validateBuilder(spring(base(), (o) => (blocks(o)[0].fields.cta = { item: ghost }))), 'FERRY_E_REFERENCE', FILE, '/variants/en-US/fields/body/0/fields/cta/item');
    expect(d.message).toBe(`variants.en-US.fields.body[0].fields.cta: links to content item ${ghost}, which does not exist`);
  });

  it('report media without a target, a focal point out of range, and a missing asset', () => {
    let d = only(validateBuilder(spring(base(), (o) => (o.fields.image = { alt: 'x' }))), 'FERRY_E_FIELD', FILE, '/fields/image');
    expect(d.message).toContain('exactly one of asset');
    d = only(validateBuilder(spring(base(), (o) => ((o.fields.image as { focalPoint: { x: number } }).focalPoint.x = 2))), 'FERRY_E_FIELD', FILE, '/fields/image/focalPoint/x');
    expect(d.message).toContain('must be at most 1');
    d = only(validateBuilder(spring(base(), (o) => ((o.fields.image as Record<string, unknown>).asset = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee'))), 'FERRY_E_REFERENCE', FILE, '/fields/image/asset');
    expect(d.message).toContain('shows asset aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee, which does not exist');
  });

  it('accept items and pages in a references field, and refuse an asset there', () => {
    const b = base();
    const d = only(validateBuilder(spring(b, (o) => (o.fields.related = [b.guid('asset', 'espresso')]))), 'FERRY_E_REFERENCE', FILE, '/fields/related/0');
    expect(d.message).toContain('is asset espresso, not a content item or a page');
  });

  it('report an embedded guid that does not exist, a rich text link to a missing page, and malformed markup', () => {
    const ghost = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
    let d = only(validateBuilder(spring(base(), (o) => (en(o).intro = `<ferry-embed guid="${ghost}"></ferry-embed>`))), 'FERRY_E_REFERENCE', FILE, '/variants/en-US/fields/intro');
    expect(d.message).toBe(`variants.en-US.fields.intro: embeds content item or asset ${ghost}, which does not exist`);
    d = only(validateBuilder(spring(base(), (o) => (blocks(o)[2].fields.note = `<a href="ferry://page/${ghost}">x</a>`))), 'FERRY_E_REFERENCE', FILE, '/variants/en-US/fields/body/2/fields/note');
    expect(d.message).toContain(`links to page ${ghost}, which does not exist`);
    const out = validateBuilder(spring(base(), (o) => (en(o).intro = '<a href="ferry://item/not-a-guid">x</a><ferry-embed src="x">')));
    expect(out.map((x) => [x.code, x.pointer])).toEqual([
      ['FERRY_E_FIELD', '/variants/en-US/fields/intro'],
      ['FERRY_E_FIELD', '/variants/en-US/fields/intro'],
    ]);
    expect(out.some((x) => x.message.includes('<ferry-embed src="x"> has no guid attribute'))).toBe(true);
    expect(out.some((x) => x.message.includes('"not-a-guid" is not a guid'))).toBe(true);
    expect(validateBuilder(spring(base(), (o) => (en(o).intro = '<a href="ferry://thing/x">x</a>')))[0].message).toContain('names no kind Ferry links to');
  });

  it('keep absent (inherits), null (explicitly empty) and set apart: null is refused only where there is no default or the field is required', () => {
    expect(validateBuilder(spring(base(), (o) => (o.fields.theme = null)))).toEqual([]);
    expect(validateBuilder(spring(base(), (o) => (o.fields.theme = 'dark')))).toEqual([]);
    const d = only(validateBuilder(spring(base(), (o) => (o.fields.columns = null))), 'FERRY_E_FIELD', FILE, '/fields/columns');
    expect(d.message).toContain('must be an integer');
    only(validateBuilder(spring(base(), (o) => ((o.fields.seo as Record<string, unknown>).metaDescription = null))), 'FERRY_E_FIELD', FILE, '/fields/seo/metaDescription');
  });
});

describe('structured field definitions', () => {
  const withFields = (patch: (fields: FieldDefinition[]) => void): Diagnostic[] => {
    const fields = structuredClone(FEATURE_FIELDS) as FieldDefinition[];
    patch(fields);
    return validateBuilder(withFeatureType(new SnapshotBuilder(), fields));
  };
  const named = (fields: FieldDefinition[], name: string) => fields.find((f) => f.name === name)!;

  it('refuse an object field without sub-fields and sub-fields on another type', () => {
    let d = only(withFields((fs) => delete named(fs, 'seo').fields), 'FERRY_E_SCHEMA', TYPE_FILE, '/fields/2');
    expect(d.message).toContain('an object field needs its sub-fields');
    d = only(withFields((fs) => (named(fs, 'theme').fields = named(fs, 'seo').fields!.map((f) => ({ ...f, guid: f.guid.replace(/.$/, '0') })))), 'FERRY_E_SCHEMA', TYPE_FILE, '/fields/7/fields');
    expect(d.message).toContain('apply only to object fields');
  });

  it('refuse a blocks field without block types, two block types of one name, and a guid used twice', () => {
    only(withFields((fs) => (named(fs, 'body').blockTypes = [])), 'FERRY_E_SCHEMA', TYPE_FILE, '/fields/1');
    let d = only(withFields((fs) => (named(fs, 'body').blockTypes![1].name = 'hero')), 'FERRY_E_SCHEMA', TYPE_FILE, '/fields/1/blockTypes/1/name');
    expect(d.message).toContain('block type name hero is used twice');
    d = only(withFields((fs) => (named(fs, 'seo').fields![1].guid = named(fs, 'seo').fields![0].guid)), 'FERRY_E_SCHEMA', TYPE_FILE, '/fields/2/fields/1/guid');
    expect(d.message).toContain('is also used by');
  });

  it('refuse a default that does not fit its field, and a default on a kind that holds references', () => {
    let d = only(withFields((fs) => (named(fs, 'columns').default = 'two')), 'FERRY_E_SCHEMA', TYPE_FILE, '/fields/8/default');
    expect(d.message).toContain('default "two" is not a valid integer value');
    d = only(withFields((fs) => (named(fs, 'cta').default = { url: 'https://x.example' })), 'FERRY_E_SCHEMA', TYPE_FILE, '/fields/3/default');
    expect(d.message).toContain('a link field cannot declare a default');
  });

  it('refuse validation keys that do not fit a sub-field', () => {
    const d = only(withFields((fs) => (named(fs, 'seo').fields![2].validation = { maxLength: 3 })), 'FERRY_E_SCHEMA', TYPE_FILE, '/fields/2/fields/2/validation/maxLength');
    expect(d.message).toContain('validation.maxLength does not apply to a boolean field');
  });
});

describe('references held in structured fields', () => {
  it('are found by referencesOf, findReferrers and contentReferenceKeys, at their paths', () => {
    const b = spring(base());
    const snapshot = b.build();
    const item = snapshot.entries.get(b.guid('contentItem', 'spring'))!.object;
    const refs = referencesOf(item, snapshotLookup(snapshot)).filter((r) => r.field?.includes('fields'));
    expect(refs.map((r) => `${r.field} ${r.kind ?? '*'} ${r.key.slice(0, 8)}`).sort()).toEqual(
      [
        `fields.cta page ${b.guid('page', 'home').slice(0, 8)}`,
        `fields.image asset ${b.guid('asset', 'espresso').slice(0, 8)}`,
        `fields.related * ${b.guid('contentItem', 'espresso').slice(0, 8)}`,
        `fields.related * ${b.guid('page', 'home').slice(0, 8)}`,
        `variants.en-US.fields.body[2].fields.items * ${b.guid('page', 'home').slice(0, 8)}`,
        `variants.en-US.fields.body[2].fields.note page ${b.guid('page', 'home').slice(0, 8)}`,
        `variants.en-US.fields.intro * ${b.guid('asset', 'espresso').slice(0, 8)}`,
        `variants.en-US.fields.intro contentItem ${b.guid('contentItem', 'espresso').slice(0, 8)}`,
      ].sort(),
    );
    // Deleting the asset or the page finds the item through the link, the media and the rich text.
    expect(findReferrers(snapshot, new Set([b.guid('asset', 'espresso')])).has(b.guid('contentItem', 'spring'))).toBe(true);
    const keys = contentReferenceKeys(item);
    for (const g of [b.guid('asset', 'espresso'), b.guid('page', 'home'), b.guid('contentItem', 'espresso')]) expect(keys).toContain(g);
  });

  it('contentReferenceKeys counts guids written only in rich text markup', () => {
    const b = base();
    const only = spring(b, (o) => {
      o.fields = { columns: 1 };
      o.variants['en-US'].fields = { title: 'x', intro: `<ferry-embed guid="${b.guid('asset', 'espresso')}">` };
    });
    const item = only.build().entries.get(b.guid('contentItem', 'spring'))!.object;
    expect(contentReferenceKeys(item)).toEqual([b.guid('asset', 'espresso')]);
  });
});
