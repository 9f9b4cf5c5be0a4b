import { createRelease } from '../../api/release.js';
import type { Bump } from '../../api/semver.js';
import { changelogToJson } from '../../report/changelog.js';
import { renderDiagnosticsText } from '../../report/diagnostics.js';
import { renderJsonEnvelope } from '../../report/json.js';
import type { CommandOutcome } from '../exit-for.js';
import { resolveFormat, useColor, type CliIo, type GlobalOptions } from '../io.js';
import { assertWritableFile, writeUserFile } from '../user-files.js';
import { openRepositoryOf } from './ctx.js';

export interface ReleaseFlags extends GlobalOptions {
  bump?: Bump;
  tag?: string;
  ref?: string;
  push?: boolean;
  notes?: string;
  dryRun?: boolean;
}

export default async function release(io: CliIo, _args: readonly unknown[], flags: ReleaseFlags): Promise<CommandOutcome> {
  const format = resolveFormat(io, flags, ['text', 'json', 'markdown']);
  // Checked before the tag exists: a release must not be half made because its notes cannot be written.
  if (flags.notes) assertWritableFile(io.cwd, flags.notes, '--notes');
  const result = await io.ci.step('release', async () =>
    createRelease(await openRepositoryOf(io), { bump: flags.bump, tag: flags.tag, ref: flags.ref, push: flags.push, dryRun: flags.dryRun }),
  );
  if (flags.notes) await writeUserFile(io.cwd, flags.notes, result.notes, '--notes');
  await io.ci.release(result);
  if (format === 'json') {
    io.stdout.write(
      renderJsonEnvelope('ok', {
        tag: result.tag,
        commit: result.commit,
        previousTag: result.previousTag ?? null,
        created: result.created,
        pushed: result.pushed,
        changelog: changelogToJson(result.changeset, { from: result.previousTag, to: result.tag }),
        diagnostics: result.diagnostics,
      }),
    );
    return { kind: 'findings', diagnostics: result.diagnostics };
  }
  if (format === 'markdown') {
    io.stdout.write(result.notes);
    return { kind: 'findings', diagnostics: result.diagnostics };
  }
  if (result.diagnostics.length) io.stderr.write(renderDiagnosticsText(result.diagnostics, { color: useColor(io, flags) }));
  io.stdout.write(result.message.endsWith('\n') ? result.message : `${result.message}\n`);
  const since = result.previousTag ? `since ${result.previousTag}` : 'first release';
  if (!result.created) io.stdout.write(`\nDry run: tag ${result.tag} would be created at ${result.commit.slice(0, 10)} (${since}).\n`);
  else io.stdout.write(`\nTagged ${result.tag} at ${result.commit.slice(0, 10)} (${since})${result.pushed ? ', pushed to origin' : `; push it with \`git push origin ${result.tag}\``}.\n`);
  if (flags.notes) io.stdout.write(`Release notes written to ${flags.notes}.\n`);
  return { kind: 'findings', diagnostics: result.diagnostics };
}
