import type { ValidationContext } from '../context.js';

/** Exactly one language is the default. */
export function checkDefaultLanguage(ctx: ValidationContext): void {
  const languages = ctx.entriesOf('language');
  if (languages.length === 0) return;
  const defaults = languages.filter((l) => l.object.isDefault === true);
  if (defaults.length === 0) {
    ctx.report(languages[0], 'FERRY_E_DEFAULT_LANGUAGE', `no language is the default (languages: ${languages.map((l) => l.codeName).join(', ')}); set isDefault: true on exactly one`, '/isDefault');
  } else if (defaults.length > 1) {
    const names = defaults.map((l) => l.codeName).join(', ');
    for (const l of defaults) ctx.report(l, 'FERRY_E_DEFAULT_LANGUAGE', `${defaults.length} languages are the default (${names}); exactly one may have isDefault: true`, '/isDefault');
  }
}
