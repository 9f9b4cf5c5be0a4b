import { validateRepository } from '../../api/validate.js';
import { hasErrors } from '../../model/index.js';
import { renderDiagnosticsGithub, renderDiagnosticsJson, renderDiagnosticsMarkdown, renderDiagnosticsText } from '../../report/diagnostics.js';
import type { CommandOutcome } from '../exit-for.js';
import { makeProgress, resolveFormat, useColor, type CliIo, type GlobalOptions } from '../io.js';
import { openRepositoryOf } from './ctx.js';

export interface ValidateFlags extends GlobalOptions {
  ref?: string;
  changed?: string;
}

export default async function validate(io: CliIo, _args: readonly unknown[], flags: ValidateFlags): Promise<CommandOutcome> {
  const format = resolveFormat(io, flags, ['text', 'json', 'github', 'markdown']);
  const result = await io.ci.step('validate', async () => validateRepository(await openRepositoryOf(io), { ref: flags.ref, changed: flags.changed, onProgress: makeProgress(io, flags) }));
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
      if (result.diagnostics.length) io.stdout.write(renderDiagnosticsText(result.diagnostics, { color: useColor(io, flags) }));
      io.stdout.write(
        `${failed ? 'Invalid' : 'Valid'}: ${result.objects} objects in ${result.subject}${result.checkedKeys !== undefined ? ` (${result.checkedKeys} changed or referring objects checked)` : ''}.\n`,
      );
  }
  await io.ci.validation(result);
  return { kind: 'findings', diagnostics: result.diagnostics };
}
