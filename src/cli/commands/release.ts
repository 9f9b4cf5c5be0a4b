import { EXIT } from '../../errors/catalog.js';
import { actionsStep } from '../../github/step.js';
import { appendStepSummary } from '../../github/summary.js';
import { setOutputs } from '../../github/outputs.js';
import { createRelease } from '../../github/release.js';
import { renderDiagnosticsText } from '../../report/diagnostics.js';
import { changelogToJson } from '../../report/changelog.js';
import { resolveFormat, useColor, type CliIo } from '../io.js';
import { assertWritableFile, writeUserFile } from '../user-files.js';
import { contextOf } from './ctx.js';

export default async function release(io: CliIo, _args: unknown[], opts: Record<string, any>): Promise<number> {
  const format = resolveFormat(io, opts, ['text', 'json', 'markdown']);
  // Checked before the tag exists: a release must not be half made because its notes cannot be written.
  if (opts.notes) assertWritableFile(io.cwd, opts.notes, '--notes');
  const result = await actionsStep(io, 'release', () =>
    createRelease(contextOf(io), { bump: opts.bump, tag: opts.tag, ref: opts.ref, push: opts.push, dryRun: opts.dryRun }),
  );
  if (opts.notes) await writeUserFile(io.cwd, opts.notes, result.notes, '--notes');
  appendStepSummary(io.env, result.notes);
  setOutputs(io.env, { tag: result.tag, previous_tag: result.previousTag ?? '', commit: result.commit, created: result.created, pushed: result.pushed });
  if (format === 'json') {
    io.stdout.write(
      JSON.stringify(
        {
          status: 'ok',
          tag: result.tag,
          commit: result.commit,
          previousTag: result.previousTag ?? null,
          created: result.created,
          pushed: result.pushed,
          changelog: changelogToJson(result.changeset, { from: result.previousTag, to: result.tag }),
          diagnostics: result.diagnostics,
        },
        null,
        2,
      ) + '\n',
    );
    return EXIT.ok;
  }
  if (format === 'markdown') {
    io.stdout.write(result.notes);
    return EXIT.ok;
  }
  if (result.diagnostics.length) io.stderr.write(renderDiagnosticsText(result.diagnostics, { color: useColor(io, opts) }));
  io.stdout.write(result.message.endsWith('\n') ? result.message : `${result.message}\n`);
  const since = result.previousTag ? `since ${result.previousTag}` : 'first release';
  if (!result.created) io.stdout.write(`\nDry run: tag ${result.tag} would be created at ${result.commit.slice(0, 10)} (${since}).\n`);
  else io.stdout.write(`\nTagged ${result.tag} at ${result.commit.slice(0, 10)} (${since})${result.pushed ? ', pushed to origin' : `; push it with \`git push origin ${result.tag}\``}.\n`);
  if (opts.notes) io.stdout.write(`Release notes written to ${opts.notes}.\n`);
  return EXIT.ok;
}
