import type { Diagnostic } from './diagnostic.js';
import type { FerryObject, ObjectKind } from './objects.js';

/** One file in a tree (a git commit, a folder, a store), path relative to the repository root. */
export interface TreeEntry {
  /** POSIX path relative to the git/repository root, e.g. `content/items/article/x.yaml`. */
  path: string;
  /** Git blob id (sha1 of `blob <size>\0<bytes>`) of the file. Same bytes, same oid, anywhere. */
  oid: string;
  size?: number;
}

/**
 * The port every snapshot source implements: a working folder, a git commit, a store.
 * `list` returns entries below a folder prefix (sorted by path); `read` returns file bytes.
 */
export interface TreeReader {
  readonly description: string;
  /** The commit it reads (a full sha), when it reads one; a working folder reader has none. */
  readonly commit?: string;
  list(prefix: string): Promise<TreeEntry[]>;
  read(paths: readonly string[]): Promise<Map<string, Uint8Array>>;
  /** Sizes in bytes of these files without reading them (absent files are left out). */
  sizes(paths: readonly string[]): Promise<Map<string, number>>;
  /**
   * One file's bytes in chunks, so an asset binary of gigabytes never sits in memory whole.
   * Iterate it once; a missing file rejects with FERRY_E_NOT_FOUND.
   */
  stream(path: string): AsyncIterable<Uint8Array>;
}

/** One parsed object of a snapshot, with where it came from. */
export interface SnapshotEntry<O extends FerryObject = FerryObject> {
  /** Identity: guid, or `language:<code>` for languages (see `objectKey`). */
  key: string;
  kind: ObjectKind;
  codeName: string;
  /** Path of the YAML file, relative to the repository root. */
  path: string;
  /** Git blob id of the YAML file bytes: equal hashes mean equal files. */
  hash: string;
  object: O;
}

/** An asset binary beside its YAML file. Bytes are read on demand. */
export interface BinaryEntry {
  path: string;
  oid: string;
  size?: number;
  /** Set when the file is a Git LFS pointer: the object it names (the asset's real bytes). */
  lfs?: { sha256: string; size: number };
}

/** The full set of objects at one point: a commit, a folder, or an environment's store. */
export interface Snapshot {
  /** Objects by key, inserted in path order. */
  entries: Map<string, SnapshotEntry>;
  /** Asset binaries by path. */
  binaries: Map<string, BinaryEntry>;
  /** Problems found while reading (YAML, schema, paths). */
  diagnostics: Diagnostic[];
  /** Git commit the snapshot was read from, when it was. */
  commit?: string;
}

export function emptySnapshot(): Snapshot {
  return { entries: new Map(), binaries: new Map(), diagnostics: [] };
}
