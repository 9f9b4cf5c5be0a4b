// Store files: cleared before a fresh restore, copied back before each incremental run (so every
// run starts from the same database).

import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';

const SIDE = ['-wal', '-shm', '-journal'];

/** `.ferry/<env>.db` of a generated repository (its config says `sqlite:.ferry/<env>.db`). */
export const envDb = (meta, env = 'dev') => join(meta.dir, '.ferry', `${env}.db`);

export function clearDb(path) {
  rmSync(path, { force: true });
  for (const s of SIDE) rmSync(path + s, { force: true });
}

export function copyDb(from, to) {
  if (!existsSync(from)) throw new Error(`no database at ${from}`);
  clearDb(to);
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
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
