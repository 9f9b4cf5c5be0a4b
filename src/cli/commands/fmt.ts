import { formatRepository } from '../../api/fmt.js';
import { renderDiagnosticsText } from '../../report/diagnostics.js';
import { renderJsonEnvelope } from '../../report/json.js';
import type { CommandOutcome } from '../exit-for.js';
import { resolveFormat, useColor, type CliIo, type GlobalOptions } from '../io.js';
import { openRepositoryOf } from './ctx.js';

export interface FmtFlags extends GlobalOptions {
  check?: boolean;
  fixAssets?: boolean;
}

export default async function fmt(io: CliIo, args: readonly unknown[], flags: FmtFlags): Promise<CommandOutcome> {
  const [paths] = args as [string[] | undefined];
  const check = flags.check === true;
  const r = await formatRepository(await openRepositoryOf(io), { paths, check, fixAssets: flags.fixAssets });
  if (resolveFormat(io, flags, ['text', 'json']) === 'json') {
    io.stdout.write(renderJsonEnvelope(r.diagnostics.length ? 'error' : 'ok', { check, files: r.files, changed: r.changed, diagnostics: r.diagnostics }));
  } else {
    // The files that are not canonical are listed on stdout, below; the other findings go to stderr.
    const others = r.diagnostics.filter((d) => d.code !== 'FERRY_E_FMT');
    if (others.length) io.stderr.write(renderDiagnosticsText(others, { color: useColor(io, flags) }));
    for (const p of r.changed) io.stdout.write(`${check ? 'not canonical' : 'formatted'}  ${p}\n`);
    io.stdout.write(
      check
        ? r.changed.length
          ? `${r.changed.length} of ${r.files} files are not canonical (FERRY_E_FMT): run \`ferry fmt\`.\n`
          : `All ${r.files} files are canonical.\n`
        : `${r.changed.length} of ${r.files} files rewritten.\n`,
    );
  }
  return { kind: 'findings', diagnostics: r.diagnostics };
}
