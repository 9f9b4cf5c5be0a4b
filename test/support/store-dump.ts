import Database from 'better-sqlite3';

/**
 * Everything a deployment writes, read straight from an SQLite store file: objects, variants,
 * change log and blob rows. Deployment records are left out (a failed attempt adds one).
 */
export function dumpStore(file: string): string {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const parts = [
      db.prepare('SELECT key, kind, code_name, path, source_hash, data, drift FROM objects ORDER BY key').all(),
      db.prepare('SELECT key, locale, status, content_type, data FROM variants ORDER BY key, locale').all(),
      db.prepare('SELECT seq, type, key, locale FROM change_log ORDER BY seq').all(),
      db.prepare('SELECT sha256, size FROM blobs ORDER BY sha256').all(),
    ];
    return JSON.stringify(parts);
  } finally {
    db.close();
  }
}

export function countObjects(file: string): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM objects').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

export function deploymentRows(file: string): Array<{ id: number; status: string; message: string | null; diagnostics: string }> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT id, status, message, diagnostics FROM deployments ORDER BY id').all() as never;
  } finally {
    db.close();
  }
}
