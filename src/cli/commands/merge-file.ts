import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CommandOutcome } from '../exit-for.js';
import { FerryError } from '../../errors/ferry-error.js';
import { mergeContentFile } from '../../merge/index.js';
import type { CliIo, GlobalOptions } from '../io.js';

export interface MergeFileFlags extends GlobalOptions {
  path?: string;
}

/**
 * `ferry merge-file BASE OURS THEIRS [--path P]`, git's merge driver: the result replaces OURS
 * (git's `%A`). Exit 0: merged cleanly; 1: conflicts, marked in the file and listed on stderr.
 */
export default async function mergeFile(io: CliIo, args: readonly unknown[], opts: MergeFileFlags): Promise<CommandOutcome> {
  const [basePath, oursPath, theirsPath] = (args as string[]).map((p) => resolve(io.cwd, p));
  const read = async (file: string) => {
    try {
      return await readFile(file, 'utf8');
    } catch (e) {
      throw new FerryError('FERRY_E_NOT_FOUND', `Cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, {
        hint: 'Pass the three versions as files: `ferry merge-file BASE OURS THEIRS` (git passes %O %A %B).',
      });
    }
  };
  const [base, ours, theirs] = await Promise.all([read(basePath), read(oursPath), read(theirsPath)]);
  const path: string | undefined = opts.path;
  const merged = mergeContentFile({ base, ours, theirs, path });
  await writeFile(oursPath, merged.text);
  const name = path ?? oursPath;
  if (merged.method === 'lines' && !opts.quiet) io.stderr.write(`ferry: ${name}: merged by lines: ${merged.fallbackReason}\n`);
  for (const c of merged.conflicts) {
    const at = c.at === '' ? '' : ` in ${c.at}`;
    io.stderr.write(`ferry: ${name}: conflict${at} (${c.reason}): ours ${JSON.stringify(c.ours)}, theirs ${JSON.stringify(c.theirs)}\n`);
  }
  for (const d of merged.diagnostics) io.stderr.write(`ferry: ${name}: the merged object does not match its schema: ${d.message}\n`);
  return { kind: 'merge', clean: merged.clean };
}
