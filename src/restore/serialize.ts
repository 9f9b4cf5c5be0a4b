import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { FerryError } from '../errors/index.js';
import { encodeObject } from '../format/encode.js';
import { assetBinaryPath, classifyPath, objectPath, pathNeedsFolders, type FolderPaths } from '../format/layout.js';
import { folderTree, type RepositoryConfig, type Store, type StoredObject } from '../model/index.js';
import { createFolderReader, folderListPrefix, readFileNoFollow, refuseSymlinkedPath } from '../snapshot/index.js';

export interface SerializeResult {
  written: string[];
  unchanged: number;
  removed: string[];
}

/** A file to write: repository-relative path and its bytes. */
export interface OutputFile {
  path: string;
  bytes: Uint8Array;
}

/**
 * The files a store's content serializes to: one canonical YAML file per object and each asset's
 * binary from the blob store. Paths are relative to the repository root.
 */
export async function storeToFiles(store: Store, config: RepositoryConfig): Promise<OutputFile[]> {
  const files: OutputFile[] = [];
  const objects = await store.listObjects();
  // Content folders and their items are placed by the folder tree.
  const tree = folderTree(objects.flatMap((s) => (s.object.kind === 'contentFolder' ? [s.object] : [])));
  const folderPaths = (ref: string) => {
    const guid = tree.resolve(ref);
    return guid === undefined ? undefined : tree.pathOf(guid);
  };
  for (const stored of objects) {
    const path = placeOf(stored, config.folder, folderPaths);
    files.push({ path, bytes: encodeObject(stored.object, path) });
    // An external asset's bytes stay where its source URL says.
    if (stored.object.kind === 'asset' && stored.object.sha256 !== undefined && !stored.object.source) {
      const bytes = await store.readBlob(stored.object.sha256);
      if (!bytes) {
        throw new FerryError('FERRY_E_STORE', `The store has asset \`${stored.object.codeName}\` but not its binary (sha256 ${stored.object.sha256})`);
      }
      files.push({ path: assetBinaryPath(stored.object, config.folder), bytes });
    }
  }
  return files;
}

/**
 * Where an object's file goes. A store may hold an item whose folder it cannot place (a folder
 * named by a code-name path that a Create-mode deployment did not rename on it): the path the
 * object was restored from is then where it goes back.
 */
function placeOf(stored: StoredObject, folder: string, folderPaths: FolderPaths): string {
  try {
    return objectPath(stored.object, folder, folderPaths);
  } catch (e) {
    if (e instanceof FerryError && e.code === 'FERRY_E_PATH' && pathNeedsFolders(stored.object) && stored.path) return stored.path;
    throw e;
  }
}

/**
 * Writes files under `root` (temp file + rename, identical bytes skipped) and removes object files
 * and asset binaries in the repository folder that are not among them. Touches nothing else.
 */
export async function writeRepositoryFiles(root: string, config: RepositoryConfig, files: readonly OutputFile[]): Promise<SerializeResult> {
  const wanted = new Set(files.map((f) => f.path));
  const result: SerializeResult = { written: [], unchanged: 0, removed: [] };
  // Listed before anything is written: the walk refuses a symbolic link anywhere in the folder
  // (or on the way to it), so no write below can follow one out of the repository.
  const existing = await createFolderReader(root).list(folderListPrefix(config));
  for (const file of files) {
    await refuseSymlinkedPath(root, file.path);
    const abs = join(root, file.path);
    const before = await readFileNoFollow(abs).catch(() => undefined);
    if (before && Buffer.compare(before, Buffer.from(file.bytes)) === 0) {
      result.unchanged += 1;
      continue;
    }
    await mkdir(dirname(abs), { recursive: true });
    const tmp = `${abs}.ferry-tmp-${process.pid}`;
    await writeFile(tmp, file.bytes);
    await rename(tmp, abs);
    result.written.push(file.path);
  }
  for (const { path } of existing) {
    if (wanted.has(path)) continue;
    const c = classifyPath(path, config.folder);
    if (c.type === 'object' || c.type === 'binary') {
      await rm(join(root, path));
      result.removed.push(path);
    }
  }
  result.written.sort();
  result.removed.sort();
  return result;
}
