import { EXIT } from '../../errors/catalog.js';
import { FerryError } from '../../errors/ferry-error.js';
import { setOutputs } from '../../github/outputs.js';
import { postPullRequestComment } from '../../github/pr-comment.js';
import { actionsStep } from '../../github/step.js';
import { resolveFormat, type CliIo } from '../io.js';

export default async function prComment(io: CliIo, _args: unknown[], opts: Record<string, any>): Promise<number> {
  let number: number | undefined;
  if (opts.number !== undefined) {
    number = Number(opts.number);
    if (!Number.isInteger(number) || number <= 0) throw new FerryError('FERRY_E_USAGE', `--number must be a pull request number, got \`${opts.number}\``);
  }
  const result = await actionsStep(io, 'pr-comment', () => postPullRequestComment(io, { file: opts.file, marker: opts.marker, number }));
  setOutputs(io.env, { comment_id: result.id, comment_url: result.url ?? '', comment_action: result.action, truncated: result.truncated });
  if (resolveFormat(io, opts, ['text', 'json']) === 'json') {
    io.stdout.write(JSON.stringify({ status: 'ok', ...result }, null, 2) + '\n');
  } else {
    const verb = result.action === 'created' ? 'Created' : result.action === 'updated' ? 'Updated' : 'Left unchanged';
    io.stdout.write(`${verb} the review comment on #${result.issueNumber}${result.url ? `: ${result.url}` : ''}${result.truncated ? ' (cut to fit GitHub\'s limit)' : ''}\n`);
  }
  return EXIT.ok;
}
