// Floor of a full restore: list the commit's folder (`ls-tree`), read every file through one
// `cat-file --batch`, parse the YAML files with js-yaml 4 (CORE_SCHEMA), and upsert one row per
// file with prepared better-sqlite3 statements in one transaction (WAL, synchronous=NORMAL) into
// a fresh database: (path, data JSON) for a YAML file, (path, bytes) for an asset binary. Parsing
// and writing overlap git's reading.

import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import yaml from 'js-yaml';
import { catFileBatch, lsTree } from './git-plumbing.mjs';
import { probe } from './probe.mjs';

await probe(async ({ repo, commit, folder, db: dbPath }) => {
  for (const s of ['', '-wal', '-shm']) rmSync(dbPath + s, { force: true });
  const t0 = performance.now();
  const entries = await lsTree(repo, commit, folder);
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE objects (key TEXT PRIMARY KEY, data TEXT NOT NULL) WITHOUT ROWID');
  db.exec('CREATE TABLE blobs (key TEXT PRIMARY KEY, data BLOB NOT NULL)');
  const upsert = db.prepare('INSERT INTO objects (key, data) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET data = excluded.data');
  const upsertBlob = db.prepare('INSERT INTO blobs (key, data) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET data = excluded.data');
  let binaries = 0;
  db.exec('BEGIN');
  await catFileBatch(repo, entries.map((e) => e.oid), (i, bytes) => {
    if (!entries[i].path.endsWith('.yaml')) {
      upsertBlob.run(entries[i].path, bytes);
      binaries++;
      return;
    }
    const obj = yaml.load(bytes.toString('utf8'), { schema: yaml.CORE_SCHEMA });
    upsert.run(entries[i].path, JSON.stringify(obj));
  });
  db.exec('COMMIT');
  db.close();
  const ms = performance.now() - t0;
  return { ms, rows: entries.length - binaries, binaries };
});
