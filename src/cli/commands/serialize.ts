import { resolve } from 'node:path';
import { loadRepository, openEnvironment } from '../../api/context.js';
import { EXIT } from '../../errors/catalog.js';
import { storeToFiles, writeRepositoryFiles } from '../../restore/serialize.js';
import { resolveFormat, type CliIo } from '../io.js';
import { contextOf } from './ctx.js';

export default async function serialize(io: CliIo, _args: unknown[], opts: Record<string, any>): Promise<number> {
  const ctx = contextOf(io);
  const repo = await loadRepository(ctx);
  const { store } = await openEnvironment(repo, opts.env, ctx);
  try {
    const files = await storeToFiles(store, repo.config);
    const root = opts.out ? resolve(io.cwd, opts.out) : repo.root;
    const result = await writeRepositoryFiles(root, repo.config, files);
    if (resolveFormat(io, opts, ['text', 'json']) === 'json') {
      io.stdout.write(JSON.stringify({ status: 'ok', ...result }, null, 2) + '\n');
    } else {
      for (const p of result.written) io.stdout.write(`wrote   ${p}\n`);
      for (const p of result.removed) io.stdout.write(`removed ${p}\n`);
      io.stdout.write(`${result.written.length} written, ${result.unchanged} unchanged, ${result.removed.length} removed (from ${opts.env} into ${root})\n`);
    }
    return EXIT.ok;
  } finally {
    await store.close();
  }
}
