/**
 * JSON Schemas (draft-07) of the object files: the source of truth for `schemas/*.schema.json`
 * (a test keeps the committed copies equal). ajv checks every file against them; editors with
 * yaml-language-server read them through each file's header comment. Field values inside items
 * and pages are only checked structurally here; the content type decides the rest (validate/).
 */
import {
  CHANNEL_TYPES,
  CODE_NAME_PATTERN,
  CONTENT_TYPE_USAGES,
  FIELD_DATA_TYPES,
  FIELD_NAME_PATTERN,
  GUID_PATTERN,
  LANGUAGE_CODE_PATTERN,
  VARIANT_STATUSES,
  type ObjectKind,
} from '../model/index.js';
import { ALLOWED_KINDS_PROPERTY, DEFAULT_PROPERTY, STRUCTURED_FIELD_PROPERTIES, structuredFieldDefinitions } from './field-kind-schemas.js';
import { ASSET_FILE_NAME_PATTERN, SCHEMA_FILE } from './layout.js';

export const SCHEMA_DRAFT = 'http://json-schema.org/draft-07/schema#';
export const SCHEMA_BASE_URL = 'https://ferry-cms.dev/schemas/v1/';
export const SHA256_PATTERN = '^[0-9a-f]{64}$';
/** Where an external asset's bytes are: `https://…`, or `http://` only to a loopback host (tests, local servers). */
export const EXTERNAL_URL_PATTERN = '^(?:https://[^\\s/?#@]+|http://(?:localhost|127\\.0\\.0\\.1|\\[::1\\])(?::[0-9]{1,5})?)(?:[/?#][^\\s]*)?$';
/** Lower-case `type/subtype`, no parameters: `image/jpeg`, `image/svg+xml`. */
export const MEDIA_TYPE_PATTERN = '^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$';
/** A host name, optionally with a port: `www.example.com`, `localhost:4321`. */
export const DOMAIN_PATTERN = '^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[0-9]{1,5})?$';
/** A `folder:` value: a guid, or a path of code names (`events/2026`). */
// (A guid is such a path too: one segment of hex digits and dashes.)
export const FOLDER_REF_PATTERN = '^[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)*$';
/** One URL path segment: no `/`, `?`, `#`, `\` or white space. */
export const SLUG_PATTERN = '^[^\\s/?#\\\\]+$';

type JsonSchema = Record<string, unknown>;

const kindProp = (kind: ObjectKind): JsonSchema => ({
  type: 'string',
  const: kind,
  description: `The object kind: always \`${kind}\` in this file.`,
});
const guidProp = (description: string): JsonSchema => ({ type: 'string', pattern: GUID_PATTERN, description });
const codeNameProp = (description: string): JsonSchema => ({ type: 'string', pattern: CODE_NAME_PATTERN, description });
const languageProp = (description: string): JsonSchema => ({ type: 'string', pattern: LANGUAGE_CODE_PATTERN, description });
const displayNameProp = (description = 'The name people see.'): JsonSchema => ({ type: 'string', minLength: 1, description });
const OBJECT_GUID = 'Identity of the object in every environment: a lower-case UUID. Never change it; a new guid is a new object.';
const OBJECT_CODE_NAME = 'Name for people and file names, unique per kind: lower-case letters, digits, `.`, `_`, `-`. It is also the file name.';

const fieldValuesProp = (description: string): JsonSchema => ({
  type: 'object',
  description,
  propertyNames: { type: 'string', pattern: FIELD_NAME_PATTERN },
  additionalProperties: {
    description: 'A field value, by field name; the content type says which type it must have.',
  },
});

function root(kind: ObjectKind, title: string, description: string, properties: Record<string, JsonSchema>, required: string[]): JsonSchema {
  return {
    $schema: SCHEMA_DRAFT,
    $id: `${SCHEMA_BASE_URL}${SCHEMA_FILE[kind]}`,
    title,
    description,
    type: 'object',
    additionalProperties: false,
    required,
    properties,
  };
}

