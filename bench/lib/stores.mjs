// Store files: cleared before a fresh restore, copied back before each incremental run (so every
// run starts from the same database). A SQLite store is the database file and its blob folder
// (`<file>.blobs/`, asset binaries by sha256): both are cleared and copied, or a restore would find
// the binaries a previous run wrote and skip writing them.

import { closeSync, copyFileSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';

const SIDE = ['-wal', '-shm', '-journal'];
const BLOBS = '.blobs';

/** `.ferry/<env>.db` of a generated repository (its config says `sqlite:.ferry/<env>.db`). */
export const envDb = (meta, env = 'dev') => join(meta.dir, '.ferry', `${env}.db`);

export function clearDb(path) {
  rmSync(path, { force: true });
  for (const s of SIDE) rmSync(path + s, { force: true });
  rmSync(path + BLOBS, { recursive: true, force: true });
}

/**
 * Hard links of every blob: the store writes a blob to a temporary name and renames it, and never
 * rewrites one in place, so a link is as good as a copy (and 5,000 of them take milliseconds).
 */
function linkBlobs(from, to) {
  if (!existsSync(from)) return;
  for (const d of readdirSync(from, { withFileTypes: true })) {
    if (!d.isDirectory()) continue;
    mkdirSync(join(to, d.name), { recursive: true });
    for (const f of readdirSync(join(from, d.name))) linkSync(join(from, d.name, f), join(to, d.name, f));
  }
}

export function copyDb(from, to) {
  if (!existsSync(from)) throw new Error(`no database at ${from}`);
  clearDb(to);
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
  linkBlobs(from + BLOBS, to + BLOBS);
  // A cleanly closed database has no WAL left; copy one if a writer left it behind.
  if (existsSync(from + '-wal')) copyFileSync(from + '-wal', to + '-wal');
  // Flush the copy now: otherwise the timed run's first fsync (a WAL checkpoint) would write out
  // the whole freshly copied file (430 MB at 100k), which no real deployment pays.
  for (const f of [to, to + '-wal']) {
    if (!existsSync(f)) continue;
    const fd = openSync(f, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}
