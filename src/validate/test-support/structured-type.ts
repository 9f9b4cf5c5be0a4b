/**
 * A content type with one field of every structured kind, for unit tests of blocks, object
 * fields, links, media, multi-kind references, rich text references and defaults.
 */
import type { ContentType, FieldDefinition, SubFieldDefinition } from '../../model/objects.js';
import { testGuid, type SnapshotBuilder } from './snapshot-builder.js';

const sub = (owner: string, type: SubFieldDefinition['type'], name: string, extra: Partial<SubFieldDefinition> = {}): SubFieldDefinition => ({
  guid: testGuid('field', `feature.${owner}.${name}`),
  name,
  type,
  required: false,
  ...extra,
});

const field = (type: FieldDefinition['type'], name: string, extra: Partial<FieldDefinition> = {}): FieldDefinition => ({
  guid: testGuid('field', `feature.${name}`),
  name,
  type,
  required: false,
  localized: false,
  ...extra,
});

export const FEATURE_FIELDS: readonly FieldDefinition[] = [
  field('text', 'title', { required: true, localized: true }),
  field('blocks', 'body', {
    localized: true,
    blockTypes: [
      {
        guid: testGuid('blockType', 'feature.hero'),
        name: 'hero',
        fields: [sub('hero', 'text', 'heading', { required: true }), sub('hero', 'media', 'image'), sub('hero', 'link', 'cta')],
      },
      { guid: testGuid('blockType', 'feature.quote'), name: 'quote', fields: [sub('quote', 'longText', 'text', { required: true }), sub('quote', 'text', 'source')] },
      { guid: testGuid('blockType', 'feature.cards'), name: 'cards', fields: [sub('cards', 'references', 'items'), sub('cards', 'richText', 'note')] },
    ],
  }),
  field('object', 'seo', { fields: [sub('seo', 'text', 'metaTitle', { required: true }), sub('seo', 'longText', 'metaDescription'), sub('seo', 'boolean', 'noIndex')] }),
  field('link', 'cta'),
  field('media', 'image'),
  field('references', 'related'),
  field('richText', 'intro', { localized: true }),
  field('text', 'theme', { default: 'light' }),
  field('integer', 'columns', { required: true, default: 2 }),
];

/** Adds the `feature` content type (reusable) to a builder. */
export function withFeatureType(b: SnapshotBuilder, fields: readonly FieldDefinition[] = FEATURE_FIELDS): SnapshotBuilder {
  return b.contentType('feature', { fields: fields.map((f) => structuredClone(f)) as ContentType['fields'] });
}
