import type { ContentType } from '../../model/objects.js';
import type { ValidationContext } from '../context.js';
import { describeFieldErrors } from '../field-errors.js';
import { fieldValidators, type FieldValidators } from '../field-schema.js';

/**
 * Field values of items and pages against their content type: the shared `fields` against the
 * type's non-localized fields, each variant's `fields` against its localized fields. Types are
 * compiled lazily, only when an item of theirs is validated. A missing type is the references
 * rule's finding.
 */
export function checkFieldValues(ctx: ValidationContext): void {
  const compiled = new Map<string, FieldValidators>();
  const validatorsOf = (ct: ContentType): FieldValidators => {
    let v = compiled.get(ct.guid);
    if (!v) {
      v = fieldValidators(ct, ctx.opts.validatorCodeCache);
      compiled.set(ct.guid, v);
    }
    return v;
  };

  for (const entry of [...ctx.scopedEntriesOf('contentItem'), ...ctx.scopedEntriesOf('page')]) {
    const o = entry.object;
    const ct = ctx.byName('contentType', o.contentType)?.object;
    if (!ct) continue;
    const { shared, localized } = validatorsOf(ct);
    if (!shared(o.fields ?? {})) {
      for (const p of describeFieldErrors(shared.errors ?? [], ct, { segments: ['fields'], values: o.fields ?? {} })) ctx.report(entry, 'FERRY_E_FIELD', p.message, p.pointer);
    }
    for (const [language, variant] of Object.entries(o.variants ?? {})) {
      if (!localized(variant?.fields ?? {})) {
        const at = { segments: ['variants', language, 'fields'], language, values: variant?.fields ?? {} };
        for (const p of describeFieldErrors(localized.errors ?? [], ct, at)) ctx.report(entry, 'FERRY_E_FIELD', p.message, p.pointer);
      }
    }
  }
}
