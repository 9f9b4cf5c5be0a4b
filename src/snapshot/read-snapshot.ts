import { createHash } from 'node:crypto';
import { isIncluded } from '../config/index.js';
import { decodeFile, type DecodeFileResult } from '../format/decode.js';
import { gitBlobOid } from '../format/git-oid.js';
import { parseLfsPointer } from '../format/lfs-pointer.js';
import { classifyPath, folderPrefix } from '../format/layout.js';
import { compareCodePoints } from '../model/compare.js';
import type { RepositoryConfig } from '../model/config.js';
import { compareDiagnostics, type Diagnostic } from '../model/diagnostic.js';
import type { BinaryEntry, Snapshot, SnapshotEntry, TreeReader } from '../model/snapshot.js';
import { DecodePool } from './decode-pool.js';

/** A snapshot as read from files, with what validation needs beyond the objects themselves. */
export interface LoadedSnapshot extends Snapshot {
  /**
   * Every decoded, included entry in path order, duplicates too: `entries` keeps only the first
   * file of each key, so duplicate guids can only be found here.
   */
  allEntries: SnapshotEntry[];
  /** Text of a YAML file that was read (for line/column of diagnostics); undefined for others. */
  sourceText(path: string): string | undefined;
  /**
   * Size and sha256 of every asset binary read, by repository path. For a Git LFS pointer they
   * are the LFS object's (what the pointer names), with `lfs` set.
   */
  binaryInfo: Map<string, BinaryInfo>;
  /** Paths of valid object files left out by the config's `kinds` or code-name filters. */
  filteredOut: string[];
}

export interface ReadSnapshotOptions {
  /** Called after each batch with files done and files to read in all. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Which YAML texts `sourceText` can give: `all` (default; validation may point into any file)
   * or `failed` (only files that did not decode, saving about the repository's size in memory
   * when nothing else needs positions, e.g. a restore that stops on the first error anyway).
   */
  keepSourceText?: 'all' | 'failed';
  /**
   * Worker threads parsing YAML beside the reads: default 2 for loads of POOL_MIN_FILES files or
   * more (see decode-pool.ts), 0 to parse on this thread.
   */
  decodeWorkers?: number;
}

/** YAML files from which a load parses in worker threads (below, starting them costs more than they save). */
export const POOL_MIN_FILES = 20_000;
/** Files parsed between two looks at pending reads (~1-2 ms of parsing). */
const YIELD_EVERY = 20;
const yieldToIo = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
/** Decode jobs in flight at once: keeps every worker busy without holding the whole repository's bytes. */
const JOBS_IN_FLIGHT = 6;

/**
 * YAML files per read: big enough for one cheap `cat-file` round trip, small enough that parsing
 * starts soon and overlaps the reads behind it (1,000 made a 1% diff wait for whole batches).
 */
const YAML_BATCH = 200;
/** Asset binaries per read (small ones; large ones stream one by one). */
const BINARY_BATCH = 64;
/** Reads in flight ahead of the batch being parsed. */
const READ_AHEAD = 8;

/** `content` → `content`, `.` → `` (the prefix `list` takes). */
export function folderListPrefix(config: RepositoryConfig): string {
  return folderPrefix(config.folder).replace(/\/$/, '');
}

/**
 * Reads the whole repository folder through a reader: lists it, classifies every path (a file
 * that does not belong is a FERRY_E_PATH diagnostic), reads and decodes every YAML file in
 * batches, keeps the objects the config includes, and hashes asset binaries. Never throws for
 * bad content: problems are diagnostics.
 *
 * @example
 * const snapshot = await readSnapshot(createCommitReader(git, sha), config);
 */
export async function readSnapshot(reader: TreeReader, config: RepositoryConfig, opts: ReadSnapshotOptions = {}): Promise<LoadedSnapshot> {
  const listed = await reader.list(folderListPrefix(config));
  return load(reader, config, listed, opts);
}

/**
 * Reads only the given paths (changed files of an incremental diff or deploy) as a partial
 * snapshot. Paths the reader does not have are skipped; paths outside the folder are ignored.
 * A path may come with its blob id (from a tree diff), which saves hashing its bytes.
 */
export async function readSnapshotPaths(
  reader: TreeReader,
  config: RepositoryConfig,
  paths: ReadonlyArray<string | { path: string; oid?: string }>,
  opts: ReadSnapshotOptions = {},
): Promise<LoadedSnapshot> {
  const byPath = new Map<string, FileRef>();
  for (const p of paths) {
    const ref: FileRef = typeof p === 'string' ? { path: p } : p;
    if (!byPath.has(ref.path) || ref.oid !== undefined) byPath.set(ref.path, ref);
  }
  const files = [...byPath.values()].sort((a, b) => compareCodePoints(a.path, b.path));
  return load(reader, config, files, opts);
}

