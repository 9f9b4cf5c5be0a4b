import { migrateEnvironment } from '../../api/environments.js';
import { EXIT } from '../../errors/catalog.js';
import { resolveFormat, type CliIo } from '../io.js';
import { contextOf } from './ctx.js';

/** `ferry migrate --env E`: brings the environment's store schema up to date and says what ran. */
export default async function migrate(io: CliIo, _args: unknown[], opts: Record<string, any>): Promise<number> {
  const format = resolveFormat(io, opts, ['text', 'json']);
  const r = await migrateEnvironment(contextOf(io), { env: opts.env });
  if (format === 'json') {
    io.stdout.write(JSON.stringify({ status: r.applied.length ? 'ok' : 'no_changes', ...r }, null, 2) + '\n');
    return EXIT.ok;
  }
  if (r.applied.length === 0) {
    io.stdout.write(`${r.environment} (${r.store}): schema ${r.to}, up to date.\n`);
    return EXIT.ok;
  }
  io.stdout.write(`${r.environment} (${r.store}): schema ${r.from} → ${r.to}\n`);
  for (const m of r.applied) io.stdout.write(`  ${m.version}. ${m.description}\n`);
  return EXIT.ok;
}
