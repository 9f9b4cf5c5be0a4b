import { migrateEnvironment } from '../../api/environments.js';
import { renderJsonEnvelope } from '../../report/json.js';
import type { CommandOutcome } from '../exit-for.js';
import { resolveFormat, type CliIo, type GlobalOptions } from '../io.js';
import { environmentOf, openRepositoryOf } from './ctx.js';

export interface MigrateFlags extends GlobalOptions {
  env: string;
}

/** `ferry migrate --env E`: brings the environment's store schema up to date and says what ran. */
export default async function migrate(io: CliIo, _args: readonly unknown[], opts: MigrateFlags): Promise<CommandOutcome> {
  const format = resolveFormat(io, opts, ['text', 'json']);
  const rc = await openRepositoryOf(io);
  const r = await migrateEnvironment(rc, { environment: environmentOf(rc, opts.env) });
  if (format === 'json') {
    io.stdout.write(renderJsonEnvelope(r.applied.length ? 'ok' : 'no_changes', r));
    return { kind: 'done' };
  }
  if (r.applied.length === 0) {
    io.stdout.write(`${r.environment} (${r.store}): schema ${r.to}, up to date.\n`);
    return { kind: 'done' };
  }
  io.stdout.write(`${r.environment} (${r.store}): schema ${r.from} → ${r.to}\n`);
  for (const m of r.applied) io.stdout.write(`  ${m.version}. ${m.description}\n`);
  return { kind: 'done' };
}
