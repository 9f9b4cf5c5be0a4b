import { ERROR_CATALOG } from '../../errors/catalog.js';
import { EXIT } from '../../errors/catalog.js';
import { resolveFormat, type CliIo } from '../io.js';

/** The error table: the README's copy is generated from this and checked by a test. */
export function errorTableMarkdown(): string {
  const rows = Object.entries(ERROR_CATALOG).map(([code, spec]) => `| \`${code}\` | ${spec.exit} | ${spec.title} | ${spec.hint} |`);
  return ['| Code | Exit | Meaning | What to do |', '| --- | --- | --- | --- |', ...rows].join('\n') + '\n';
}

export default async function errors(io: CliIo, _args: unknown[], opts: Record<string, any>): Promise<number> {
  const format = resolveFormat(io, opts, ['text', 'markdown', 'json']);
  if (format === 'json') io.stdout.write(JSON.stringify({ status: 'ok', codes: ERROR_CATALOG }, null, 2) + '\n');
  else if (format === 'markdown') io.stdout.write(errorTableMarkdown());
  else for (const [code, spec] of Object.entries(ERROR_CATALOG)) io.stdout.write(`${code.padEnd(22)} exit ${spec.exit}  ${spec.title}\n`);
  return EXIT.ok;
}
