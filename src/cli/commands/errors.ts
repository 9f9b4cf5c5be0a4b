import { ERROR_CATALOG } from '../../errors/catalog.js';
import { renderJsonEnvelope } from '../../report/json.js';
import type { CommandOutcome } from '../exit-for.js';
import { resolveFormat, type CliIo, type GlobalOptions } from '../io.js';

/** The error table: the README's copy is generated from this and checked by a test. */
export function errorTableMarkdown(): string {
  const rows = Object.entries(ERROR_CATALOG).map(([code, spec]) => `| \`${code}\` | ${spec.exit} | ${spec.title} | ${spec.hint} |`);
  return ['| Code | Exit | Meaning | What to do |', '| --- | --- | --- | --- |', ...rows].join('\n') + '\n';
}

export type ErrorsFlags = GlobalOptions;

export default async function errors(io: CliIo, _args: readonly unknown[], flags: ErrorsFlags): Promise<CommandOutcome> {
  const format = resolveFormat(io, flags, ['text', 'markdown', 'json']);
  if (format === 'json') io.stdout.write(renderJsonEnvelope('ok', { codes: ERROR_CATALOG }));
  else if (format === 'markdown') io.stdout.write(errorTableMarkdown());
  else for (const [code, spec] of Object.entries(ERROR_CATALOG)) io.stdout.write(`${code.padEnd(22)} exit ${spec.exit}  ${spec.title}\n`);
  return { kind: 'done' };
}
