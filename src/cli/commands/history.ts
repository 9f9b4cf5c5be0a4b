import { environmentHistory } from '../../api/environments.js';
import type { DeploymentRecord } from '../../model/index.js';
import { renderJsonEnvelope } from '../../report/json.js';
import type { CommandOutcome } from '../exit-for.js';
import { resolveFormat, type CliIo, type GlobalOptions } from '../io.js';
import { environmentOf, openRepositoryOf, wholeNumber } from './ctx.js';

export interface HistoryFlags extends GlobalOptions {
  env: string;
  limit?: string;
}

export default async function history(io: CliIo, _args: readonly unknown[], opts: HistoryFlags): Promise<CommandOutcome> {
  const format = resolveFormat(io, opts, ['text', 'json', 'markdown']);
  const limit = wholeNumber(opts.limit, 20, '--limit');
  const rc = await openRepositoryOf(io);
  const rows = await environmentHistory(rc, { environment: environmentOf(rc, opts.env), limit });
  if (format === 'json') {
    io.stdout.write(renderJsonEnvelope('ok', { environment: opts.env, deployments: rows }));
    return { kind: 'done' };
  }
  if (!rows.length) {
    io.stdout.write(`${opts.env} has no deployments yet.\n`);
    return { kind: 'done' };
  }
  const table = rows.map((d) => [
    `#${d.id}`,
    d.status,
    d.startedAt.replace('T', ' ').slice(0, 19),
    d.toCommit ? d.toCommit.slice(0, 10) : d.source,
    d.tag ?? '',
    d.mode,
    d.actor,
    summary(d),
  ]);
  const head = ['ID', 'STATUS', 'STARTED (UTC)', 'COMMIT', 'TAG', 'MODE', 'ACTOR', 'CHANGES'];
  if (format === 'markdown') {
    io.stdout.write([`| ${head.join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`, ...table.map((r) => `| ${r.join(' | ')} |`)].join('\n') + '\n');
    return { kind: 'done' };
  }
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
  for (const r of [head, ...table]) io.stdout.write(r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd() + '\n');
  return { kind: 'done' };
}

function summary(d: DeploymentRecord): string {
  if (d.status === 'failed') return d.message ?? 'failed';
  const c = d.counts;
  const parts = [c.create && `+${c.create}`, c.update && `~${c.update}`, c.rename && `>${c.rename}`, c.delete && `-${c.delete}`, c.publish && `↑${c.publish}`, c.unpublish && `↓${c.unpublish}`].filter(Boolean);
  return (parts.join(' ') || 'no changes') + (d.message ? `  (${d.message})` : '');
}
