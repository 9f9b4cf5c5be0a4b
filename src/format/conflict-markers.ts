/**
 * Files with unresolved merge conflicts: git-style markers (`<<<<<<<`, optional `|||||||` base
 * section, `=======`, `>>>>>>>`, each at the start of a line). A file with markers is never an
 * object: `decodeFile` reports each conflict as FERRY_E_CONFLICT with its line, the object, the
 * field (found in the file with every conflict resolved to our side) and both sides' values,
 * which is what someone resolving it needs to see. The same reading works for files Ferry's merge
 * driver wrote (markers around the smallest unit) and for git's own line merge.
 */
import { createRequire } from 'node:module';
import type { ObjectRef } from '../errors/index.js';
import type { Diagnostic } from '../model/index.js';
import { parseYaml } from './parse-yaml.js';
import { pointerTokens } from './positions.js';

export const MARKER_OURS = '<<<<<<<';
export const MARKER_BASE = '|||||||';
export const MARKER_SEPARATOR = '=======';
export const MARKER_THEIRS = '>>>>>>>';

const require = createRequire(import.meta.url);
let yamlModule: typeof import('yaml') | undefined;
const yaml = (): typeof import('yaml') => (yamlModule ??= require('yaml') as typeof import('yaml'));

/** One conflict: line numbers are 1-based. */
export interface ConflictHunk {
  /** Line of the `<<<<<<<` marker in the file. */
  line: number;
  ours: string[];
  theirs: string[];
  /** First line of this hunk in the text resolved to ours / to theirs. */
  oursLine: number;
  theirsLine: number;
}

export interface SplitConflicts {
  hunks: ConflictHunk[];
  /** The file with every conflict resolved to our side, and to theirs. */
  ours: string;
  theirs: string;
}

const isMarker = (line: string, marker: string) => line.startsWith(marker) && (line.length === 7 || line[7] === ' ' || line[7] === '\r');

/** Whether the text has a line starting with `<<<<<<<` and one starting with `>>>>>>>` (cheap). */
export function hasConflictMarkers(text: string): boolean {
  return text.includes(MARKER_OURS) && /^<{7}(?: |\r?$)/m.test(text) && /^>{7}(?: |\r?$)/m.test(text);
}

/** Splits a text with conflict markers into its hunks and the two resolutions. Unclosed markers count as text. */
export function splitConflicts(text: string): SplitConflicts {
  const lines = text.split('\n');
  const ours: string[] = [];
  const theirs: string[] = [];
  const hunks: ConflictHunk[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!isMarker(line, MARKER_OURS)) {
      ours.push(line);
      theirs.push(line);
      continue;
    }
    const sep = findLine(lines, i + 1, MARKER_SEPARATOR);
    const end = sep < 0 ? -1 : findLine(lines, sep + 1, MARKER_THEIRS);
    if (end < 0) {
      ours.push(line);
      theirs.push(line);
      continue;
    }
    const baseAt = findLine(lines, i + 1, MARKER_BASE, sep);
    const oursLines = lines.slice(i + 1, baseAt >= 0 ? baseAt : sep);
    const theirsLines = lines.slice(sep + 1, end);
    hunks.push({ line: i + 1, ours: oursLines, theirs: theirsLines, oursLine: ours.length + 1, theirsLine: theirs.length + 1 });
    ours.push(...oursLines);
    theirs.push(...theirsLines);
    i = end;
  }
  return { hunks, ours: ours.join('\n'), theirs: theirs.join('\n') };
}

function findLine(lines: string[], from: number, marker: string, before = lines.length): number {
  for (let i = from; i < before; i++) if (isMarker(lines[i], marker)) return i;
  return -1;
}

