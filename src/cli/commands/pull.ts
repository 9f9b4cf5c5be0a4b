import { pullEnvironment } from '../../api/pull.js';
import { renderJsonEnvelope } from '../../report/json.js';
import type { CommandOutcome } from '../exit-for.js';
import { resolveFormat, type CliIo, type GlobalOptions } from '../io.js';
import { assertWritableFolder } from '../user-files.js';
import { environmentOf, openRepositoryOf } from './ctx.js';

export interface PullFlags extends GlobalOptions {
  from: string;
  out?: string;
}

/** `ferry pull --from E`: the environment's content as canonical files in the working tree; never deploys. */
export default async function pull(io: CliIo, _args: readonly unknown[], flags: PullFlags): Promise<CommandOutcome> {
  const rc = await openRepositoryOf(io);
  if (flags.out) assertWritableFolder(io.cwd, flags.out, '--out');
  const result = await pullEnvironment(rc, { environment: environmentOf(rc, flags.from), out: flags.out });
  if (resolveFormat(io, flags, ['text', 'json']) === 'json') {
    io.stdout.write(renderJsonEnvelope('ok', result));
    return { kind: 'done' };
  }
  for (const p of result.written) io.stdout.write(`wrote   ${p}\n`);
  for (const p of result.removed) io.stdout.write(`removed ${p}\n`);
  io.stdout.write(`Pulled ${flags.from} into ${result.root}: ${result.written.length} written, ${result.unchanged} unchanged, ${result.removed.length} removed.\n`);
  if (result.written.length || result.removed.length) {
    io.stdout.write('Nothing was deployed. Review with `git diff` or `ferry diff HEAD --source working-tree`.\n');
  }
  return { kind: 'done' };
}
