import type { RepositoryConfig } from '../model/config.js';
import { compareDiagnostics, type Diagnostic } from '../model/diagnostic.js';
import type { Snapshot } from '../model/snapshot.js';
import { ValidationContext, type ValidateOptions } from './context.js';
import { locateDiagnostics } from './locate.js';
import { checkAssets } from './rules/assets.js';
import { checkContentTypes } from './rules/content-types.js';
import { checkDuplicates } from './rules/duplicates.js';
import { checkFieldValues } from './rules/field-values.js';
import { checkDefaultLanguage } from './rules/languages.js';
import { checkFolders } from './rules/folders.js';
import { checkLabels } from './rules/labels.js';
import { checkPageTree } from './rules/page-tree.js';
import { checkWorkflow } from './rules/workflow.js';
import { checkReferences } from './rules/references.js';
import { checkStructuredFields } from './rules/structured-fields.js';

export type Rule = (ctx: ValidationContext) => void;

/** The rules, in the order they run (the output is sorted anyway). */
export const RULES: readonly Rule[] = [
  checkDuplicates,
  checkDefaultLanguage,
  checkContentTypes,
  checkStructuredFields,
  checkFieldValues,
  checkReferences,
  checkPageTree,
  checkFolders,
  checkWorkflow,
  checkLabels,
  checkAssets,
];

/**
 * Validates a snapshot: duplicates, the default language, content type definitions, field values
 * against their content type, references, the page tree and assets. Returns the snapshot's own
 * reading diagnostics plus every finding, sorted (file, line, column, code, message). Never throws
 * for bad content.
 *
 * @example validateSnapshot(snapshot, config, { binaries, sourceText: (p) => texts.get(p) })
 */
export function validateSnapshot(snapshot: Snapshot, config: RepositoryConfig, opts: ValidateOptions): Diagnostic[] {
  const ctx = new ValidationContext(snapshot, config, opts);
  for (const rule of RULES) rule(ctx);
  const located = locateDiagnostics(ctx.diagnostics, opts.sourceText);
  return [...snapshot.diagnostics.map((d) => missingContentType(ctx, d)), ...located].sort(compareDiagnostics);
}

/**
 * An item in the folder of one content type that names another, which does not exist, has a
 * misspelt or missing content type: say that, not "move the file" to a folder nothing validates.
 */
function missingContentType(ctx: ValidationContext, d: Diagnostic): Diagnostic {
  const name = d.names?.kind === 'contentType' ? d.names.codeName : undefined;
  if (d.code !== 'FERRY_E_PATH' || name === undefined || !ctx.holds('contentType') || ctx.byName('contentType', name)) return d;
  const folder = d.file?.split('/').slice(-2, -1)[0];
  const guess = folder && ctx.byName('contentType', folder) ? `; the file sits in the folder of \`${folder}\`, so perhaps \`contentType: ${folder}\`` : '';
  return {
    ...d,
    code: 'FERRY_E_REFERENCE',
    message: `contentType: content type \`${name}\` does not exist${guess}`,
    hint: `Fix contentType, or add the content type (${ctx.config.folder}/content-types/${name}.yaml).`,
  };
}
