import { FerryError } from '../errors/index.js';
import type { GitPort } from '../git/git-port.js';
import { isUnderPrefix, normalizePrefix } from '../git/prefix.js';
import type { TreeEntry, TreeReader } from '../model/snapshot.js';

export interface CommitReader extends TreeReader {
  /** Full sha of the commit read. */
  readonly commit: string;
  /** Tells the reader blob ids it already knows (from a tree diff), so `read` needs no listing. */
  remember(entries: Iterable<{ path: string; oid: string }>): void;
}

/**
 * Reads one git commit as a snapshot source, from git objects only (no checkout). `list` is
 * `listTree`; `read` maps paths to blob ids and reads them all through one `readBlobs` call (one
 * long-lived `git cat-file --batch` with the plumbing adapter).
 *
 * Paths `read` does not know yet (never listed nor remembered) are found by listing the deepest
 * folder that holds all of them, so reading a few changed files of one folder stays cheap.
 * `commit` must be a full sha (resolve it with `git.resolveRevision` first).
 */
export function createCommitReader(git: GitPort, commit: string): CommitReader {
  const oids = new Map<string, string>();
  /** Prefixes already listed in full: a path below one of them that is not in `oids` does not exist. */
  const listed: string[] = [];
  const isListed = (path: string) => listed.some((p) => isUnderPrefix(path, p));

  const list = async (prefix: string): Promise<TreeEntry[]> => {
    const p = normalizePrefix(prefix);
    const entries = await git.listTree(commit, p);
    for (const e of entries) oids.set(e.path, e.oid);
    listed.push(p);
    return entries;
  };

  /** `[path, oid]` of the paths the commit has (listing their folder first when unknown). */
  const known = async (paths: readonly string[]): Promise<[string, string][]> => {
    const unknown = paths.filter((p) => !oids.has(p) && !isListed(p));
    if (unknown.length > 0) await list(commonFolder(unknown));
    const wanted: [string, string][] = [];
    for (const path of new Set(paths)) {
      const oid = oids.get(path);
      if (oid !== undefined) wanted.push([path, oid]);
    }
    return wanted;
  };

  return {
    commit,
    description: `commit ${commit.slice(0, 12)}`,
    list,
    remember(entries) {
      for (const e of entries) oids.set(e.path, e.oid);
    },
    async sizes(paths: readonly string[]): Promise<Map<string, number>> {
      const wanted = await known(paths);
      const sizes = await git.blobSizes(wanted.map(([, oid]) => oid));
      return new Map(wanted.map(([path, oid]) => [path, sizes.get(oid)!]));
    },
    async *stream(path: string): AsyncIterable<Uint8Array> {
      const [found] = await known([path]);
      if (!found) throw new FerryError('FERRY_E_NOT_FOUND', `\`${path}\` is not in commit ${commit.slice(0, 12)}`, { loc: { file: path } });
      yield* git.streamBlob(found[1]);
    },
    async read(paths: readonly string[]): Promise<Map<string, Uint8Array>> {
      const wanted = await known(paths);
      const blobs = await git.readBlobs(wanted.map(([, oid]) => oid));
      const out = new Map<string, Uint8Array>();
      for (const [path, oid] of wanted) out.set(path, blobs.get(oid)!);
      return out;
    },
  };
}

/** The deepest folder containing every path ('' when they share none). */
export function commonFolder(paths: readonly string[]): string {
  let common = paths[0].split('/').slice(0, -1);
  for (const p of paths.slice(1)) {
    const segs = p.split('/');
    let i = 0;
    while (i < common.length && i < segs.length - 1 && common[i] === segs[i]) i++;
    common = common.slice(0, i);
    if (common.length === 0) break;
  }
  return common.join('/');
}
