/**
 * The parts of the content type file schema that structured fields add (issue 13): sub-fields of
 * `object` fields, block types of `blocks` fields (both recursive, through `definitions`), a
 * field's `default`, and `validation.allowedKinds`. Kept apart from file-schemas.ts, which spreads
 * them in, so the two grow without touching each other.
 */
import { FIELD_DATA_TYPES, FIELD_NAME_PATTERN, GUID_PATTERN, REFERENCE_TARGET_KINDS } from '../model/index.js';

type JsonSchema = Record<string, unknown>;

const SUB_FIELD_REF = '#/definitions/subField';
const BLOCK_TYPE_REF = '#/definitions/blockType';

/** Properties a field definition (and a sub-field) may have besides the scalar ones. */
export const STRUCTURED_FIELD_PROPERTIES: Readonly<Record<string, JsonSchema>> = {
  fields: {
    type: 'array',
    description: 'object fields only: the sub-fields of the group, in the order editors show them. They are localized with their field.',
    minItems: 1,
    items: { $ref: SUB_FIELD_REF, description: 'A sub-field.' },
  },
  blockTypes: {
    type: 'array',
    description: 'blocks fields only: the types of block the list may hold, each with its own fields.',
    minItems: 1,
    items: { $ref: BLOCK_TYPE_REF, description: 'A block type.' },
  },
};

export const DEFAULT_PROPERTY: JsonSchema = {
  description:
    'The value an item inherits when it leaves this field out (resolved in delivery). An item may set the field to null to leave it explicitly empty. Not for fields that hold references.',
};

export const ALLOWED_KINDS_PROPERTY: JsonSchema = {
  type: 'array',
  description: 'references, link: the kinds an internal target may be (`contentItem`, `page`, `asset`); references default to items and pages.',
  minItems: 1,
  uniqueItems: true,
  items: { type: 'string', enum: [...REFERENCE_TARGET_KINDS], description: 'A kind of object.' },
};

/** The `definitions` the content type schema holds for the recursive parts. */
export function structuredFieldDefinitions(fieldValidationSchema: JsonSchema): Record<string, JsonSchema> {
  return {
    subField: {
      type: 'object',
      description: 'A sub-field of an object field or of a block type: like a field, without localized or default.',
      additionalProperties: false,
      required: ['guid', 'name', 'type', 'required'],
      properties: {
        guid: { type: 'string', pattern: GUID_PATTERN, description: 'Identity of the sub-field: a lower-case UUID, unique within the content type.' },
        name: { type: 'string', pattern: FIELD_NAME_PATTERN, description: 'Sub-field name used in values: a letter, then letters, digits or `_`.' },
        label: { type: 'string', minLength: 1, description: 'Label people see in an editor.' },
        type: { type: 'string', enum: [...FIELD_DATA_TYPES], description: 'Data type of the sub-field’s values.' },
        format: { type: 'string', enum: ['html', 'markdown'], description: 'richText only: `html` (the default) or `markdown`.' },
        required: { type: 'boolean', description: 'Whether every value of the group or block must have this sub-field.' },
        validation: fieldValidationSchema,
        ...STRUCTURED_FIELD_PROPERTIES,
      },
    },
    blockType: {
      type: 'object',
      description: 'One type of block: its name (written as `block:` in each block) and its fields.',
      additionalProperties: false,
      required: ['guid', 'name', 'fields'],
      properties: {
        guid: { type: 'string', pattern: GUID_PATTERN, description: 'Identity of the block type: a lower-case UUID, unique within the content type.' },
        name: { type: 'string', pattern: FIELD_NAME_PATTERN, description: 'Block type name used in values (`block: hero`).' },
        label: { type: 'string', minLength: 1, description: 'Label people see in an editor.' },
        fields: { type: 'array', description: 'The fields of a block of this type.', items: { $ref: SUB_FIELD_REF, description: 'A field of the block.' } },
      },
    },
  };
}
