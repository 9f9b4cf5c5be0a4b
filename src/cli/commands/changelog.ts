import { EXIT } from '../../errors/catalog.js';
import { changelogChangeset } from '../../github/changelog-source.js';
import { actionsStep } from '../../github/step.js';
import { changelogToJson, renderChangelog } from '../../report/changelog.js';
import { renderDiagnosticsText } from '../../report/diagnostics.js';
import { resolveFormat, useColor, type CliIo } from '../io.js';
import { contextOf } from './ctx.js';

export default async function changelog(io: CliIo, args: unknown[], opts: Record<string, any>): Promise<number> {
  const [from, to = 'HEAD'] = args as [string, string | undefined];
  const format = resolveFormat(io, opts, ['text', 'markdown', 'json']);
  const source = await actionsStep(io, 'changelog', () => changelogChangeset(contextOf(io), from, to));
  if (source.diagnostics.length) io.stderr.write(renderDiagnosticsText(source.diagnostics, { color: useColor(io, opts) }));
  if (format === 'json') {
    io.stdout.write(`${JSON.stringify({ status: source.changeset.changes.length ? 'ok' : 'no_changes', ...changelogToJson(source.changeset, { from, to }) }, null, 2)}\n`);
    return EXIT.ok;
  }
  io.stdout.write(renderChangelog(source.changeset, { from, to, format: format === 'github' ? 'markdown' : format }));
  return EXIT.ok;
}