const languageSchema = root(
  'language',
  'Ferry language',
  'A content language, in `languages/<code>.yaml`. Its code name (e.g. `en-US`) is its identity.',
  {
    kind: kindProp('language'),
    codeName: languageProp('Language code (BCP 47 style, e.g. `en` or `en-US`); identity of the language and its file name.'),
    displayName: displayNameProp('Name of the language people see, e.g. `English (United States)`.'),
    isDefault: { type: 'boolean', description: 'Whether this is the default language of the repository (exactly one language is).' },
    fallback: languageProp('Code of the language whose variant is used when a variant in this language is missing.'),
  },
  ['kind', 'codeName', 'displayName', 'isDefault'],
);

const workspaceSchema = root(
  'workspace',
  'Ferry workspace',
  'A group of content items, in `workspaces/<codeName>.yaml`.',
  {
    kind: kindProp('workspace'),
    guid: guidProp(OBJECT_GUID),
    codeName: codeNameProp(OBJECT_CODE_NAME),
    displayName: displayNameProp(),
    workflow: {
      type: 'array',
      description:
        'Workflow steps of the workspace’s items, in order (e.g. draft, review, approved, published). A variant’s `step` names where it is; one step is `published`, and only variants at it (status `published`) are delivered. Left out: the statuses `draft`, `published` and `unpublished`.',
      minItems: 1,
      items: {
        type: 'object',
        description: 'One workflow step.',
        additionalProperties: false,
        required: ['codeName', 'displayName'],
        properties: {
          codeName: codeNameProp('What a variant’s `status` says at this step, e.g. `review`. One step is `published`.'),
          displayName: displayNameProp('Name of the step people see, e.g. `Awaiting approval`.'),
        },
      },
    },
  },
  ['kind', 'guid', 'codeName', 'displayName'],
);

const channelSchema = root(
  'channel',
  'Ferry channel',
  'A website, headless or email channel, in `channels/<codeName>.yaml`.',
  {
    kind: kindProp('channel'),
    guid: guidProp(OBJECT_GUID),
    codeName: codeNameProp(OBJECT_CODE_NAME),
    displayName: displayNameProp(),
    type: { type: 'string', enum: [...CHANNEL_TYPES], description: 'What the channel publishes to: `website`, `headless` or `email`.' },
    primaryLanguage: languageProp('Code of the channel’s primary language; one of `languages`.'),
    languages: {
      type: 'array',
      description: 'Codes of the languages the channel publishes, sorted.',
      minItems: 1,
      uniqueItems: true,
      items: languageProp('A language code, e.g. `en-US`.'),
    },
    domains: {
      type: 'array',
      description: 'Website channels: the host names the site is served on, sorted.',
      uniqueItems: true,
      items: { type: 'string', pattern: DOMAIN_PATTERN, description: 'A lower-case host name, optionally with a port, e.g. `www.example.com`.' },
    },
  },
  ['kind', 'guid', 'codeName', 'displayName', 'type', 'primaryLanguage', 'languages'],
);

const fieldValidationSchema: JsonSchema = {
  type: 'object',
  description: 'Limits on the field’s values; each applies to the data types named in its description.',
  additionalProperties: false,
  properties: {
    minLength: { type: 'integer', minimum: 0, description: 'text, longText, richText, url, email: the least number of characters.' },
    maxLength: { type: 'integer', minimum: 0, description: 'text, longText, richText, url, email: the most characters.' },
    min: { type: 'number', description: 'integer, decimal: the smallest value allowed.' },
    max: { type: 'number', description: 'integer, decimal: the largest value allowed.' },
    pattern: { type: 'string', minLength: 1, description: 'text, url, email: a regular expression (ECMAScript) the value must match.' },
    minItems: { type: 'integer', minimum: 0, description: 'References and taxonomy: the least number of entries.' },
    maxItems: { type: 'integer', minimum: 0, description: 'References and taxonomy: the most entries.' },
    allowedTypes: {
      type: 'array',
      description: 'contentItems, pages: code names of the content types a reference may point to.',
      uniqueItems: true,
      items: codeNameProp('A content type code name.'),
    },
    allowedValues: {
      type: 'array',
      description: 'taxonomy: the tags allowed.',
      uniqueItems: true,
      items: { type: 'string', minLength: 1, description: 'An allowed tag.' },
    },
    allowedKinds: ALLOWED_KINDS_PROPERTY,
  },
};

