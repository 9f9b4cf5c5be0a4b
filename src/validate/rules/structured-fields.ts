import type { ValidateFunction } from 'ajv';
import { createAjv } from '../../config/ajv.js';
import { pointerOf } from '../../config/pointer.js';
import { parseRichTextReferences, walkFieldValues } from '../../model/field-kinds.js';
import type { ContentType, FieldDataType, FieldDefinition, SubFieldDefinition } from '../../model/objects.js';
import type { ValidationContext } from '../context.js';
import { fieldValueSchema, patternError, VALIDATION_KEYS_BY_TYPE } from '../field-schema.js';

/** Data types whose values may hold references: no default for them (a type would then reference content). */
const NO_DEFAULT: ReadonlySet<FieldDataType> = new Set(['richText', 'contentItems', 'pages', 'assets', 'references', 'link', 'media', 'blocks', 'object']);

/**
 * What structured fields add to content type definitions: `fields` exactly on object fields and
 * `blockTypes` exactly on blocks fields (neither empty), names unique among siblings, guids unique
 * in the whole type, sub-field validation keys that fit their type, allowedTypes naming existing
 * types, and defaults only where they fit and valid for their field. And, in items and pages, rich
 * text reference markup that parses (what it points to is the references rule's).
 */
export function checkStructuredFields(ctx: ValidationContext): void {
  for (const entry of ctx.entriesOf('contentType')) checkDefinitions(ctx, entry.object, (message, pointer, code = 'FERRY_E_SCHEMA') => ctx.report(entry, code, message, pointer));
  checkRichTextMarkup(ctx);
}

type Report = (message: string, pointer: string, code?: 'FERRY_E_SCHEMA' | 'FERRY_E_REFERENCE') => void;

function checkDefinitions(ctx: ValidationContext, ct: ContentType, report: Report): void {
  const guids = new Map<string, string>();
  for (const f of ct.fields ?? []) guids.set(f.guid, f.name);
  const claimGuid = (guid: string, label: string, pointer: string): void => {
    const first = guids.get(guid);
    if (first === undefined) guids.set(guid, label);
    else report(`${label}: guid ${guid} is also used by ${first}; every field, sub-field and block type needs its own guid`, `${pointer}/guid`);
  };

  const checkOne = (f: SubFieldDefinition, label: string, pointer: string, nested: boolean): void => {
    if (f.type === 'object') {
      if (!Array.isArray(f.fields) || f.fields.length === 0) report(`${label}: an object field needs its sub-fields (fields: […])`, pointer);
    } else if (f.fields !== undefined) report(`${label}: fields (sub-fields) apply only to object fields, not ${f.type}`, `${pointer}/fields`);
    if (f.type === 'blocks') {
      if (!Array.isArray(f.blockTypes) || f.blockTypes.length === 0) report(`${label}: a blocks field needs its block types (blockTypes: […])`, pointer);
    } else if (f.blockTypes !== undefined) report(`${label}: blockTypes apply only to blocks fields, not ${f.type}`, `${pointer}/blockTypes`);

    if (nested) {
      if (f.format !== undefined && f.type !== 'richText') report(`${label}: format applies only to richText fields, not ${f.type}`, `${pointer}/format`);
      const v = f.validation ?? {};
      const allowed = VALIDATION_KEYS_BY_TYPE[f.type] ?? [];
      for (const key of Object.keys(v)) {
        if ((v as Record<string, unknown>)[key] === undefined || allowed.includes(key)) continue;
        report(`${label}: validation.${key} does not apply to a ${f.type} field`, `${pointer}/validation/${key}`);
      }
      if (typeof v.pattern === 'string' && patternError(v.pattern)) report(`${label}: validation.pattern is not a valid regular expression: ${patternError(v.pattern)}`, `${pointer}/validation/pattern`);
      if (Array.isArray(v.allowedTypes) && ctx.holds('contentType')) {
        v.allowedTypes.forEach((name, j) => {
          if (!ctx.byName('contentType', name)) report(`${label}: validation.allowedTypes names content type ${name}, which does not exist`, `${pointer}/validation/allowedTypes/${j}`, 'FERRY_E_REFERENCE');
        });
      }
    }
    if (f.type === 'link' || f.type === 'references') {
      const kinds = f.validation?.allowedKinds ?? [];
      if (f.type === 'references' && kinds.includes('asset') && (f.validation?.allowedTypes?.length ?? 0) > 0 && kinds.length === 1) {
        report(`${label}: validation.allowedTypes limits items and pages, but allowedKinds allows only assets`, `${pointer}/validation/allowedTypes`);
      }
    }

    const subs = f.type === 'object' ? (f.fields ?? []) : [];
    checkSiblings(subs, label, `${pointer}/fields`, 'sub-field', report);
    subs.forEach((s, j) => {
      claimGuid(s.guid, `${label}.${s.name}`, `${pointer}/fields/${j}`);
      checkOne(s, `${label}.${s.name}`, `${pointer}/fields/${j}`, true);
    });
    const blockTypes = f.type === 'blocks' ? (f.blockTypes ?? []) : [];
    checkSiblings(blockTypes, label, `${pointer}/blockTypes`, 'block type', report);
    blockTypes.forEach((t, j) => {
      const at = `${pointer}/blockTypes/${j}`;
      claimGuid(t.guid, `${label} block ${t.name}`, at);
      checkSiblings(t.fields ?? [], `${label} block ${t.name}`, `${at}/fields`, 'field', report);
      (t.fields ?? []).forEach((s, k) => {
        claimGuid(s.guid, `${label} block ${t.name}.${s.name}`, `${at}/fields/${k}`);
        checkOne(s, `${label} block ${t.name}.${s.name}`, `${at}/fields/${k}`, true);
      });
    });
  };

  (ct.fields ?? []).forEach((f, i) => {
    const label = `fields[${i}] (${f.name})`;
    checkOne(f, label, `/fields/${i}`, false);
    checkDefault(f, label, `/fields/${i}`, report);
  });
}

