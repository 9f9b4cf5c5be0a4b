/**
 * fast-check arbitraries of valid Ferry objects of every kind, biased towards the strings that
 * break naive YAML writers: multi-line text with trailing spaces and newlines, unicode, strings
 * that look like numbers, booleans, null or dates, `#`, `: `, leading `-`, quotes, tabs, ''.
 */
import fc from 'fast-check';
import {
  CHANNEL_TYPES,
  CONTENT_TYPE_USAGES,
  FIELD_DATA_TYPES,
  VARIANT_STATUSES,
  type Asset,
  type AssetFolder,
  type Channel,
  type ContentItem,
  type ContentType,
  type FerryObject,
  type FieldDefinition,
  type FieldValidation,
  type Language,
  type Page,
  type Workspace,
} from '../../model/index.js';

const TRICKY = [
  '', ' ', '  ', '\t', '\n', '\n\n', ' \n', '\n ', 'a\n', 'a\n\n', 'a\n\n\n', '\na', '\n\na', ' a', 'a ', 'a  \nb  ',
  'true', 'True', 'TRUE', 'false', 'yes', 'no', 'on', 'off', 'y', 'n', 'null', 'Null', 'NULL', '~', '-', '?', ':',
  '123', '-1', '+1', '0', '00', '007', '0x1F', '0o17', '0b101', '1_000', '1e3', '1E+3', '-.5', '.5', '5.', '1.0',
  '.inf', '-.Inf', '+.INF', '.nan', '.NaN', '2024-05-01', '2024-05-01T10:00:00Z', '12:30', '1:20:30',
  '# not a comment', 'a # b', 'a#b', 'key: value', 'a:b', 'a:', ':a', '- item', '-item', '--', '---', '...', '--- x',
  '? q', '[a]', '{a: 1}', '"quoted"', "'single'", 'it\'s', 'say "hi"', '\\', 'back\\slash', '&anchor', '*alias',
  '!tag', '!!str x', '%YAML', '@at', '`tick`', '|', '>', '|-', 'a\tb', '\ta', 'a\t', 'caf\u00e9', '\u00e9t\u00e9',
  '日本語', '😀 emoji', 'e\u0301', '\u00a0nbsp', 'nbsp\u00a0', 'zero\u200bwidth', '\u2028', 'a\u2029b', '\u0085',
  'nel\u0085x', 'del\u007f', 'bom\ufeff', '\u0000', 'bell\u0007', 'esc\u001b[0m', 'cr\rlf', 'crlf\r\n', '\r',
  '<p>Coffee grows.</p>\n<p>Ethiopia.</p>\n', '  indented\nfirst', '\n  \nx\n\n', 'x\n  \n', 'trailing\n ', 'tab\n\tx',
  '# heading\n\n- list\n- items\n', 'a\n---\nb', 'a\n...\nb', '%x\ny',
];

/** Lines that make multi-line text interesting. */
const line = fc.oneof(
  fc.constantFrom('', ' ', '  ', '\t', 'text', '  indented', 'trailing  ', '# h', '- li', '---', 'a: b', '"q"', 'é 😀'),
  fc.string({ maxLength: 12 }),
);

const multiline = fc
  .tuple(fc.array(line, { minLength: 2, maxLength: 6 }), fc.constantFrom('', '\n', '\n\n', '\n\n\n'))
  .map(([lines, end]) => lines.join('\n') + end);

/** Any string, biased towards the tricky ones. */
export const trickyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...TRICKY) },
  { weight: 2, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 2, arbitrary: multiline },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...TRICKY), fc.constantFrom(...TRICKY)).map(([a, b]) => a + b) },
);
export const nonEmptyString = trickyString.filter((s) => s.length > 0);

export const guid = fc.uuid().map((u) => u.toLowerCase());
export const codeName = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,15}$/);
export const languageCode = fc.oneof(
  fc.constantFrom('en', 'en-US', 'es-ES', 'de', 'zh-Hant-TW', 'fr-CA', 'pt-BR'),
  fc.stringMatching(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$/),
);
export const fieldName = fc.oneof(
  fc.constantFrom('title', 'body', 'true', 'null', 'NULL', 'True', 'y', 'on', 'no', 'nan', 'inf', 'e1'),
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,12}$/),
);

/** JSON-like field values: strings, numbers, booleans, null, nested lists and maps with tricky keys. */
export const fieldValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    trickyString,
    fc.integer(),
    // -0 is written as 0 (see encode.ts), so it cannot round-trip as -0
    fc.double({ noNaN: true }).map((d) => (Object.is(d, -0) ? 0 : d)),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(trickyString, tie('value'), { maxKeys: 4 }),
  ),
})).value;

