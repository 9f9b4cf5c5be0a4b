import { FerryError } from '../../errors/index.js';

/**
 * Runs a read or small write on a SQLite store, turning driver errors into FERRY_E_STORE naming
 * the file and what was being done; Ferry's own errors pass through.
 */
export function guardStore<T>(file: string, what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof FerryError) throw e;
    throw new FerryError('FERRY_E_STORE', `Could not ${what} in ${file}: ${messageOf(e)}`, { data: { path: file }, cause: e });
  }
}

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
