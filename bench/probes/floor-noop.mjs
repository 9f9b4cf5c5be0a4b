// Floor of a no-op deploy: what any deploy must do before knowing there is nothing to do: resolve
// the revision (one git process), open the store, read the last deployment's commit.

import Database from 'better-sqlite3';
import { gitOut } from './git-plumbing.mjs';
import { probe } from './probe.mjs';

await probe(async ({ repo, rev, db: dbPath }) => {
  const t0 = performance.now();
  const sha = (await gitOut(repo, ['rev-parse', '--verify', `${rev}^{commit}`])).toString().trim();
  const db = new Database(dbPath, { readonly: true });
  const row = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' LIMIT 1").get();
  db.close();
  return { ms: performance.now() - t0, sha, table: row?.name };
});