const labelsProp = (what: string): JsonSchema => ({
  type: 'object',
  description: `${what} per language code (for editors working in that language), sorted by code.`,
  propertyNames: { type: 'string', pattern: LANGUAGE_CODE_PATTERN },
  additionalProperties: {
    type: 'object',
    description: `${what} in one language.`,
    additionalProperties: false,
    minProperties: 1,
    properties: {
      name: { type: 'string', minLength: 1, description: 'The name in this language (a content type’s display name, a field’s label).' },
      description: { type: 'string', minLength: 1, description: 'The description in this language.' },
    },
  },
});

const fieldDefinitionSchema: JsonSchema = {
  type: 'object',
  description: 'One field of the content type.',
  additionalProperties: false,
  required: ['guid', 'name', 'type', 'required', 'localized'],
  properties: {
    guid: guidProp('Identity of the field: a lower-case UUID, kept when the field is renamed.'),
    name: { type: 'string', pattern: FIELD_NAME_PATTERN, description: 'Field name used in items and APIs: a letter, then letters, digits or `_`.' },
    label: { type: 'string', minLength: 1, description: 'Label people see in an editor.' },
    labels: labelsProp('The field’s label and description'),
    type: { type: 'string', enum: [...FIELD_DATA_TYPES], description: 'Data type of the field’s values.' },
    format: { type: 'string', enum: ['html', 'markdown'], description: 'richText only: `html` (the default) or `markdown`.' },
    required: { type: 'boolean', description: 'Whether every item must have a value for this field.' },
    localized: { type: 'boolean', description: 'Localized fields have a value per language variant; the others one value per item.' },
    validation: fieldValidationSchema,
    default: DEFAULT_PROPERTY,
    ...STRUCTURED_FIELD_PROPERTIES,
  },
};

const contentTypeSchema = root(
  'contentType',
  'Ferry content type',
  'The fields of a kind of content, in `content-types/<codeName>.yaml`.',
  {
    kind: kindProp('contentType'),
    guid: guidProp(OBJECT_GUID),
    codeName: codeNameProp(OBJECT_CODE_NAME),
    displayName: displayNameProp(),
    usage: { type: 'string', enum: [...CONTENT_TYPE_USAGES], description: 'What items of this type are: `reusable` content, `page`s, `headless` items or `email`s.' },
    description: { type: 'string', description: 'What the content type is for.' },
    labels: labelsProp('The content type’s display name and description'),
    fields: { type: 'array', description: 'The fields, in the order editors show them.', items: fieldDefinitionSchema },
  },
  ['kind', 'guid', 'codeName', 'displayName', 'usage', 'fields'],
);
contentTypeSchema.definitions = structuredFieldDefinitions(fieldValidationSchema);

const assetFolderSchema = root(
  'assetFolder',
  'Ferry asset folder',
  'A folder of assets, in `assets/<codeName>/_folder.yaml`.',
  {
    kind: kindProp('assetFolder'),
    guid: guidProp(OBJECT_GUID),
    codeName: codeNameProp(OBJECT_CODE_NAME),
    displayName: displayNameProp(),
  },
  ['kind', 'guid', 'codeName', 'displayName'],
);

