import { FerryError } from '../../errors/ferry-error.js';
import { renderJsonEnvelope } from '../../report/json.js';
import type { CommandOutcome } from '../exit-for.js';
import { resolveFormat, type CliIo, type GlobalOptions } from '../io.js';

export interface PrCommentFlags extends GlobalOptions {
  file: string;
  marker?: string;
  number?: string;
}

export default async function prComment(io: CliIo, _args: readonly unknown[], flags: PrCommentFlags): Promise<CommandOutcome> {
  let number: number | undefined;
  if (flags.number !== undefined) {
    number = Number(flags.number);
    if (!Number.isInteger(number) || number <= 0) throw new FerryError('FERRY_E_USAGE', `--number must be a pull request number, got \`${flags.number}\``);
  }
  const result = await io.ci.step('pr-comment', () => io.ci.postPullRequestComment({ file: flags.file, marker: flags.marker, number }));
  if (resolveFormat(io, flags, ['text', 'json']) === 'json') {
    io.stdout.write(renderJsonEnvelope('ok', result));
  } else {
    const verb = result.action === 'created' ? 'Created' : result.action === 'updated' ? 'Updated' : 'Left unchanged';
    io.stdout.write(`${verb} the review comment on #${result.issueNumber}${result.url ? `: ${result.url}` : ''}${result.truncated ? ' (cut to fit GitHub\'s limit)' : ''}\n`);
  }
  return { kind: 'done' };
}
