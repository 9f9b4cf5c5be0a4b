import { changelogChangeset } from '../../api/changelog-source.js';
import { changelogToJson, renderChangelog } from '../../report/changelog.js';
import { renderDiagnosticsText } from '../../report/diagnostics.js';
import { renderJsonEnvelope } from '../../report/json.js';
import type { CommandOutcome } from '../exit-for.js';
import { resolveFormat, useColor, type CliIo, type GlobalOptions } from '../io.js';
import { openRepositoryOf } from './ctx.js';

export type ChangelogFlags = GlobalOptions;

export default async function changelog(io: CliIo, args: readonly unknown[], flags: ChangelogFlags): Promise<CommandOutcome> {
  const [from, to = 'HEAD'] = args as [string, string | undefined];
  const format = resolveFormat(io, flags, ['text', 'markdown', 'json']);
  const source = await io.ci.step('changelog', async () => changelogChangeset(await openRepositoryOf(io), from, to));
  if (source.diagnostics.length) io.stderr.write(renderDiagnosticsText(source.diagnostics, { color: useColor(io, flags) }));
  if (format === 'json') io.stdout.write(renderJsonEnvelope(source.changeset.changes.length ? 'ok' : 'no_changes', changelogToJson(source.changeset, { from, to })));
  else io.stdout.write(renderChangelog(source.changeset, { from, to, format: format === 'github' ? 'markdown' : format }));
  // Files the changelog could not read are reported, not a failure: the changelog of what could be read stands.
  return { kind: 'done' };
}