function checkSiblings(list: readonly { name: string }[], label: string, pointer: string, what: string, report: Report): void {
  const seen = new Map<string, number>();
  list.forEach((s, i) => {
    const first = seen.get(s.name);
    if (first === undefined) seen.set(s.name, i);
    else report(`${label}: ${what} name ${s.name} is used twice ([${first}] and [${i}]); names must be unique`, `${pointer}/${i}/name`);
  });
}

// One ajv instance for defaults, compiled per field schema: content types are few.
let defaultsAjv: ReturnType<typeof createAjv> | undefined;
const defaultValidators = new Map<string, ValidateFunction>();

function checkDefault(f: FieldDefinition, label: string, pointer: string, report: Report): void {
  if (f.default === undefined) return;
  if (NO_DEFAULT.has(f.type)) {
    report(`${label}: a ${f.type} field cannot declare a default (defaults are for text, numbers, booleans, dates, URLs, e-mails, taxonomy and json)`, `${pointer}/default`);
    return;
  }
  if (f.default === null) {
    report(`${label}: default: null declares nothing; leave default out for no default`, `${pointer}/default`);
    return;
  }
  const schema = fieldValueSchema({ ...f, default: undefined } as FieldDefinition);
  const key = JSON.stringify(schema);
  let validate = defaultValidators.get(key);
  if (!validate) {
    defaultsAjv ??= createAjv({ validateSchema: false });
    validate = defaultsAjv.compile(schema);
    defaultValidators.set(key, validate);
  }
  if (!validate(f.default)) {
    const e = validate.errors?.[0];
    report(`${label}: default ${JSON.stringify(f.default)} is not a valid ${f.type} value for this field (${e?.message ?? 'invalid'})`, `${pointer}/default`);
  }
}

/** `ferry://…` links and `<ferry-embed>` tags in rich text that do not parse. */
function checkRichTextMarkup(ctx: ValidationContext): void {
  for (const entry of [...ctx.scopedEntriesOf('contentItem'), ...ctx.scopedEntriesOf('page')]) {
    const o = entry.object;
    const ct = ctx.byName('contentType', o.contentType)?.object;
    if (!ct) continue;
    const scan = (values: Record<string, unknown> | undefined, base: string[]): void =>
      walkFieldValues(ct.fields ?? [], values, (def, value, at) => {
        if (def.type !== 'richText' || typeof value !== 'string' || !value.includes('ferry')) return;
        const pointer = pointerOf([...base, ...at]);
        for (const p of parseRichTextReferences(value).problems) ctx.report(entry, 'FERRY_E_FIELD', `${[...base, ...at.map(String)].join('.')}: ${p.message}`, pointer);
      });
    scan(o.fields, ['fields']);
    for (const [language, variant] of Object.entries(o.variants ?? {})) scan(variant?.fields, ['variants', language, 'fields']);
  }
}