export const fieldValues = fc.dictionary(fieldName, fieldValue, { maxKeys: 4 });

const opt = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined });

export const language: fc.Arbitrary<Language> = fc.record({
  kind: fc.constant('language' as const),
  codeName: languageCode,
  displayName: nonEmptyString,
  isDefault: fc.boolean(),
  fallback: opt(languageCode),
});

export const workspace: fc.Arbitrary<Workspace> = fc.record({
  kind: fc.constant('workspace' as const),
  guid,
  codeName,
  displayName: nonEmptyString,
});

export const assetFolder: fc.Arbitrary<AssetFolder> = fc.record({
  kind: fc.constant('assetFolder' as const),
  guid,
  codeName,
  displayName: nonEmptyString,
});

export const channel: fc.Arbitrary<Channel> = fc.record({
  kind: fc.constant('channel' as const),
  guid,
  codeName,
  displayName: nonEmptyString,
  type: fc.constantFrom(...CHANNEL_TYPES),
  primaryLanguage: languageCode,
  languages: fc.uniqueArray(languageCode, { minLength: 1, maxLength: 3 }),
  domains: opt(fc.uniqueArray(fc.stringMatching(/^[a-z0-9]{1,8}(\.[a-z0-9]{1,8}){0,2}(:[0-9]{1,4})?$/), { maxLength: 3 })),
});

const validation: fc.Arbitrary<FieldValidation> = fc.record(
  {
    minLength: fc.nat(),
    maxLength: fc.nat(),
    min: fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => (Object.is(d, -0) ? 0 : d)),
    max: fc.integer(),
    pattern: nonEmptyString,
    minItems: fc.nat(),
    maxItems: fc.nat(),
    allowedTypes: fc.uniqueArray(codeName, { maxLength: 3 }),
    allowedValues: fc.uniqueArray(nonEmptyString, { maxLength: 3 }),
  },
  { requiredKeys: [] },
);

const fieldDefinition: fc.Arbitrary<FieldDefinition> = fc.record({
  guid,
  name: fieldName,
  label: opt(nonEmptyString),
  type: fc.constantFrom(...FIELD_DATA_TYPES),
  format: opt(fc.constantFrom('html' as const, 'markdown' as const)),
  required: fc.boolean(),
  localized: fc.boolean(),
  validation: opt(validation),
});

export const contentType: fc.Arbitrary<ContentType> = fc.record({
  kind: fc.constant('contentType' as const),
  guid,
  codeName,
  displayName: nonEmptyString,
  usage: fc.constantFrom(...CONTENT_TYPE_USAGES),
  description: opt(trickyString),
  fields: fc.array(fieldDefinition, { maxLength: 4 }),
});

export const asset: fc.Arbitrary<Asset> = fc.record({
  kind: fc.constant('asset' as const),
  guid,
  codeName,
  folder: codeName,
  fileName: fc
    .tuple(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,10}$/), fc.constantFrom('jpg', 'png', 'PDF', 'webp', 'svg', 'mp4'))
    .map(([base, ext]) => `${base}.${ext}`),
  mediaType: fc.constantFrom('image/jpeg', 'image/png', 'application/pdf', 'image/svg+xml', 'video/mp4'),
  size: fc.nat(),
  sha256: fc.stringMatching(/^[0-9a-f]{64}$/),
  metadata: fc.dictionary(languageCode, fc.record({ title: opt(trickyString), alt: opt(trickyString) }), { maxKeys: 3 }),
});

const status = fc.constantFrom(...VARIANT_STATUSES);

export const contentItem: fc.Arbitrary<ContentItem> = fc.record({
  kind: fc.constant('contentItem' as const),
  guid,
  codeName,
  contentType: codeName,
  workspace: codeName,
  fields: fieldValues,
  variants: fc.dictionary(languageCode, fc.record({ status, displayName: nonEmptyString, fields: fieldValues }), {
    minKeys: 1,
    maxKeys: 3,
  }),
});

export const page: fc.Arbitrary<Page> = fc.record({
  kind: fc.constant('page' as const),
  guid,
  codeName,
  contentType: codeName,
  channel: codeName,
  parent: opt(guid),
  order: fc.integer(),
  fields: fieldValues,
  variants: fc.dictionary(
    languageCode,
    fc.record({ status, displayName: nonEmptyString, slug: fc.stringMatching(/^[^\s/?#\\]{1,12}$/), fields: fieldValues }),
    { minKeys: 1, maxKeys: 3 },
  ),
});

/** Any valid object of any kind. */
export const ferryObject: fc.Arbitrary<FerryObject> = fc.oneof(
  language,
  workspace,
  channel,
  contentType,
  assetFolder,
  asset,
  contentItem,
  page,
);
