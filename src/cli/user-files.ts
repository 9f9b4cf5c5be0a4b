// Files and folders named on the command line: every failure a user can cause becomes a
// FERRY_E_FILE naming the option and the path, checked before anything is written.
import { accessSync, constants, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { FerryError } from '../errors/ferry-error.js';

/** What the operating system said, in words (the code stays in data). */
function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder';
    case 'EISDIR':
      return 'it is a folder, not a file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return (e as Error)?.message ?? String(e);
  }
}

function fileError(action: 'read' | 'write', what: string, path: string, e: unknown, hint: string): FerryError {
  return new FerryError('FERRY_E_FILE', `Cannot ${action} ${what} ${path}: ${reason(e)}`, { hint, data: { path, errno: (e as NodeJS.ErrnoException)?.code }, cause: e });
}

/** Reads a file the user named (`what`: "--file", "the file"); refuses a missing, unreadable one or a folder. */
export async function readUserFile(cwd: string, path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(resolve(cwd, path));
  } catch (e) {
    throw fileError('read', what, path, e, 'Check the path (relative to the current folder): the file must exist and be readable.');
  }
}

/**
 * Refuses, before any work, an output file whose folder does not exist or cannot be written, or
 * that names a folder: a command that creates a tag or prints a report must not fail after it.
 */
export function assertWritableFile(cwd: string, path: string, what: string): void {
  const abs = resolve(cwd, path);
  const hint = 'Write it into an existing folder you can write to (Ferry does not create folders for output files).';
  try {
    if (statSync(abs, { throwIfNoEntry: false })?.isDirectory()) throw Object.assign(new Error('is a folder'), { code: 'EISDIR' });
    const dir = dirname(abs);
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    accessSync(dir, constants.W_OK);
  } catch (e) {
    throw fileError('write', what, path, e, hint);
  }
}

/** Writes an output file the user named, after assertWritableFile. */
export async function writeUserFile(cwd: string, path: string, data: string | Uint8Array, what: string): Promise<void> {
  try {
    await writeFile(resolve(cwd, path), data);
  } catch (e) {
    throw fileError('write', what, path, e, 'Write it into an existing folder you can write to.');
  }
}

/**
 * Refuses an output folder that cannot be made: the nearest existing ancestor must be a folder
 * Ferry can write to (missing folders below it are created by the command).
 */
export function assertWritableFolder(cwd: string, path: string, what: string): void {
  const abs = resolve(cwd, path);
  let probe = abs;
  try {
    for (;;) {
      const st = statSync(probe, { throwIfNoEntry: false });
      if (st) {
        if (!st.isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
        accessSync(probe, constants.W_OK);
        return;
      }
      const up = dirname(probe);
      if (up === probe) throw Object.assign(new Error('no such folder'), { code: 'ENOENT' });
      probe = up;
    }
  } catch (e) {
    throw fileError('write', what, path, e, 'Name a folder that exists or can be created inside one you can write to.');
  }
}
