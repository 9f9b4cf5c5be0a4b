import { rename, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { loadRepository } from '../../api/context.js';
import { EXIT } from '../../errors/catalog.js';
import { createHash } from 'node:crypto';
import { decodeFile } from '../../format/decode.js';
import { encodeObject } from '../../format/encode.js';
import { formatFile, sameBytes, type FormatFileResult } from '../../format/fmt.js';
import { assetBinaryPath, classifyPath } from '../../format/layout.js';
import { LFS_POINTER_MAX_BYTES, parseLfsPointer } from '../../format/lfs-pointer.js';
import type { Diagnostic } from '../../model/index.js';
import { renderDiagnosticsText } from '../../report/diagnostics.js';
import { createFolderReader, folderListPrefix, type FolderReader } from '../../snapshot/index.js';
import { resolveFormat, useColor, type CliIo } from '../io.js';
import { contextOf } from './ctx.js';

export default async function fmt(io: CliIo, args: unknown[], opts: Record<string, any>): Promise<number> {
  const [paths] = args as [string[] | undefined];
  const repo = await loadRepository(contextOf(io));
  const folder = repo.config.folder;
  const prefixes = (paths ?? []).map((p) => relative(repo.root, resolve(io.cwd, p)).split('\\').join('/'));
  // Every read goes through the folder reader, which refuses symbolic links (FERRY_E_SYMLINK).
  const reader = createFolderReader(repo.root);
  const listed = await reader.list(folderListPrefix(repo.config));
  const files = listed
    .map((e) => e.path)
    .filter((p) => classifyPath(p, folder).type === 'object')
    .filter((p) => !prefixes.length || prefixes.some((pre) => p === pre || p.startsWith(pre.endsWith('/') ? pre : `${pre}/`)));
  const changed: string[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const path of files) {
    const bytes = await readOne(reader, path);
    if (!bytes) continue;
    const r = opts.fixAssets ? await fixAsset(reader, path, bytes, folder, repo.config.maxFileSize) : formatFile({ path, bytes }, { folder, maxFileSize: repo.config.maxFileSize });
    if (!r.ok) {
      diagnostics.push(...r.diagnostics);
      continue;
    }
    if (!r.changed) continue;
    changed.push(path);
    if (!opts.check) {
      const tmp = join(repo.root, `${path}.ferry-tmp`);
      await writeFile(tmp, r.bytes);
      await rename(tmp, join(repo.root, path));
    }
  }
  const json = resolveFormat(io, opts, ['text', 'json']) === 'json';
  if (json) {
    io.stdout.write(JSON.stringify({ status: diagnostics.length || (opts.check && changed.length) ? 'error' : 'ok', check: Boolean(opts.check), files: files.length, changed, diagnostics }, null, 2) + '\n');
  } else {
    if (diagnostics.length) io.stderr.write(renderDiagnosticsText(diagnostics, { color: useColor(io, opts) }));
    for (const p of changed) io.stdout.write(`${opts.check ? 'not canonical' : 'formatted'}  ${p}\n`);
    io.stdout.write(
      opts.check
        ? changed.length
          ? `${changed.length} of ${files.length} files are not canonical: run \`ferry fmt\`.\n`
          : `All ${files.length} files are canonical.\n`
        : `${changed.length} of ${files.length} files rewritten.\n`,
    );
  }
  if (diagnostics.some((d) => d.severity === 'error')) return EXIT.user;
  return opts.check && changed.length ? EXIT.user : EXIT.ok;
}

/**
 * `--fix-assets`: the canonical file, with size and sha256 recomputed from the binary beside it.
 * A Git LFS pointer (a clone without smudging) gives the size and sha256 of the object it names;
 * a real binary is hashed as it streams, so a video needs no memory of its size. Read through the
 * folder reader, which refuses symbolic links.
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
  const fixed = { ...object, ...measured };
  const out = encodeObject(fixed, path);
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
