/**
 * Canonical encoding: one object → the exact bytes of its file (docs/file-format.md). The same
 * object always gives the same bytes: header comment, fixed key order per kind, maps of values
 * sorted by code point, block literals for multi-line text, LF, two-space indent, final newline.
 *
 * The `yaml` package defines the bytes (emit-yaml.ts); a direct writer (emit-fast.ts) produces the
 * same text ~10x faster for the common shapes and hands anything unusual back to it.
 */
import type { FerryObject } from '../model/index.js';
import { objectTree } from './canonical-tree.js';
import { emitFast } from './emit-fast.js';
import { emitWithYaml } from './emit-yaml.js';
import { schemaRef } from './layout.js';

const utf8 = new TextEncoder();

/** The canonical bytes of an object's file; `path` (relative to the repository root) sets the schema link. */
export function encodeObject(object: FerryObject, path: string): Uint8Array {
  return utf8.encode(encodeObjectText(object, path));
}

/** The canonical text of an object's file. */
export function encodeObjectText(object: FerryObject, path: string): string {
  const tree = objectTree(object);
  const body = emitFast(tree) ?? emitWithYaml(tree);
  return `# yaml-language-server: $schema=${schemaRef(object.kind, path)}\n${body}`;
}
