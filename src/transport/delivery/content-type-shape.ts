import type { ContentType, FieldDefinition, SubFieldDefinition } from '../../model/index.js';

/**
 * A Ferry content type as a Contentstack content type (`uid`, `title`, `schema`), so that tools
 * reading schemas (datasync connectors, generators) see the field types: text, number, boolean,
 * isodate, json, reference (with `reference_to`), file, group (object fields), blocks (modular
 * blocks) and link. Every entry has a `title`, so the schema
 * starts with one unless the type defines a field of that name.
 */
export function contentTypeData(t: ContentType, all: readonly string[]): Record<string, unknown> {
  const schema = t.fields.map((f) => withDefault(f, fieldSchema(f, all)));
  if (!t.fields.some((f) => f.name === 'title')) {
    schema.unshift({ uid: 'title', display_name: 'Title', data_type: 'text', mandatory: true, multiple: false, unique: false, field_metadata: {} });
  }
  return {
    uid: t.codeName,
    title: t.displayName,
    description: t.description ?? '',
    options: { is_page: t.usage === 'page', singleton: false },
    schema,
  };
}

/** A field's default, where Contentstack keeps it: `field_metadata.default_value`. */
function withDefault(f: FieldDefinition, schema: Record<string, unknown>): Record<string, unknown> {
  if (f.default === undefined) return schema;
  return { ...schema, field_metadata: { ...(schema.field_metadata as Record<string, unknown>), default_value: f.default } };
}

function fieldSchema(f: SubFieldDefinition, all: readonly string[], localized?: boolean): Record<string, unknown> {
  // Sub-fields follow their field's localization.
  const isLocalized = 'localized' in f ? Boolean(f.localized) : Boolean(localized);
  const base = { uid: f.name, display_name: f.label ?? f.name, mandatory: f.required, unique: false, non_localizable: !isLocalized };
  switch (f.type) {
    case 'text':
    case 'url':
    case 'email':
      return { ...base, data_type: 'text', multiple: false, field_metadata: {} };
    case 'longText':
      return { ...base, data_type: 'text', multiple: false, field_metadata: { multiline: true } };
    case 'richText':
      return { ...base, data_type: 'text', multiple: false, field_metadata: f.format === 'markdown' ? { markdown: true } : { allow_rich_text: true } };
    case 'integer':
    case 'decimal':
      return { ...base, data_type: 'number', multiple: false, field_metadata: {} };
    case 'boolean':
      return { ...base, data_type: 'boolean', multiple: false, field_metadata: {} };
    case 'date':
    case 'dateTime':
      return { ...base, data_type: 'isodate', multiple: false, field_metadata: {} };
    case 'json':
      return { ...base, data_type: 'json', multiple: false, field_metadata: {} };
    case 'taxonomy':
      return { ...base, data_type: 'text', multiple: true, field_metadata: {} };
    case 'contentItems':
    case 'pages':
      return { ...base, data_type: 'reference', multiple: true, reference_to: f.validation?.allowedTypes ?? [...all], field_metadata: { ref_multiple: true } };
    case 'assets':
      return { ...base, data_type: 'file', multiple: true, field_metadata: {} };
    case 'references':
      return { ...base, data_type: 'reference', multiple: true, reference_to: f.validation?.allowedTypes ?? [...all], field_metadata: { ref_multiple: true, ref_kinds: f.validation?.allowedKinds ?? ['contentItem', 'page'] } };
    case 'object':
      return { ...base, data_type: 'group', multiple: false, schema: (f.fields ?? []).map((s) => fieldSchema(s, all, isLocalized)), field_metadata: {} };
    case 'blocks':
      return {
        ...base,
        data_type: 'blocks',
        multiple: true,
        blocks: (f.blockTypes ?? []).map((t) => ({ uid: t.name, title: t.label ?? t.name, schema: (t.fields ?? []).map((s) => fieldSchema(s, all, isLocalized)) })),
        field_metadata: {},
      };
    case 'link':
      return { ...base, data_type: 'link', multiple: false, field_metadata: {} };
    case 'media':
      return { ...base, data_type: 'file', multiple: false, field_metadata: { image: true, per_use_attributes: true } };
  }
}
