import { environmentHistory } from '../../api/environments.js';
import { EXIT } from '../../errors/catalog.js';
import type { DeploymentRecord } from '../../model/index.js';
import { resolveFormat, type CliIo } from '../io.js';
import { contextOf, wholeNumber } from './ctx.js';

export default async function history(io: CliIo, _args: unknown[], opts: Record<string, any>): Promise<number> {
  const format = resolveFormat(io, opts, ['text', 'json', 'markdown']);
  const rows = await environmentHistory(contextOf(io), { env: opts.env, limit: wholeNumber(opts.limit, 20, '--limit') });
  if (format === 'json') {
    io.stdout.write(JSON.stringify({ status: 'ok', environment: opts.env, deployments: rows }, null, 2) + '\n');
    return EXIT.ok;
  }
  if (!rows.length) {
    io.stdout.write(`${opts.env} has no deployments yet.\n`);
    return EXIT.ok;
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
    return EXIT.ok;
  }
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
  for (const r of [head, ...table]) io.stdout.write(r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd() + '\n');
  return EXIT.ok;
}

function summary(d: DeploymentRecord): string {
  if (d.status === 'failed') return d.message ?? 'failed';
  const c = d.counts;
  const parts = [c.create && `+${c.create}`, c.update && `~${c.update}`, c.rename && `>${c.rename}`, c.delete && `-${c.delete}`, c.publish && `↑${c.publish}`, c.unpublish && `↓${c.unpublish}`].filter(Boolean);
  return (parts.join(' ') || 'no changes') + (d.message ? `  (${d.message})` : '');
}