/** Size and sha256 of an asset's real bytes; `lfs` when the file in the tree is an LFS pointer. */
export interface BinaryInfo {
  size: number;
  sha256: string;
  lfs?: boolean;
}

/** Binaries up to this size are read in one batch call; larger ones are streamed through the hash. */
export const STREAM_BINARIES_ABOVE = 1024 * 1024;

/**
 * Sizes, sha256 and git blob ids of one batch of binaries. Small files (LFS pointers among them)
 * are read at once; large ones are streamed, so memory does not grow with an asset's size.
 */
async function readBinaries(reader: TreeReader, batch: readonly FileRef[]): Promise<Map<string, { entry: BinaryEntry; info: BinaryInfo }>> {
  const out = new Map<string, { entry: BinaryEntry; info: BinaryInfo }>();
  const sizes = await reader.sizes(batch.map((f) => f.path));
  const small = batch.filter((f) => (sizes.get(f.path) ?? Infinity) <= STREAM_BINARIES_ABOVE);
  const bytesByPath = small.length ? await reader.read(small.map((f) => f.path)) : new Map<string, Uint8Array>();
  for (const f of batch) {
    const size = sizes.get(f.path);
    if (size === undefined) continue;
    const bytes = bytesByPath.get(f.path);
    if (bytes) {
      const entry: BinaryEntry = { path: f.path, oid: oidOf(f) ?? gitBlobOid(bytes), size: bytes.byteLength };
      const pointer = parseLfsPointer(bytes);
      if (pointer) entry.lfs = pointer;
      const info: BinaryInfo = pointer ? { size: pointer.size, sha256: pointer.sha256, lfs: true } : { size: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') };
      out.set(f.path, { entry, info });
    } else if (size > STREAM_BINARIES_ABOVE) {
      // Both hashes on the way: asking a folder listing's entry for its oid would read it whole.
      const sha256 = createHash('sha256');
      const sha1 = createHash('sha1').update(`blob ${size}\0`);
      let streamed = 0;
      for await (const chunk of reader.stream(f.path)) {
        sha256.update(chunk);
        sha1.update(chunk);
        streamed += chunk.byteLength;
      }
      out.set(f.path, { entry: { path: f.path, oid: sha1.digest('hex'), size: streamed }, info: { size: streamed, sha256: sha256.digest('hex') } });
    }
  }
  return out;
}

/** A file to load; `oid` when the listing has it (saves hashing the bytes again). */
interface FileRef {
  path: string;
  oid?: string;
}

async function load(reader: TreeReader, config: RepositoryConfig, files: readonly FileRef[], opts: ReadSnapshotOptions): Promise<LoadedSnapshot> {
  const diagnostics: Diagnostic[] = [];
  const yaml: FileRef[] = [];
  const binary: FileRef[] = [];
  for (const f of files) {
    const c = classifyPath(f.path, config.folder);
    if (c.type === 'object') yaml.push(f);
    else if (c.type === 'binary') binary.push(f);
    // A misplaced YAML file is still decoded: its content makes a better message.
    else if (c.type === 'unknown' && /\.ya?ml$/i.test(f.path)) yaml.push(f);
    else if (c.type === 'unknown') diagnostics.push({ code: 'FERRY_E_PATH', severity: 'error', message: c.reason, file: f.path });
  }

  const total = yaml.length + binary.length;
  let done = 0;
  const texts = new Map<string, Uint8Array>();
  const allEntries: SnapshotEntry[] = [];
  const filteredOut: string[] = [];
  const decodeOpts = { folder: config.folder, maxFileSize: config.maxFileSize };
  const keepAll = (opts.keepSourceText ?? 'all') === 'all';

  const apply = (batchSize: number, batch: readonly FileRef[], bytesByPath: Map<string, Uint8Array>, results: readonly DecodeFileResult[]): void => {
    results.forEach((r, i) => {
      const path = batch[i].path;
      if (keepAll) texts.set(path, bytesByPath.get(path)!);
      if (!r.ok) {
        diagnostics.push(...r.diagnostics);
        texts.set(path, bytesByPath.get(path)!);
      } else if (!isIncluded(config, r.entry.kind, r.entry.codeName)) filteredOut.push(path);
      else allEntries.push(r.entry);
    });
    done += batchSize;
    opts.onProgress?.(done, total);
  };
  const inputsOf = (batch: readonly FileRef[], bytesByPath: Map<string, Uint8Array>) => {
    const present = batch.filter((f) => bytesByPath.has(f.path));
    // Accessed after the read: a folder reader hashed the bytes while reading them.
    return { present, inputs: present.map((f) => ({ path: f.path, bytes: bytesByPath.get(f.path)!, oid: oidOf(f) })) };
  };

  const workers = opts.decodeWorkers ?? (yaml.length >= POOL_MIN_FILES ? 2 : 0);
  if (workers > 0) {
    const pool = DecodePool.create(workers);
    try {
      // Jobs go out as batches arrive and are applied in order, so entries stay in path order.
      const inFlight: Promise<void>[] = [];
      let applied = Promise.resolve();
      await inBatches(reader, yaml, YAML_BATCH, async (batch, bytesByPath) => {
        const { present, inputs } = inputsOf(batch, bytesByPath);
        const decoded = pool.decode(inputs, decodeOpts);
        decoded.catch(() => undefined);
        applied = applied.then(async () => apply(batch.length, present, bytesByPath, await decoded));
        inFlight.push(applied);
        if (inFlight.length >= JOBS_IN_FLIGHT) await inFlight.shift();
      });
      await applied;
    } finally {
      await pool.close();
    }
  } else {
    await inBatches(reader, yaml, YAML_BATCH, async (batch, bytesByPath) => {
      const { present, inputs } = inputsOf(batch, bytesByPath);
      const results: DecodeFileResult[] = [];
      for (let i = 0; i < inputs.length; i++) {
        // Let pending reads land now and then: a pipe holds 64 KB, so git (or the disk) stalls
        // behind a thread that parses for long stretches, and reading stops overlapping parsing.
        if (i > 0 && i % YIELD_EVERY === 0) await yieldToIo();
        results.push(decodeFile(inputs[i], decodeOpts));
      }
      apply(batch.length, present, bytesByPath, results);
    });
  }

  const binaries = new Map<string, BinaryEntry>();
  const binaryInfo = new Map<string, BinaryInfo>();
  for (let i = 0; i < binary.length; i += BINARY_BATCH) {
    const batch = binary.slice(i, i + BINARY_BATCH);
    for (const [path, found] of await readBinaries(reader, batch)) {
      binaries.set(path, found.entry);
      binaryInfo.set(path, found.info);
    }
    done += batch.length;
    opts.onProgress?.(done, total);
  }

  const entries = new Map<string, SnapshotEntry>();
  for (const e of allEntries) if (!entries.has(e.key)) entries.set(e.key, e);
  diagnostics.sort(compareDiagnostics);

  const decoder = new TextDecoder('utf-8');
  const snapshot: LoadedSnapshot = {
    entries,
    binaries,
    diagnostics,
    allEntries,
    binaryInfo,
    filteredOut,
    sourceText: (path) => {
      const bytes = texts.get(path);
      return bytes === undefined ? undefined : decoder.decode(bytes);
    },
  };
  if (reader.commit !== undefined) snapshot.commit = reader.commit;
  return snapshot;
}

function oidOf(f: FileRef): string | undefined {
  return 'oid' in f ? f.oid : undefined;
}

/**
 * Reads files batch by batch, keeping a few reads in flight ahead of the batch being handled, so
 * git (or the disk) keeps working while this thread parses. Everything read is kept by the caller
 * anyway, so reading ahead costs no extra memory at the end.
 */
async function inBatches(
  reader: TreeReader,
  files: readonly FileRef[],
  size: number,
  handle: (batch: readonly FileRef[], bytes: Map<string, Uint8Array>) => void | Promise<void>,
): Promise<void> {
  const batches: FileRef[][] = [];
  for (let i = 0; i < files.length; i += size) batches.push(files.slice(i, i + size));
  const inFlight: Promise<Map<string, Uint8Array>>[] = [];
  const start = (i: number) => {
    const p = reader.read(batches[i].map((f) => f.path));
    // A failed read must not go unhandled while earlier batches are handled; it rethrows when awaited.
    p.catch(() => undefined);
    inFlight[i] = p;
  };
  for (let i = 0; i < Math.min(READ_AHEAD, batches.length); i++) start(i);
  for (let i = 0; i < batches.length; i++) {
    const bytes = await inFlight[i];
    delete inFlight[i];
    if (i + READ_AHEAD < batches.length) start(i + READ_AHEAD);
    await handle(batches[i], bytes);
  }
}
