/**
 * `ferry fmt` for one file: decode, then encode canonically. Pure: the caller writes the bytes
 * back (only when `changed`).
 */
import type { Diagnostic } from '../model/index.js';
import { decodeFile, type DecodeOptions } from './decode.js';
import { encodeObject } from './encode.js';

export type FormatFileResult = { ok: true; bytes: Uint8Array; changed: boolean } | { ok: false; diagnostics: Diagnostic[] };

/** The canonical bytes of a file, and whether they differ from the file's bytes. */
export function formatFile(file: { path: string; bytes: Uint8Array }, opts: DecodeOptions): FormatFileResult {
  const decoded = decodeFile(file, opts);
  if (!decoded.ok) return decoded;
  const bytes = encodeObject(decoded.entry.object, file.path);
  return { ok: true, bytes, changed: !sameBytes(bytes, file.bytes) };
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}
