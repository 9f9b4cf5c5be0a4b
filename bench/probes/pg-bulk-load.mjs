#!/usr/bin/env node
// Probe: how to load many rows into the PostgreSQL store's tables fastest, inside one transaction
// as commitDeployment does: `COPY … FROM STDIN` (pg-copy-streams) vs batched multi-row
// `INSERT … SELECT FROM unnest($1::text[], …)` statements (2,000 rows each), with and without
// `ON CONFLICT … DO UPDATE` (what the general path needs). Rows shaped like bench items (~1.3 KB
// of JSON). Each variant runs on a fresh, migrated database of a throwaway cluster.
//
//   npm run build && node bench/probes/pg-bulk-load.mjs [--rows 20000,100000]
import pg from 'pg';
import { parseArgs } from 'node:util';
import { PostgresStore } from '../../dist/store/postgres/postgres-store.js';
import { copyRows } from '../../dist/store/postgres/bulk-load.js';
import { startPostgresCluster } from '../../test/support/postgres-cluster.mjs';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '20000,100000' } } });
const sizes = values.rows.split(',').map(Number);
const cluster = process.env.FERRY_BENCH_POSTGRES_URL ? undefined : await startPostgresCluster();
const server = process.env.FERRY_BENCH_POSTGRES_URL ?? cluster?.url;
if (!server) throw new Error('No PostgreSQL: install it or set FERRY_BENCH_POSTGRES_URL');
let n = 0;
async function freshDb() {
  const c = new pg.Client({ connectionString: server });
  await c.connect();
  const name = `ferry_probe_${process.pid}_${++n}`;
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const u = new URL(server);
  u.pathname = `/${name}`;
  const store = await PostgresStore.open(u.toString(), { cwd: '/tmp' });
  await store.close();
  return u.toString();
}
const body = `<p>${'Lorem ipsum dolor sit amet. '.repeat(40)}</p>`;
function rowsOf(count) {
  return Array.from({ length: count }, (_, i) => {
    const k = `${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`;
    return [k, 'contentItem', k, `item-${i}`, `type-${i % 20}`, `content/items/type-${i % 20}/item-${i}.yaml`, 'a'.repeat(40), JSON.stringify({ kind: 'contentItem', guid: k, body, rank: i }), '1'];
  });
}
const COLS = 'key, kind, guid, code_name, content_type, path, source_hash, data, ferry_stamp';
const UNNEST = `SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::bigint[])`;
const methods = {
  copy: async (c, rows) => copyRows(c, `COPY objects (${COLS}) FROM STDIN`, () => rows),
  'multi-row insert': async (c, rows) => {
    for (let s = 0; s < rows.length; s += 2000) {
      const chunk = rows.slice(s, s + 2000);
      await c.query(`INSERT INTO objects (${COLS}) ${UNNEST}`, chunk[0].map((_, j) => chunk.map((r) => r[j])));
    }
  },
  'multi-row upsert': async (c, rows) => {
    for (let s = 0; s < rows.length; s += 2000) {
      const chunk = rows.slice(s, s + 2000);
      await c.query(`INSERT INTO objects (${COLS}) ${UNNEST} ON CONFLICT (key) DO UPDATE SET data = excluded.data, source_hash = excluded.source_hash, ferry_stamp = objects.ferry_stamp + 1`, chunk[0].map((_, j) => chunk.map((r) => r[j])));
    }
  },
};
const out = [];
for (const size of sizes) {
  const rows = rowsOf(size);
  for (const [name, load] of Object.entries(methods)) {
    const url = await freshDb();
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const t0 = performance.now();
    await c.query('BEGIN');
    await load(c, rows);
    await c.query('COMMIT');
    const ms = performance.now() - t0;
    await c.end();
    out.push({ rows: size, method: name, ms: Math.round(ms), usPerRow: Math.round((ms * 1000) / size) });
    process.stderr.write(`${size} ${name}: ${Math.round(ms)} ms\n`);
  }
}
cluster?.stop();
process.stdout.write(`${JSON.stringify(out, null, 1)}\n`);