/** FERRY_E_CONFLICT diagnostics, one per conflict in the file. */
export function conflictDiagnostics(file: string, text: string): Diagnostic[] {
  const split = splitConflicts(text);
  const parse = (t: string) => {
    const r = parseYaml(t, { filename: file, maxFileSize: Number.MAX_SAFE_INTEGER });
    return r.ok ? r.value : undefined;
  };
  const oursValue = parse(split.ours);
  const theirsValue = parse(split.theirs);
  const object = objectRef(oursValue) ?? objectRef(theirsValue);
  return split.hunks.map((h) => {
    // Each side's unit is found in its own resolution (list indices differ between the sides).
    const oursPointer = h.ours.length > 0 ? pointerAtLine(split.ours, h.oursLine, h.oursLine + h.ours.length - 1) : undefined;
    const theirsPointer = h.theirs.length > 0 ? pointerAtLine(split.theirs, h.theirsLine, h.theirsLine + h.theirs.length - 1) : undefined;
    let pointer = oursPointer ?? theirsPointer ?? '';
    // A hunk over the whole object of two different objects (a guid clash): the guid says it.
    if (pointer === '' && oursValue !== undefined && theirsValue !== undefined && valueAt(oursValue, '/guid') !== valueAt(theirsValue, '/guid')) pointer = '/guid';
    const named = pointer === '/guid' ? 'guid (two different objects)' : oursPointer !== undefined ? namedPath(oursValue, oursPointer) : namedPath(theirsValue, pointer);
    const field = named === '' ? 'the object' : named;
    const inText = isMultiLine(valueAt(oursValue, pointer)) || isMultiLine(valueAt(theirsValue, theirsPointer ?? pointer));
    const side = (value: unknown, own: string | undefined, lines: string[]) =>
      own === undefined ? (inText ? '(no lines)' : '(absent)') : describeSide(value, pointer === '/guid' ? pointer : own, lines);
    const ours = side(oursValue, oursPointer, h.ours);
    const theirs = side(theirsValue, theirsPointer, h.theirs);
    return {
      code: 'FERRY_E_CONFLICT',
      severity: 'error',
      file,
      line: h.line,
      column: 1,
      ...(object ? { object } : {}),
      pointer,
      message: `unresolved merge conflict in ${field}: ours ${ours}, theirs ${theirs}`,
      hint: 'Keep one side (or combine them) and delete the <<<<<<< ======= >>>>>>> lines, then run `ferry fmt` and `ferry validate`.',
    } satisfies Diagnostic;
  });
}

const isMultiLine = (v: unknown) => typeof v === 'string' && v.includes('\n');

/** A pointer as a dotted path, list elements by their `name` when they have one: `fields[body].required`. */
function namedPath(root: unknown, pointer: string): string {
  let v = root;
  let out = '';
  for (const t of pointerTokens(pointer)) {
    const next = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[t] : undefined;
    const name = Array.isArray(v) && typeof next === 'object' && next !== null ? (next as { name?: unknown }).name : undefined;
    out += Array.isArray(v) ? `[${typeof name === 'string' ? name : t}]` : `${out === '' ? '' : '.'}${t}`;
    v = next;
  }
  return out;
}

const MAX_VALUE_TEXT = 120;

/** A side's value at the pointer, short; for multi-line text just its conflicting lines. */
function describeSide(root: unknown, pointer: string, hunkLines: string[]): string {
  if (root === undefined) return hunkLines.length === 0 ? '(nothing)' : quote(dedent(hunkLines).join('\n'));
  const value = valueAt(root, pointer);
  if (value === undefined) return '(absent)';
  if (isMultiLine(value)) return quote(dedent(hunkLines).join('\n'));
  return quote(typeof value === 'string' ? value : JSON.stringify(value));
}

function quote(s: string): string {
  const short = s.length > MAX_VALUE_TEXT ? `${s.slice(0, MAX_VALUE_TEXT - 1)}…` : s;
  return JSON.stringify(short);
}

function dedent(lines: string[]): string[] {
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  return Number.isFinite(indent) ? lines.map((l) => l.slice(indent)) : lines;
}

function valueAt(root: unknown, pointer: string): unknown {
  let v = root;
  for (const t of pointerTokens(pointer)) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[t];
  }
  return v;
}

function objectRef(value: unknown): ObjectRef | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.kind !== 'string') return undefined;
  return { kind: v.kind, ...(typeof v.guid === 'string' ? { guid: v.guid } : {}), ...(typeof v.codeName === 'string' ? { codeName: v.codeName } : {}) };
}

/**
 * The JSON Pointer of the deepest map entry or list element whose lines include `line` to
 * `lastLine` (1-based), or undefined when the text does not parse.
 */
export function pointerAtLine(text: string, line: number, lastLine = line): string | undefined {
  const { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false });
  if (doc.errors.length > 0) return undefined;
  const lineOf = (offset: number) => lineCounter.linePos(offset).line;
  const tokens: string[] = [];
  let node: unknown = doc.contents;
  for (;;) {
    let next: unknown;
    if (isMap(node)) {
      for (const p of node.items) {
        if (!isPair(p) || !isScalar(p.key) || !p.key.range) continue;
        const start = lineOf(p.key.range[0]);
        const value = p.value as { range?: [number, number, number] } | null;
        const end = value?.range ? lineOf(Math.max(value.range[0], value.range[1] - 1)) : start;
        if (start <= line && lastLine <= end) {
          tokens.push(String(p.key.value));
          next = p.value;
        }
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const r = (item as { range?: [number, number, number] } | null)?.range;
        if (r && lineOf(r[0]) <= line && lastLine <= lineOf(Math.max(r[0], r[1] - 1))) {
          tokens.push(String(i));
          next = item;
        }
      });
    }
    if (next === undefined) break;
    node = next;
  }
  return tokens.length === 0 ? '' : `/${tokens.map((t) => t.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}
