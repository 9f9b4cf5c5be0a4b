import { createHash } from 'node:crypto';
import { rename, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { FerryError } from '../errors/index.js';
import { decodeFile } from '../format/decode.js';
import { encodeObject } from '../format/encode.js';
import { formatFile, sameBytes, type FormatFileResult } from '../format/fmt.js';
import { assetBinaryPath, classifyPath } from '../format/layout.js';
import { LFS_POINTER_MAX_BYTES, parseLfsPointer } from '../format/lfs-pointer.js';
import type { Diagnostic } from '../model/index.js';
import { createFolderReader, folderListPrefix, type FolderReader } from '../snapshot/index.js';
import type { RepositoryContext } from './context.js';

export interface FormatRequest {
  /** Files or folders, relative to the context's `cwd`; none: the whole repository folder. */
  paths?: readonly string[];
  /** Change nothing: report the files that are not canonical (FERRY_E_FMT, one finding each). */
  check?: boolean;
  /** Also recompute each asset's size and sha256 from its binary. */
  fixAssets?: boolean;
}

export interface FormatResult {
  /** Object files looked at. */
  files: number;
  /** Files rewritten, or with `check`, not canonical. */
  changed: string[];
  /** Files that do not decode, and with `check` one FERRY_E_FMT error per file in `changed`. */
  diagnostics: Diagnostic[];
}

/**
 * `ferry fmt`: rewrites the repository folder's object files canonically (temp file + rename),
 * or with `check` only says which are not. Every read goes through the folder reader, which
 * refuses symbolic links (FERRY_E_SYMLINK).
 */
export async function formatRepository(rc: RepositoryContext, req: FormatRequest): Promise<FormatResult> {
  const { repo } = rc;
  const folder = repo.config.folder;
  const paths = req.paths ?? [];
  const prefixes = paths.map((p) => relative(repo.root, resolve(rc.cwd, p)).split('\\').join('/'));
  const reader = createFolderReader(repo.root);
  const listed = await reader.list(folderListPrefix(repo.config));
  const files = listed
    .map((e) => e.path)
    .filter((p) => classifyPath(p, folder).type === 'object')
    .filter((p) => !prefixes.length || prefixes.some((pre) => under(p, pre)));
  const unmatched = paths.filter((_p, i) => !listed.some((e) => under(e.path, prefixes[i])));
  if (unmatched.length) {
    throw new FerryError('FERRY_E_NOT_FOUND', `${unmatched.map((p) => `\`${p}\``).join(', ')} ${unmatched.length === 1 ? 'matches' : 'match'} no file in the repository folder ${folder}/`, {
      hint: `Name files or folders inside ${folder}/ (relative to the current folder), e.g. ${folder}/items.`,
      data: { paths: unmatched },
    });
  }
  const changed: string[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const path of files) {
    const bytes = await readOne(reader, path);
    if (!bytes) continue;
    const r = req.fixAssets ? await fixAsset(reader, path, bytes, folder, repo.config.maxFileSize) : formatFile({ path, bytes }, { folder, maxFileSize: repo.config.maxFileSize });
    if (!r.ok) {
      diagnostics.push(...r.diagnostics);
      continue;
    }
    if (!r.changed) continue;
    changed.push(path);
    if (req.check) {
      diagnostics.push({ code: 'FERRY_E_FMT', severity: 'error', message: 'not canonical: `ferry fmt` rewrites it', file: path });
    } else {
      const tmp = join(repo.root, `${path}.ferry-tmp`);
      await writeFile(tmp, r.bytes);
      await rename(tmp, join(repo.root, path));
    }
  }
  return { files: files.length, changed, diagnostics };
}

/** A path is the prefix itself or lies below it; the empty prefix (the repository root) holds everything. */
function under(path: string, prefix: string): boolean {
  return prefix === '' || path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`);
}

/**
 * `--fix-assets`: the canonical file, with size and sha256 recomputed from the binary beside it.
 * A Git LFS pointer (a clone without smudging) gives the size and sha256 of the object it names;
 * a real binary is hashed as it streams, so a video needs no memory of its size.
 */
async function fixAsset(reader: FolderReader, path: string, bytes: Uint8Array, folder: string, maxFileSize: number): Promise<FormatFileResult> {
  const decoded = decodeFile({ path, bytes }, { folder, maxFileSize });
  if (!decoded.ok) return decoded;
  const object = decoded.entry.object;
  if (object.kind !== 'asset' || object.source) return formatFile({ path, bytes }, { folder, maxFileSize });
  const binaryPath = assetBinaryPath(object, folder);
  const measured = await measureBinary(reader, binaryPath);
  if (!measured) {
    return { ok: false, diagnostics: [{ code: 'FERRY_E_ASSET', severity: 'error', message: `binary ${binaryPath} of asset \`${object.codeName}\` is missing`, file: path, object: { kind: 'asset', guid: object.guid, codeName: object.codeName } }] };
  }
  const out = encodeObject({ ...object, ...measured }, path);
  return { ok: true, bytes: out, changed: !sameBytes(out, bytes) };
}

async function measureBinary(reader: FolderReader, path: string): Promise<{ size: number; sha256: string } | undefined> {
  const size = (await reader.sizes([path])).get(path);
  if (size === undefined) return undefined;
  if (size <= LFS_POINTER_MAX_BYTES) {
    const small = await readOne(reader, path);
    if (!small) return undefined;
    return parseLfsPointer(small) ?? { size: small.byteLength, sha256: createHash('sha256').update(small).digest('hex') };
  }
  const hash = createHash('sha256');
  let total = 0;
  for await (const chunk of reader.stream(path)) {
    hash.update(chunk);
    total += chunk.byteLength;
  }
  return { size: total, sha256: hash.digest('hex') };
}

/** One file's bytes (undefined when it is gone). */
async function readOne(reader: FolderReader, path: string): Promise<Uint8Array | undefined> {
  return (await reader.read([path])).get(path);
}
