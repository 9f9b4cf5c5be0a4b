import type { CommandOutcome } from '../exit-for.js';
import { FerryError } from '../../errors/ferry-error.js';
import { parseYaml } from '../../format/parse-yaml.js';
import { renderTextconv } from '../../report/textconv.js';
import type { CliIo } from '../io.js';
import { readUserFile } from '../user-files.js';

/** `git diff` text conversion: git passes a temp file; we print its semantic view. */
export default async function textconv(io: CliIo, args: readonly unknown[]): Promise<CommandOutcome> {
  const [file] = args as [string];
  const bytes = await readUserFile(io.cwd, file, 'the file');
  const parsed = parseYaml(bytes, { filename: file, maxFileSize: 16 * 1024 * 1024 });
  if (!parsed.ok) {
    // A file that does not parse is shown as it is, so git diff still works on broken YAML.
    io.stdout.write(bytes.toString('utf8'));
    return { kind: 'done' };
  }
  if (parsed.value === undefined) throw new FerryError('FERRY_E_YAML', `${file} is empty`);
  io.stdout.write(renderTextconv(parsed.value));
  return { kind: 'done' };
}
