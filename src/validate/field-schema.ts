import { createHash } from 'node:crypto';
import type { ValidateFunction } from 'ajv';
import { createAjv, standaloneSource } from '../config/ajv.js';
import { LINK_TARGETS } from '../model/field-kinds.js';
import { GUID_PATTERN, type ContentType, type FieldDataType, type FieldDefinition, type SubFieldDefinition } from '../model/objects.js';

/** Absolute http(s) URL: the scheme, `://` and a host. */
export const HTTP_URL_PATTERN = '^[Hh][Tt][Tt][Pp][Ss]?://[^\\s/?#]+';

/** Which validation keys each data type accepts (the content types rule refuses the others). */
export const VALIDATION_KEYS_BY_TYPE: Readonly<Record<FieldDataType, readonly string[]>> = {
  text: ['minLength', 'maxLength', 'pattern'],
  longText: ['minLength', 'maxLength'],
  richText: ['minLength', 'maxLength'],
  integer: ['min', 'max'],
  decimal: ['min', 'max'],
  boolean: [],
  date: [],
  dateTime: [],
  url: ['minLength', 'maxLength', 'pattern'],
  email: ['minLength', 'maxLength', 'pattern'],
  json: [],
  taxonomy: ['minItems', 'maxItems', 'allowedValues'],
  contentItems: ['minItems', 'maxItems', 'allowedTypes'],
  pages: ['minItems', 'maxItems', 'allowedTypes'],
  assets: ['minItems', 'maxItems'],
  object: [],
  blocks: ['minItems', 'maxItems'],
  link: ['allowedKinds', 'allowedTypes'],
  media: [],
  references: ['minItems', 'maxItems', 'allowedKinds', 'allowedTypes'],
};

/** Where a link may go outside Ferry: an http(s) URL, `mailto:`, `tel:`, or a path on the same site. */
export const LINK_URL_PATTERN = '^(?:[Hh][Tt][Tt][Pp][Ss]?://[^\\s/?#]+|mailto:|tel:|/)[^\\s]*$';
/** An anchor on a link target: a fragment without `#` or white space. */
export const ANCHOR_PATTERN = '^[^\\s#]+$';

const guidSchema = { type: 'string', pattern: GUID_PATTERN };
const unit = { type: 'number', minimum: 0, maximum: 1 };
const pixels = { type: 'integer', minimum: 0 };

/** The JSON Schema of a link value: exactly one target (`oneOf` of the four `required`). */
function linkSchema(): Record<string, unknown> {
  return {
    type: 'object',
    additionalProperties: false,
    properties: {
      item: guidSchema,
      page: guidSchema,
      asset: guidSchema,
      url: { type: 'string', pattern: LINK_URL_PATTERN },
      anchor: { type: 'string', pattern: ANCHOR_PATTERN },
      text: { type: 'string' },
      title: { type: 'string' },
      target: { type: 'string', enum: [...LINK_TARGETS] },
    },
    oneOf: [{ required: ['item'] }, { required: ['page'] }, { required: ['asset'] }, { required: ['url'] }],
  };
}

/** The JSON Schema of a media value: an asset or an external URL, and the per-use attributes. */
function mediaSchema(): Record<string, unknown> {
  return {
    type: 'object',
    additionalProperties: false,
    properties: {
      asset: guidSchema,
      url: { type: 'string', pattern: HTTP_URL_PATTERN },
      mediaType: { type: 'string', pattern: '^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$' },
      provider: { type: 'string', minLength: 1 },
      externalId: { type: 'string', minLength: 1 },
      title: { type: 'string' },
      alt: { type: 'string' },
      focalPoint: { type: 'object', additionalProperties: false, required: ['x', 'y'], properties: { x: unit, y: unit } },
      crop: {
        type: 'object',
        additionalProperties: false,
        required: ['x', 'y', 'width', 'height'],
        properties: { x: pixels, y: pixels, width: { type: 'integer', minimum: 1 }, height: { type: 'integer', minimum: 1 } },
      },
      width: { type: 'integer', minimum: 1 },
      height: { type: 'integer', minimum: 1 },
    },
    oneOf: [{ required: ['asset'] }, { required: ['url'] }],
  };
}

