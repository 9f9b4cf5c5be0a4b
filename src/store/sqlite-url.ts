import { isAbsolute, relative, resolve } from 'node:path';

/**
 * The file a `sqlite:PATH` URL names (relative paths against `cwd`; `sqlite:///abs` and
 * `sqlite://rel` accepted too), '' when it names none, undefined for other schemes. No I/O,
 * no driver: `ferry status` uses it without loading SQLite.
 */
export function sqliteFileOf(url: string, cwd: string): string | undefined {
  if (!/^sqlite:/i.test(url)) return undefined;
  let path = url.slice('sqlite:'.length);
  if (path.startsWith('//')) path = path.slice(2);
  if (path === '' || path === ':memory:') return '';
  return isAbsolute(path) ? path : resolve(cwd, path);
}

/** True when `file` lies outside the folder `root` (e.g. `sqlite:../../shared/prod.db`). */
export function isOutside(root: string, file: string): boolean {
  const rel = relative(root, file);
  return rel === '..' || rel.startsWith('../') || rel.startsWith('..\\') || isAbsolute(rel);
}
