import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** Streams rows into `COPY … FROM STDIN` (text format), about 256 KB a chunk. */
export async function copyRows(client: pg.PoolClient, sql: string, rows: () => Iterable<(string | null)[]>): Promise<void> {
  const stream = client.query(copyFrom(sql));
  async function* chunks() {
    let buf: string[] = [];
    let size = 0;
    for (const r of rows()) {
      const line = r.map(copyField).join('\t') + '\n';
      buf.push(line);
      size += line.length;
      if (size >= 256 * 1024) {
        yield buf.join('');
        buf = [];
        size = 0;
      }
    }
    if (buf.length) yield buf.join('');
  }
  await pipeline(Readable.from(chunks()), stream);
}

/** One field of COPY's text format: \N for NULL; backslash, tab, newline and CR escaped. */
export function copyField(v: string | null): string {
  if (v === null) return '\\N';
  return /[\\\t\n\r]/.test(v) ? v.replace(/[\\\t\n\r]/g, (ch) => (ch === '\\' ? '\\\\' : ch === '\t' ? '\\t' : ch === '\n' ? '\\n' : '\\r')) : v;
}