/** A map of sub-field values: what an object field holds, and a block's `fields`. */
function subFieldsSchema(fields: readonly SubFieldDefinition[]): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const f of fields) properties[f.name] = fieldValueSchema(f);
  return { type: 'object', properties, required: [...new Set(fields.filter((f) => f.required).map((f) => f.name))], additionalProperties: false };
}

/** A blocks list: each entry names one of the block types, and its fields follow that type. */
function blocksSchema(field: SubFieldDefinition): Record<string, unknown> {
  const types = field.blockTypes ?? [];
  return {
    type: 'array',
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['block'],
      properties: { block: { type: 'string', enum: types.map((t) => t.name) }, fields: { type: 'object' } },
      allOf: types.map((t) => ({
        if: { properties: { block: { const: t.name } }, required: ['block'] },
        then: { properties: { fields: subFieldsSchema(t.fields ?? []) }, required: (t.fields ?? []).some((f) => f.required) ? ['fields'] : [] },
      })),
    },
  };
}

/** A user pattern that compiles as ajv compiles it (Unicode mode); others are left out of schemas. */
export function patternError(pattern: string): string | undefined {
  try {
    new RegExp(pattern, 'u');
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** The JSON Schema of one field's value. Validation keys that do not fit the type are ignored here. */
export function fieldValueSchema(field: SubFieldDefinition): Record<string, unknown> {
  const v = field.validation ?? {};
  const allowed = new Set(VALIDATION_KEYS_BY_TYPE[field.type] ?? []);
  const pick = (key: keyof typeof v, as: string, out: Record<string, unknown>): void => {
    if (allowed.has(key) && v[key] !== undefined) out[as] = v[key];
  };
  const userPattern = allowed.has('pattern') && typeof v.pattern === 'string' && !patternError(v.pattern) ? v.pattern : undefined;
  const s: Record<string, unknown> = {};
  switch (field.type) {
    case 'text':
    case 'longText':
    case 'richText':
      s.type = 'string';
      if (userPattern !== undefined) s.pattern = userPattern;
      break;
    case 'integer':
      s.type = 'integer';
      break;
    case 'decimal':
      s.type = 'number';
      break;
    case 'boolean':
      s.type = 'boolean';
      break;
    case 'date':
      s.type = 'string';
      s.format = 'date';
      break;
    case 'dateTime':
      s.type = 'string';
      s.format = 'date-time';
      break;
    case 'url':
      s.type = 'string';
      s.format = 'uri';
      s.pattern = HTTP_URL_PATTERN;
      if (userPattern !== undefined) s.allOf = [{ type: 'string', pattern: userPattern }];
      break;
    case 'email':
      s.type = 'string';
      s.format = 'email';
      if (userPattern !== undefined) s.pattern = userPattern;
      break;
    case 'json':
      break;
    case 'taxonomy':
      s.type = 'array';
      s.items = Array.isArray(v.allowedValues) && allowed.has('allowedValues') ? { type: 'string', enum: v.allowedValues } : { type: 'string' };
      break;
    case 'contentItems':
    case 'pages':
    case 'assets':
    case 'references':
      s.type = 'array';
      s.items = { type: 'string', pattern: GUID_PATTERN };
      break;
    case 'object':
      Object.assign(s, subFieldsSchema(field.fields ?? []));
      break;
    case 'blocks':
      Object.assign(s, blocksSchema(field));
      break;
    case 'link':
      Object.assign(s, linkSchema());
      break;
    case 'media':
      Object.assign(s, mediaSchema());
      break;
  }
  pick('minLength', 'minLength', s);
  pick('maxLength', 'maxLength', s);
  pick('min', 'minimum', s);
  pick('max', 'maximum', s);
  pick('minItems', 'minItems', s);
  pick('maxItems', 'maxItems', s);
  if (field.label) s.title = field.label;
  s.description = `${field.type} field \`${field.name}\`${field.required ? ' (required)' : ''}`;
  // With a default, null is "explicitly empty" (it does not inherit); absent inherits.
  if (hasDefault(field) && !field.required && typeof s.type === 'string') s.type = [s.type, 'null'];
  return s;
}

function hasDefault(field: SubFieldDefinition): boolean {
  return (field as FieldDefinition).default !== undefined;
}

/**
 * Compiles a content type's fields into two JSON Schemas: `shared` for the item's `fields`
 * (non-localized fields), `localized` for each variant's `fields`. Unknown or misplaced field
 * names fail `additionalProperties`; required fields are required where they belong.
 */
export function compileContentTypeSchemas(ct: ContentType): { shared: object; localized: object } {
  const build = (localized: boolean): object => {
    const fields = (ct.fields ?? []).filter((f) => Boolean(f.localized) === localized);
    const properties: Record<string, unknown> = {};
    for (const f of fields) properties[f.name] = fieldValueSchema(f);
    return {
      title: `${ct.codeName}: ${localized ? 'localized fields (each variant)' : 'shared fields'}`,
      type: 'object',
      properties,
      // A required field with a default may be left out: it inherits the default.
      required: [...new Set(fields.filter((f) => f.required && f.default === undefined).map((f) => f.name))],
      additionalProperties: false,
    };
  };
  return { shared: build(false), localized: build(true) };
}

export interface FieldValidators {
  shared: ValidateFunction;
  localized: ValidateFunction;
}

/**
 * Compiled validator code kept between processes. Compiling a content type's two schemas costs
 * ajv 2-5 ms in a fresh process (~50 ms for 20 types, in every deploy and validate); the code it
 * generates is the same every time, so it can be kept. The adapter (src/cache/) stores modules
 * by key and evaluates them; keys are digests of the schema, so a changed type never hits an
 * old entry.
 */
export interface ValidatorCodeCache {
  /** The module saved under `key` earlier, evaluated (its `module.exports`); undefined when absent or unusable. */
  load(key: string): unknown;
  /** Keeps `source` (a CommonJS module) under `key`; failures are the cache's to swallow. */
  save(key: string, source: string): void;
}

// One ajv instance and one compiled pair per content type, kept across calls: a long-lived
// process (server, watch) revalidates without recompiling. Keyed by guid, replaced when the
// type's digest changes, so the cache holds at most one pair per type.
let ajv: ReturnType<typeof createAjv> | undefined;
const cache = new Map<string, { digest: string; schemas: { shared: object; localized: object }; validators: FieldValidators }>();

// The schemas are Ferry's own output (invalid user patterns are left out above), so skip checking
// them against the meta-schema and skip ajv's code optimizer: together about half of each type's
// compile time. `source` keeps the generated code for the code cache.
const AJV_OPTIONS = { validateSchema: false, code: { optimize: false, source: true } } as const;
/** Changes whenever what a cached module means changes (options, how it is made). */
const CODE_FORMAT = `ferry-field-validator-v1 ${JSON.stringify(AJV_OPTIONS)}`;

/** A digest of what the compiled schemas depend on. */
export function contentTypeDigest(ct: ContentType): string {
  return createHash('sha256').update(JSON.stringify([ct.codeName, ct.fields])).digest('hex');
}

/**
 * The compiled validators of a content type, compiled on first use and reused while the type is
 * unchanged; with a code cache, code compiled by an earlier process is reused too.
 */
export function fieldValidators(ct: ContentType, codeCache?: ValidatorCodeCache): FieldValidators {
  const digest = contentTypeDigest(ct);
  const hit = cache.get(ct.guid);
  if (hit && hit.digest === digest) return hit.validators;
  if (hit && ajv) {
    ajv.removeSchema(hit.schemas.shared);
    ajv.removeSchema(hit.schemas.localized);
  }
  const schemas = compileContentTypeSchemas(ct);
  const validators = { shared: compile(schemas.shared, codeCache), localized: compile(schemas.localized, codeCache) };
  cache.set(ct.guid, { digest, schemas, validators });
  return validators;
}

function compile(schema: object, codeCache: ValidatorCodeCache | undefined): ValidateFunction {
  const key = codeCache && createHash('sha256').update(CODE_FORMAT).update('\0').update(JSON.stringify(schema)).digest('hex');
  const kept = key && codeCache.load(key);
  if (typeof kept === 'function') return kept as ValidateFunction;
  // Created on the first miss only: a fully cached run never builds an ajv instance.
  ajv ??= createAjv(AJV_OPTIONS);
  const validate = ajv.compile(schema);
  if (key) codeCache.save(key, standaloneSource(ajv, validate));
  return validate;
}
