// Floor of an incremental deploy into PostgreSQL: `diff-tree`, one `cat-file --batch` of the new
// blobs, js-yaml 4 parse, and raw upserts/deletes (multi-row statements, no validation) in one
// transaction into the floor's own restored table (floor-restore-pg.mjs, on a copy of the database).

import pg from 'pg';
import yaml from 'js-yaml';
import { catFileBatch, diffTree } from './git-plumbing.mjs';
import { probe } from './probe.mjs';

await probe(async ({ repo, base, head, folder, url }) => {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const t0 = performance.now();
  const changes = (await diffTree(repo, base, head, folder)).filter((x) => x.path.endsWith('.yaml'));
  const puts = changes.filter((x) => x.status !== 'D');
  const deletes = changes.filter((x) => x.status === 'D').map((x) => x.path);
  const keys = [];
  const data = [];
  await catFileBatch(repo, puts.map((x) => x.newOid), (i, bytes) => {
    keys.push(puts[i].path);
    data.push(JSON.stringify(yaml.load(bytes.toString('utf8'), { schema: yaml.CORE_SCHEMA })));
  });
  await c.query('BEGIN');
  await c.query('INSERT INTO floor_objects (key, data) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (key) DO UPDATE SET data = excluded.data', [keys, data]);
  await c.query('DELETE FROM floor_objects WHERE key = ANY($1::text[])', [deletes]);
  await c.query('COMMIT');
  const ms = performance.now() - t0;
  await c.end();
  return { ms, upserts: keys.length, deletes: deletes.length };
});
