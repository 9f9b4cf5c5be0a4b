/**
 * Git LFS pointer files (https://github.com/git-lfs/git-lfs/blob/main/docs/spec.md): what git
 * holds in place of a binary tracked by LFS, e.g.
 *
 *     version https://git-lfs.github.com/spec/v1
 *     oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393
 *     size 12345
 *
 * The oid IS the sha256 of the real bytes, so an asset's `sha256` and `size` can be checked
 * against the LFS object without fetching it.
 */

/** Pointer files are at most this long (the spec's limit); anything longer is a real binary. */
export const LFS_POINTER_MAX_BYTES = 1024;

export interface LfsPointer {
  /** sha256 of the object, 64 lower-case hex digits. */
  sha256: string;
  /** Size of the object in bytes. */
  size: number;
}

const PREFIX = 'version https://git-lfs.github.com/spec/v1\n';
const PREFIX_BYTES = new TextEncoder().encode(PREFIX);
const OID_LINE = /^oid sha256:([0-9a-f]{64})$/;
const SIZE_LINE = /^size (0|[1-9][0-9]{0,15})$/;
const KEY = /^[a-z0-9.-]+ /;

/** True when the bytes start like a pointer file (cheap: no decoding). */
export function looksLikeLfsPointer(bytes: Uint8Array): boolean {
  if (bytes.byteLength > LFS_POINTER_MAX_BYTES || bytes.byteLength < PREFIX_BYTES.byteLength) return false;
  for (let i = 0; i < PREFIX_BYTES.byteLength; i++) if (bytes[i] !== PREFIX_BYTES[i]) return false;
  return true;
}

/**
 * The object a pointer file names, or undefined when the bytes are not a valid pointer.
 *
 * @example parseLfsPointer(bytes) // { sha256: '4d7a…', size: 12345 }
 */
export function parseLfsPointer(bytes: Uint8Array): LfsPointer | undefined {
  if (!looksLikeLfsPointer(bytes)) return undefined;
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  if (!text.endsWith('\n')) return undefined;
  const lines = text.slice(PREFIX.length, -1).split('\n');
  let sha256: string | undefined;
  let size: number | undefined;
  for (const line of lines) {
    const oid = OID_LINE.exec(line);
    const sz = SIZE_LINE.exec(line);
    if (oid) sha256 = oid[1];
    else if (sz) size = Number(sz[1]);
    else if (!KEY.test(line)) return undefined;
  }
  if (sha256 === undefined || size === undefined || !Number.isSafeInteger(size)) return undefined;
  return { sha256, size };
}

/** The canonical pointer file for an object (what `git lfs` writes). */
export function encodeLfsPointer(p: LfsPointer): Uint8Array {
  return new TextEncoder().encode(`${PREFIX}oid sha256:${p.sha256}\nsize ${p.size}\n`);
}
