import { FerryError } from '../errors/index.js';
import { compareCodePoints } from '../model/compare.js';
import type { TreeDiffEntry } from './git-port.js';

export const GITLINK = '160000';
export const SYMLINK = '120000';

/**
 * A symbolic link is refused wherever Ferry meets one (a commit's tree, the working tree): its
 * target may lie outside the repository. The link's target is never read.
 */
export function symlinkRefused(path: string): FerryError {
  return new FerryError('FERRY_E_SYMLINK', `\`${path}\` is a symbolic link; Ferry refuses links in the repository folder and did not read its target`, {
    loc: { file: path },
  });
}

/**
 * Shared by both adapters' rules: submodule entries are not files; a file replacing one is an
 * add; a symlink at the head side is refused (one at the base side may go: deleting it is how a
 * repository gets rid of it).
 */
export function toDiffEntry(status: string, path: string, oldMode: string, newMode: string, oldOid: string, newOid: string): TreeDiffEntry | undefined {
  if (newMode === SYMLINK) throw symlinkRefused(path);
  const oldIsFile = oldMode !== GITLINK && !/^0+$/.test(oldMode);
  const newIsFile = newMode !== GITLINK && !/^0+$/.test(newMode);
  if (!oldIsFile && !newIsFile) return undefined;
  if (!oldIsFile) return { status: 'A', path, newOid };
  if (!newIsFile) return { status: 'D', path, oldOid };
  if (status === 'T' || (oldMode === SYMLINK) !== (newMode === SYMLINK)) return { status: 'T', path, oldOid, newOid };
  return { status: 'M', path, oldOid, newOid };
}

/**
 * Sorts by path in code-point order. Git already lists in (UTF-8) byte order, which agrees with
 * it but for rare astral characters, so a single check pass usually replaces the sort.
 */
export function sortByPath<T extends { path: string }>(entries: T[]): T[] {
  for (let i = 1; i < entries.length; i++) {
    if (entries[i - 1].path > entries[i].path) return entries.sort((a, b) => compareCodePoints(a.path, b.path));
  }
  return entries;
}
