/**
 * Source positions for diagnostics: a JSON Pointer (as ajv's `instancePath`) → 1-based line and
 * column in the file. Uses `yaml`'s `parseDocument` + `LineCounter`, which keeps node ranges; it
 * is ~9x slower than the js-yaml read, so it only runs for files that failed validation.
 */
import { createRequire } from 'node:module';
import type { Node, Pair } from 'yaml';

// Loaded on first use: only a file with a finding needs positions, and importing `yaml` costs
// ~30 ms of every command's start.
const require = createRequire(import.meta.url);
let yamlModule: typeof import('yaml') | undefined;
const yaml = (): typeof import('yaml') => (yamlModule ??= require('yaml') as typeof import('yaml'));

export interface Position {
  line: number;
  column: number;
}

export interface LocateOptions {
  /** Point at the key of the target instead of its value (e.g. for an unknown key). */
  key?: boolean;
}

/** Splits a JSON Pointer into unescaped tokens: `/a~1b/c~0d` → `['a/b', 'c~d']`. */
export function pointerTokens(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * Where the node at `pointer` is: its value node (its key with `key: true`). When the target does
 * not exist, the key of the nearest existing ancestor (or the start of the document's content).
 */
export function locatePointer(text: string, pointer: string, opts: LocateOptions = {}): Position | undefined {
  const { isMap, isPair, isSeq, LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: false, uniqueKeys: false });
  const at = (node: Node | null | undefined): Position | undefined => {
    const offset = node?.range?.[0];
    if (offset === undefined) return undefined;
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };

  let node: unknown = doc.contents;
  let lastPair: Pair<unknown, unknown> | undefined;
  const tokens = pointerTokens(pointer);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    let pair: Pair<unknown, unknown> | undefined;
    let next: unknown;
    if (isMap(node)) {
      pair = node.items.find((p) => isPair(p) && keyText(p.key) === token);
      next = pair?.value;
    } else if (isSeq(node) && /^(0|[1-9][0-9]*)$/.test(token)) {
      next = node.items[Number(token)];
    }
    if (pair === undefined && next === undefined) {
      // Missing: the nearest existing ancestor's key, or the ancestor itself.
      return (lastPair && at(lastPair.key as Node)) ?? at(node as Node) ?? at(doc.contents as Node);
    }
    const isLast = i === tokens.length - 1;
    if (isLast && opts.key && pair) return at(pair.key as Node) ?? at(next as Node);
    if (isLast && pair && (next === null || next === undefined || isEmptyScalar(next))) {
      // `key:` with no value: the key is the best place to point at.
      return at(pair.key as Node);
    }
    if (pair) lastPair = pair;
    node = next;
  }
  return at(node as Node) ?? (lastPair && at(lastPair.key as Node)) ?? at(doc.contents as Node);
}

function keyText(key: unknown): string | undefined {
  if (yaml().isScalar(key)) return key.value === null ? 'null' : String(key.value);
  return undefined;
}

function isEmptyScalar(n: unknown): boolean {
  return yaml().isScalar(n) && n.value === null && (n.source === '' || n.source === undefined);
}
