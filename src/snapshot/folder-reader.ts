import type { Dirent } from 'node:fs';
import { lstat, open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { FerryError } from '../errors/index.js';
import { gitBlobOid } from '../format/git-oid.js';
import { compareCodePoints } from '../model/compare.js';
import type { TreeEntry, TreeReader } from '../model/snapshot.js';
import { normalizePrefix } from '../git/prefix.js';
import { mapLimit } from './pool.js';
import { READ_NO_FOLLOW, isLinkRefusal, readFileNoFollow, readFileNoFollowSync, refuseSymlinkedPath, symlinkRefused } from './symlinks.js';

/** Folders never worth walking: git's own data and installed packages. */
const SKIPPED_FOLDERS: ReadonlySet<string> = new Set(['.git', 'node_modules']);
/** Files read at once: enough to keep the disk busy, few enough to stay under open-file limits. */
const READ_CONCURRENCY = 32;

export interface FolderReader extends TreeReader {
  readonly root: string;
}

/**
 * Reads a folder on disk (usually the working tree) as a snapshot source. Paths are POSIX and
 * relative to `root`.
 *
 * Listing is a plain `readdir` walk (faster than fast-glob with stats, see performance-floors.md)
 * that does NOT read files: each entry's `oid` is computed the first time it is asked for. When
 * `read()` has already read a listed file, its oid comes from those bytes, so a full load reads
 * and hashes every file exactly once. Asking for the oid of a file not yet read reads it then
 * (synchronously): comparing a working tree with a store has to hash every file anyway.
 *
 * Symbolic links are refused (FERRY_E_SYMLINK, see symlinks.ts), never followed: listing throws
 * on the first link below the prefix (or a link on the way to it), and reading opens files with
 * `O_NOFOLLOW` and checks the folders of paths it did not list.
 */
export function createFolderReader(root: string): FolderReader {
  /** Oids of listed files, filled by `read()` or on first access. */
  const oids = new Map<string, string>();
  /** Listed paths whose oid is still unknown: `read()` hashes these (and only these). */
  const pending = new Set<string>();
  /** Folders known to be plain folders (listed, or checked by `read()`). */
  const plainFolders = new Set<string>(['']);

  const oidOf = (path: string): string => {
    let oid = oids.get(path);
    if (oid === undefined) {
      let bytes: Uint8Array;
      try {
        bytes = readFileNoFollowSync(join(root, path));
      } catch (e) {
        if (isLinkRefusal(e)) throw symlinkRefused(path);
        throw new FerryError('FERRY_E_NOT_FOUND', `\`${path}\` disappeared while it was being read`, { loc: { file: path }, cause: e });
      }
      oid = gitBlobOid(bytes);
      oids.set(path, oid);
      pending.delete(path);
    }
    return oid;
  };

  const lazyEntry = (path: string): TreeEntry => {
    const entry = { path } as TreeEntry;
    Object.defineProperty(entry, 'oid', {
      enumerable: true,
      configurable: true,
      get() {
        const oid = oidOf(path);
        Object.defineProperty(entry, 'oid', { value: oid, enumerable: true, writable: true, configurable: true });
        return oid;
      },
    });
    return entry;
  };

  return {
    root,
    description: `folder ${root}`,

    async list(prefix: string): Promise<TreeEntry[]> {
      const p = normalizePrefix(prefix);
      const paths: string[] = [];
      await refuseSymlinkedPath(root, p, plainFolders);
      await walk(root, p, paths);
      for (const path of paths) plainFolders.add(folderOf(path));
      paths.sort(compareCodePoints);
      return paths.map((path) => {
        if (!oids.has(path)) pending.add(path);
        return lazyEntry(path);
      });
    },

    async read(paths: readonly string[]): Promise<Map<string, Uint8Array>> {
      const unique = [...new Set(paths)];
      const bytes = await mapLimit(unique, READ_CONCURRENCY, async (path) => {
        const folder = folderOf(path);
        if (!plainFolders.has(folder)) await refuseSymlinkedPath(root, folder, plainFolders);
        try {
          return await readFileNoFollow(join(root, path));
        } catch (e) {
          if (isLinkRefusal(e)) throw symlinkRefused(path);
          if (isMissing(e)) return undefined;
          throw e;
        }
      });
      const out = new Map<string, Uint8Array>();
      unique.forEach((path, i) => {
        const b = bytes[i];
        if (!b) return;
        const view = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
        out.set(path, view);
        if (pending.has(path)) {
          oids.set(path, gitBlobOid(view));
          pending.delete(path);
        }
      });
      return out;
    },

    async sizes(paths: readonly string[]): Promise<Map<string, number>> {
      const unique = [...new Set(paths)];
      const sizes = await mapLimit(unique, READ_CONCURRENCY, async (path) => {
        const folder = folderOf(path);
        if (!plainFolders.has(folder)) await refuseSymlinkedPath(root, folder, plainFolders);
        try {
          // lstat: a link is refused, never measured (its target's size would leak).
          const st = await lstat(join(root, path));
          if (st.isSymbolicLink()) throw symlinkRefused(path);
          return st.isFile() ? st.size : undefined;
        } catch (e) {
          if (isMissing(e) || (e as { code?: string }).code === 'ENOTDIR') return undefined;
          throw e;
        }
      });
      const out = new Map<string, number>();
      unique.forEach((path, i) => {
        if (sizes[i] !== undefined) out.set(path, sizes[i]!);
      });
      return out;
    },

    async *stream(path: string): AsyncIterable<Uint8Array> {
      const folder = folderOf(path);
      if (!plainFolders.has(folder)) await refuseSymlinkedPath(root, folder, plainFolders);
      let handle;
      try {
        handle = await open(join(root, path), READ_NO_FOLLOW);
      } catch (e) {
        if (isLinkRefusal(e)) throw symlinkRefused(path);
        if (isMissing(e)) throw new FerryError('FERRY_E_NOT_FOUND', `\`${path}\` is missing from ${root}`, { loc: { file: path }, cause: e });
        throw e;
      }
      // 1 MiB chunks: fewer reads for large binaries, still a flat footprint. The stream owns the descriptor.
      for await (const chunk of handle.createReadStream({ highWaterMark: 1024 * 1024 })) yield chunk as Buffer;
    },
  };
}

/** Collects file paths below `rel` (a POSIX path relative to `root`, '' for the root). */
async function walk(root: string, rel: string, out: string[]): Promise<void> {
  let dirents: Dirent[];
  try {
    dirents = await readdir(rel ? join(root, rel) : root, { withFileTypes: true });
  } catch (e) {
    if (isMissing(e) || (e as { code?: string }).code === 'ENOTDIR') return;
    throw e;
  }
  const subfolders: Promise<void>[] = [];
  for (const d of dirents) {
    const path = rel ? `${rel}/${d.name}` : d.name;
    if (d.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(d.name)) subfolders.push(walk(root, path, out));
    } else if (d.isSymbolicLink()) {
      throw symlinkRefused(path);
    } else if (d.isFile()) {
      out.push(path);
    }
  }
  await Promise.all(subfolders);
}

/** `a/b/c.yaml` → `a/b`; `c.yaml` → ``. */
function folderOf(path: string): string {
  return path.slice(0, Math.max(0, path.lastIndexOf('/')));
}

function isMissing(e: unknown): boolean {
  const code = (e as { code?: string }).code;
  return code === 'ENOENT' || code === 'EISDIR';
}
