// Floor of an incremental deploy: `diff-tree` between the deployed and the new commit, one
// `cat-file --batch` of the new blobs, js-yaml 4 parse, and raw upserts/deletes (no validation) in
// one transaction into the floor's own restored database (copied fresh by the caller).

import Database from 'better-sqlite3';
import yaml from 'js-yaml';
import { catFileBatch, diffTree } from './git-plumbing.mjs';
import { probe } from './probe.mjs';

await probe(async ({ repo, base, head, folder, db: dbPath }) => {
  const t0 = performance.now();
  const changes = (await diffTree(repo, base, head, folder)).filter((c) => c.path.endsWith('.yaml'));
  const puts = changes.filter((c) => c.status !== 'D');
  const deletes = changes.filter((c) => c.status === 'D');
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const upsert = db.prepare('INSERT INTO objects (key, data) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET data = excluded.data');
  const del = db.prepare('DELETE FROM objects WHERE key = ?');
  db.exec('BEGIN');
  await catFileBatch(repo, puts.map((c) => c.newOid), (i, bytes) => {
    upsert.run(puts[i].path, JSON.stringify(yaml.load(bytes.toString('utf8'), { schema: yaml.CORE_SCHEMA })));
  });
  for (const c of deletes) del.run(c.path);
  db.exec('COMMIT');
  db.close();
  const ms = performance.now() - t0;
  return { ms, upserts: puts.length, deletes: deletes.length };
});