const assetSchema = root(
  'asset',
  'Ferry asset',
  'Metadata of an asset, in `assets/<folder>/<codeName>.yaml`, with the binary file beside it.',
  {
    kind: kindProp('asset'),
    guid: guidProp(OBJECT_GUID),
    codeName: codeNameProp(OBJECT_CODE_NAME),
    folder: codeNameProp('Code name of the asset folder; the file lives in `assets/<folder>/`.'),
    fileName: {
      type: 'string',
      pattern: ASSET_FILE_NAME_PATTERN,
      description: 'Name of the binary file beside this file, e.g. `espresso.jpg`: letters, digits, `.`, `_`, `-`, with an extension.',
    },
    mediaType: { type: 'string', pattern: MEDIA_TYPE_PATTERN, description: 'Media type of the binary, lower case, e.g. `image/jpeg`.' },
    size: { type: 'integer', minimum: 0, description: 'Size of the binary in bytes. Left out for an external asset (`source.size`).' },
    sha256: { type: 'string', pattern: SHA256_PATTERN, description: 'SHA-256 of the binary, 64 lower-case hex digits. Left out for an external asset (`source.sha256`).' },
    source: {
      type: 'object',
      description:
        'Makes this an external asset: its bytes live at a URL (object storage, a CDN, a DAM export) instead of a binary beside this file. Deployments record the reference; delivery returns the URL; `ferry deploy --verify-external` fetches it and checks size and sha256.',
      additionalProperties: false,
      required: ['url', 'sha256', 'size'],
      properties: {
        url: { type: 'string', pattern: EXTERNAL_URL_PATTERN, description: 'Where the bytes are: an `https://` URL (`http://` only to a loopback host).' },
        sha256: { type: 'string', pattern: SHA256_PATTERN, description: 'SHA-256 of the bytes at the URL, 64 lower-case hex digits.' },
        size: { type: 'integer', minimum: 0, description: 'Size of the bytes at the URL.' },
      },
    },
    metadata: {
      type: 'object',
      description: 'Title and alt text per language code, sorted by code.',
      propertyNames: { type: 'string', pattern: LANGUAGE_CODE_PATTERN },
      additionalProperties: {
        type: 'object',
        description: 'Title and alt text in one language.',
        additionalProperties: false,
        properties: {
          title: { type: 'string', description: 'Title of the asset in this language.' },
          alt: { type: 'string', description: 'Alternative text (for images) in this language.' },
        },
      },
    },
  },
  ['kind', 'guid', 'codeName', 'folder', 'fileName', 'mediaType'],
);
// `size` and `sha256` describe the binary beside the file; an external asset has `source` instead.
// (ajv's strict mode wants each `required` key declared beside it: `true` adds no rule.)
assetSchema.if = { properties: { source: true }, required: ['source'] };
assetSchema.then = { properties: { size: false, sha256: false } };
assetSchema.else = { properties: { size: true, sha256: true }, required: ['size', 'sha256'] };

const statusProp: JsonSchema = {
  type: 'string',
  enum: [...VARIANT_STATUSES],
  description: 'Publishing state of this language variant: `draft`, `published` or `unpublished`.',
};

const stepProp: JsonSchema = {
  type: 'string',
  pattern: CODE_NAME_PATTERN,
  description:
    'In a workspace with a workflow: the workflow step this variant is at (one the workspace declares). `status` is `published` exactly when the step is `published`.',
};

const itemVariantSchema: JsonSchema = {
  type: 'object',
  description: 'The item in one language.',
  additionalProperties: false,
  required: ['status', 'displayName'],
  properties: {
    status: statusProp,
    step: stepProp,
    displayName: displayNameProp('Name of the item in this language.'),
    fields: fieldValuesProp('Values of the localized fields in this language, by field name, sorted.'),
  },
};

const pageVariantSchema: JsonSchema = {
  type: 'object',
  description: 'The page in one language.',
  additionalProperties: false,
  required: ['status', 'displayName', 'slug'],
  properties: {
    status: statusProp,
    step: stepProp,
    displayName: displayNameProp('Name of the page in this language.'),
    slug: { type: 'string', pattern: SLUG_PATTERN, description: 'URL slug of the page in this language: one path segment.' },
    fields: fieldValuesProp('Values of the localized fields in this language, by field name, sorted.'),
  },
};

