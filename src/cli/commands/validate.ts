import { validateRepository } from '../../api/validate.js';
import { EXIT } from '../../errors/catalog.js';
import { reportValidation } from '../../github/actions-report.js';
import { actionsStep } from '../../github/step.js';
import { hasErrors } from '../../model/index.js';
import { renderDiagnosticsGithub, renderDiagnosticsJson, renderDiagnosticsMarkdown, renderDiagnosticsText } from '../../report/diagnostics.js';
import { makeProgress, resolveFormat, useColor, type CliIo } from '../io.js';
import { contextOf } from './ctx.js';

export default async function validate(io: CliIo, _args: unknown[], opts: Record<string, any>): Promise<number> {
  const format = resolveFormat(io, opts, ['text', 'json', 'github', 'markdown']);
  const result = await actionsStep(io, 'validate', () => validateRepository(contextOf(io), { ref: opts.ref, changed: opts.changed, onProgress: makeProgress(io, opts) }));
  const failed = hasErrors(result.diagnostics);
  switch (format) {
    case 'json':
      io.stdout.write(renderDiagnosticsJson(result.diagnostics, { subject: result.subject, objects: result.objects }));
      break;
    case 'github':
      io.stdout.write(renderDiagnosticsGithub(result.diagnostics));
      io.stdout.write(`${failed ? 'Validation failed' : 'Valid'}: ${result.objects} objects (${result.subject}), ${result.diagnostics.length} finding(s)\n`);
      break;
    case 'markdown':
      io.stdout.write(renderDiagnosticsMarkdown(result.diagnostics));
      break;
    default:
      if (result.diagnostics.length) io.stdout.write(renderDiagnosticsText(result.diagnostics, { color: useColor(io, opts) }));
      io.stdout.write(
        `${failed ? 'Invalid' : 'Valid'}: ${result.objects} objects in ${result.subject}${result.checkedKeys !== undefined ? ` (${result.checkedKeys} changed or referring objects checked)` : ''}.\n`,
      );
  }
  reportValidation(io, result);
  return failed ? EXIT.user : EXIT.ok;
}
