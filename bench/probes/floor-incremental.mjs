// Floor of an incremental deploy: `diff-tree` between the deployed and the new commit, one
// `cat-file --batch` of the new blobs, js-yaml 4 parse of the YAML files, and raw upserts/deletes
// (no validation; asset binaries as bytes) in one transaction into the floor's own restored
// database (copied fresh by the caller).

import Database from 'better-sqlite3';
import yaml from 'js-yaml';
import { catFileBatch, diffTree } from './git-plumbing.mjs';
import { probe } from './probe.mjs';

await probe(async ({ repo, base, head, folder, db: dbPath }) => {
  const t0 = performance.now();
  const changes = await diffTree(repo, base, head, folder);
  const isYaml = (c) => c.path.endsWith('.yaml');
  const puts = changes.filter((c) => c.status !== 'D');
  const deletes = changes.filter((c) => c.status === 'D');
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const upsert = db.prepare('INSERT INTO objects (key, data) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET data = excluded.data');
  const del = db.prepare('DELETE FROM objects WHERE key = ?');
  const upsertBlob = db.prepare('INSERT INTO blobs (key, data) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET data = excluded.data');
  const delBlob = db.prepare('DELETE FROM blobs WHERE key = ?');
  db.exec('BEGIN');
  await catFileBatch(repo, puts.map((c) => c.newOid), (i, bytes) => {
    if (isYaml(puts[i])) upsert.run(puts[i].path, JSON.stringify(yaml.load(bytes.toString('utf8'), { schema: yaml.CORE_SCHEMA })));
    else upsertBlob.run(puts[i].path, bytes);
  });
  for (const c of deletes) (isYaml(c) ? del : delBlob).run(c.path);
  db.exec('COMMIT');
  db.close();
  const ms = performance.now() - t0;
  const yamlUpserts = puts.filter(isYaml).length;
  const yamlDeletes = deletes.filter(isYaml).length;
  return { ms, upserts: yamlUpserts, deletes: yamlDeletes, binaries: changes.length - yamlUpserts - yamlDeletes };
});