const variantsProp = (variant: JsonSchema): JsonSchema => ({
  type: 'object',
  description: 'One variant per language code, sorted by code.',
  minProperties: 1,
  propertyNames: { type: 'string', pattern: LANGUAGE_CODE_PATTERN },
  additionalProperties: variant,
});

const contentItemSchema = root(
  'contentItem',
  'Ferry content item',
  'A content item, in `items/<contentType>/<codeName>.yaml`.',
  {
    kind: kindProp('contentItem'),
    guid: guidProp(OBJECT_GUID),
    codeName: codeNameProp(OBJECT_CODE_NAME),
    contentType: codeNameProp('Code name of the item’s content type; the file lives in `items/<contentType>/`.'),
    workspace: codeNameProp('Code name of the workspace the item belongs to.'),
    folder: {
      type: 'string',
      pattern: FOLDER_REF_PATTERN,
      description:
        'The content folder the item sits in: its guid (what Ferry writes; moving the folder leaves this file alone) or its code-name path (`events/2026`). The file then lives at `items/<folder path>/<codeName>.yaml`. Left out: the item is in no folder and lives in `items/<contentType>/`.',
    },
    fields: fieldValuesProp('Values of the non-localized fields, by field name, sorted.'),
    variants: variantsProp(itemVariantSchema),
  },
  ['kind', 'guid', 'codeName', 'contentType', 'workspace', 'variants'],
);

const contentFolderSchema = root(
  'contentFolder',
  'Ferry content folder',
  'A folder of content items, nested to any depth, in `items/<folder path>/_folder.yaml`; the folder path is the code names from the root folder down to this one, and the folder’s items sit beside this file.',
  {
    kind: kindProp('contentFolder'),
    guid: guidProp(OBJECT_GUID),
    codeName: codeNameProp(OBJECT_CODE_NAME + ' It is the folder’s own segment of its path.'),
    displayName: displayNameProp(),
    workspace: codeNameProp('Code name of the workspace the folder, its sub-folders and its items belong to.'),
    parent: guidProp('Guid of the parent folder; absent for a root folder.'),
  },
  ['kind', 'guid', 'codeName', 'displayName', 'workspace'],
);

const pageSchema = root(
  'page',
  'Ferry page',
  'A page in a website channel’s tree, in `pages/<channel>/<codeName>.yaml`.',
  {
    kind: kindProp('page'),
    guid: guidProp(OBJECT_GUID),
    codeName: codeNameProp(OBJECT_CODE_NAME),
    contentType: codeNameProp('Code name of the page’s content type.'),
    channel: codeNameProp('Code name of the website channel; the file lives in `pages/<channel>/`.'),
    parent: guidProp('Guid of the parent page in the same channel; absent for a root page.'),
    order: { type: 'integer', description: 'Position among the pages with the same parent (ascending).' },
    fields: fieldValuesProp('Values of the non-localized fields, by field name, sorted.'),
    variants: variantsProp(pageVariantSchema),
  },
  ['kind', 'guid', 'codeName', 'contentType', 'channel', 'order', 'variants'],
);

/** The JSON Schema of each kind's file. */
export const FILE_SCHEMAS: Readonly<Record<ObjectKind, JsonSchema>> = {
  language: languageSchema,
  workspace: workspaceSchema,
  channel: channelSchema,
  contentType: contentTypeSchema,
  assetFolder: assetFolderSchema,
  asset: assetSchema,
  contentFolder: contentFolderSchema,
  contentItem: contentItemSchema,
  page: pageSchema,
};

/** The committed text of a schema file: 2-space JSON with a final newline. */
export function schemaFileText(kind: ObjectKind): string {
  return `${JSON.stringify(FILE_SCHEMAS[kind], null, 2)}\n`;
}
