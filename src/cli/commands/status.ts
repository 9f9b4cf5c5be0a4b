import { environmentStatus } from '../../api/environments.js';
import { renderJsonEnvelope } from '../../report/json.js';
import type { CommandOutcome } from '../exit-for.js';
import { resolveFormat, type CliIo, type GlobalOptions } from '../io.js';
import { environmentOf, openRepositoryOf } from './ctx.js';

export interface StatusFlags extends GlobalOptions {
  env?: string;
  drift?: boolean;
}

export default async function status(io: CliIo, _args: readonly unknown[], opts: StatusFlags): Promise<CommandOutcome> {
  const format = resolveFormat(io, opts, ['text', 'json', 'markdown']);
  const rc = await openRepositoryOf(io);
  const envs = await environmentStatus(rc, { environment: opts.env === undefined ? undefined : environmentOf(rc, opts.env) });
  const unreachable = envs.some((e) => e.error);
  // The reason goes to stderr too, as every other command reports errors.
  for (const e of envs) if (e.error) io.stderr.write(`ferry: ${e.name}: ${e.error.message} (${e.error.code})\nhint: ${e.error.hint}\n`);
  if (format === 'json') {
    io.stdout.write(renderJsonEnvelope(unreachable ? 'error' : 'ok', { environments: envs }));
    return { kind: 'status', unreachable };
  }
  const lines: string[] = [];
  for (const e of envs) {
    const d = e.deployed;
    const driftCount = e.drift.changed.length + e.drift.added.length + e.drift.deleted.length;
    lines.push(`${e.name}${e.from ? ` (from ${e.from})` : ''}  ${e.store}`);
    if (e.error) {
      lines.push(`  UNREACHABLE: ${e.error.message} (${e.error.code})`);
      continue;
    }
    if (!d) lines.push('  deployed: nothing yet');
    else {
      const what = d.toCommit ? `${d.toCommit.slice(0, 10)}${e.commit?.tags.length ? ` (${e.commit.tags.join(', ')})` : ''}${e.commit ? ` ${e.commit.subject}` : ''}` : d.source;
      const p = e.producedBy ?? d;
      lines.push(`  deployed: ${what}`);
      lines.push(`  when:     ${p.finishedAt ?? p.startedAt} by ${p.actor} (deployment #${p.id}, ${p.mode})`);
      // A no-op since then changed nothing but the commit the environment is at: say so, once.
      if (p.id !== d.id) lines.push(`  checked:  ${d.finishedAt ?? d.startedAt} by ${d.actor} (deployment #${d.id}, no changes)`);
    }
    if (e.behind) {
      lines.push(
        e.behind.commits === 0 && e.behind.objects === 0
          ? `  behind ${e.behind.predecessor}: up to date`
          : `  behind ${e.behind.predecessor}: ${e.behind.commits} commit(s)${e.behind.objects >= 0 ? `, ${e.behind.objects} object file(s)` : ''}`,
      );
    }
    if (e.lastAttempt && e.lastAttempt.status === 'failed') lines.push(`  last attempt #${e.lastAttempt.id} FAILED: ${e.lastAttempt.message ?? ''}`);
    lines.push(`  drift:    ${driftCount ? `${e.drift.changed.length} changed, ${e.drift.added.length} added, ${e.drift.deleted.length} deleted outside Ferry` : 'none'}`);
    if (opts.drift && driftCount) {
      for (const [label, list] of [['changed', e.drift.changed], ['added', e.drift.added], ['deleted', e.drift.deleted]] as const) {
        for (const o of list) lines.push(`    ${label.padEnd(8)} ${o.kind} ${o.codeName}${o.path ? `  ${o.path}` : ''}`);
      }
    }
    // Where the data lives and how durably it is written: a file outside the repository is allowed, never hidden.
    if (e.storage) {
      const where = e.storage.outsideRepository ? `${e.storage.file} (OUTSIDE the repository)` : e.storage.file;
      lines.push(`  store:    ${where}, synchronous=${e.storage.synchronous}${e.storage.synchronous === 'FULL' ? ' (durable)' : ''}`);
    }
  }
  io.stdout.write(lines.join('\n') + '\n');
  // Everything that could be read is printed; an unreachable environment still fails the command.
  return { kind: 'status', unreachable };
}
