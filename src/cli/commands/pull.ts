import { resolve } from 'node:path';
import { loadRepository, openEnvironment } from '../../api/context.js';
import { EXIT } from '../../errors/catalog.js';
import { storeToFiles, writeRepositoryFiles } from '../../restore/serialize.js';
import { resolveFormat, type CliIo } from '../io.js';
import { assertWritableFolder } from '../user-files.js';
import { contextOf } from './ctx.js';

/**
 * `ferry pull --from E`: writes what environment E holds (local or a remote instance) as
 * canonical files into the working tree, for review with `git diff`. Never deploys anything.
 */
export default async function pull(io: CliIo, _args: unknown[], opts: Record<string, any>): Promise<number> {
  const ctx = contextOf(io);
  const repo = await loadRepository(ctx);
  if (opts.out) assertWritableFolder(io.cwd, opts.out, '--out');
  const { store } = await openEnvironment(repo, opts.from, ctx);
  try {
    const files = await storeToFiles(store, repo.config);
    const root = opts.out ? resolve(io.cwd, opts.out) : repo.root;
    const result = await writeRepositoryFiles(root, repo.config, files);
    if (resolveFormat(io, opts, ['text', 'json']) === 'json') {
      io.stdout.write(JSON.stringify({ status: 'ok', environment: opts.from, root, ...result }, null, 2) + '\n');
      return EXIT.ok;
    }
    for (const p of result.written) io.stdout.write(`wrote   ${p}\n`);
    for (const p of result.removed) io.stdout.write(`removed ${p}\n`);
    io.stdout.write(`Pulled ${opts.from} into ${root}: ${result.written.length} written, ${result.unchanged} unchanged, ${result.removed.length} removed.\n`);
    if (result.written.length || result.removed.length) {
      io.stdout.write('Nothing was deployed. Review with `git diff` or `ferry diff HEAD --source working-tree`.\n');
    }
    return EXIT.ok;
  } finally {
    await store.close();
  }
}
