import { pointerOf } from '../../config/pointer.js';
import type { ValidationContext } from '../context.js';

/** Localized labels of content types and their fields are in languages the repository has. */
export function checkLabels(ctx: ValidationContext): void {
  if (!ctx.holds('language')) return;
  for (const entry of ctx.entriesOf('contentType')) {
    const check = (labels: Record<string, unknown> | undefined, at: (string | number)[], what: string) => {
      for (const code of Object.keys(labels ?? {})) {
        if (!ctx.byName('language', code)) ctx.report(entry, 'FERRY_E_REFERENCE', `${what}: language ${code} does not exist`, pointerOf([...at, code]));
      }
    };
    check(entry.object.labels, ['labels'], 'labels');
    (entry.object.fields ?? []).forEach((f, i) => check(f.labels, ['fields', i, 'labels'], `fields.${f.name}.labels`));
  }
}
