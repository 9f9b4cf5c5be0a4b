import type { FieldValidation } from '../../model/objects.js';
import type { ValidationContext } from '../context.js';
import { VALIDATION_KEYS_BY_TYPE, patternError } from '../field-schema.js';

const RANGE_PAIRS: readonly [keyof FieldValidation, keyof FieldValidation][] = [
  ['minLength', 'maxLength'],
  ['min', 'max'],
  ['minItems', 'maxItems'],
];

/**
 * Content type definitions: field names and guids unique within the type, `format` only on
 * richText, validation keys that fit the data type, minimums not above maximums, patterns that
 * compile, and `allowedTypes` naming existing content types.
 */
export function checkContentTypes(ctx: ValidationContext): void {
  for (const entry of ctx.entriesOf('contentType')) {
    const ct = entry.object;
    const names = new Map<string, number>();
    const guids = new Map<string, number>();
    (ct.fields ?? []).forEach((field, i) => {
      const at = `/fields/${i}`;
      const firstName = names.get(field.name);
      if (firstName === undefined) names.set(field.name, i);
      else ctx.report(entry, 'FERRY_E_SCHEMA', `field name ${field.name} is used twice (fields[${firstName}] and fields[${i}]); field names must be unique within a content type`, `${at}/name`);
      const firstGuid = guids.get(field.guid);
      if (firstGuid === undefined) guids.set(field.guid, i);
      else ctx.report(entry, 'FERRY_E_SCHEMA', `field guid ${field.guid} is used by fields ${ct.fields[firstGuid].name} and ${field.name}; every field needs its own guid`, `${at}/guid`);

      if (field.format !== undefined && field.type !== 'richText') {
        ctx.report(entry, 'FERRY_E_SCHEMA', `fields[${i}] (${field.name}): format applies only to richText fields, not ${field.type}`, `${at}/format`);
      }

      const v = field.validation ?? {};
      const allowed = VALIDATION_KEYS_BY_TYPE[field.type] ?? [];
      for (const key of Object.keys(v)) {
        if ((v as Record<string, unknown>)[key] === undefined || allowed.includes(key)) continue;
        const fits = allowed.length ? `${field.type} fields take ${allowed.join(', ')}` : `${field.type} fields take no validation`;
        ctx.report(entry, 'FERRY_E_SCHEMA', `fields[${i}] (${field.name}): validation.${key} does not apply to a ${field.type} field (${fits})`, `${at}/validation/${key}`);
      }
      for (const [lo, hi] of RANGE_PAIRS) {
        const a = v[lo];
        const b = v[hi];
        if (typeof a === 'number' && typeof b === 'number' && a > b) {
          ctx.report(entry, 'FERRY_E_SCHEMA', `fields[${i}] (${field.name}): validation.${lo} (${a}) is greater than validation.${hi} (${b})`, `${at}/validation/${lo}`);
        }
      }
      if (typeof v.pattern === 'string') {
        const problem = patternError(v.pattern);
        if (problem) ctx.report(entry, 'FERRY_E_SCHEMA', `fields[${i}] (${field.name}): validation.pattern ${JSON.stringify(v.pattern)} is not a valid regular expression: ${problem}`, `${at}/validation/pattern`);
      }
      if (Array.isArray(v.allowedTypes) && ctx.holds('contentType')) {
        v.allowedTypes.forEach((name, j) => {
          if (!ctx.byName('contentType', name)) {
            ctx.report(entry, 'FERRY_E_REFERENCE', `fields[${i}] (${field.name}): validation.allowedTypes names content type ${name}, which does not exist`, `${at}/validation/allowedTypes/${j}`);
          }
        });
      }
    });
  }
}
