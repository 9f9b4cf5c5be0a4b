// Floor of a full restore into PostgreSQL: list the commit's folder (`ls-tree`), read every YAML
// blob through one `cat-file --batch`, parse with js-yaml 4 (CORE_SCHEMA), and stream one row per
// file (path, data JSON) with raw `COPY … FROM STDIN` into a fresh table, in one transaction.

import pg from 'pg';
import yaml from 'js-yaml';
import { copyRows } from '../../dist/store/postgres/bulk-load.js';
import { catFileBatch, lsTree } from './git-plumbing.mjs';
import { probe } from './probe.mjs';

await probe(async ({ repo, commit, folder, url }) => {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query('DROP TABLE IF EXISTS floor_objects');
  await c.query('CREATE TABLE floor_objects (key text COLLATE "C" PRIMARY KEY, data text NOT NULL)');
  const t0 = performance.now();
  const entries = (await lsTree(repo, commit, folder)).filter((e) => e.path.endsWith('.yaml'));
  const rows = [];
  await catFileBatch(repo, entries.map((e) => e.oid), (i, bytes) => {
    rows.push([entries[i].path, JSON.stringify(yaml.load(bytes.toString('utf8'), { schema: yaml.CORE_SCHEMA }))]);
  });
  await c.query('BEGIN');
  await copyRows(c, 'COPY floor_objects (key, data) FROM STDIN', () => rows);
  await c.query('COMMIT');
  const ms = performance.now() - t0;
  await c.end();
  return { ms, rows: rows.length };
});
