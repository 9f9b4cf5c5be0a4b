/**
 * `ferry merge-file`'s pure part: the three versions of one content file (as git hands them to a
 * merge driver) → the merged file text and its conflicts. The three are parsed and checked
 * against their file schema, merged as objects (`merge-objects.ts`) and written with the
 * canonical encoder, so a clean merge is canonical bytes. A conflicted merge is the two canonical
 * resolutions with markers where they differ. When a version is not a Ferry object (broken YAML,
 * another kind of file, markers already in it), the file is merged by lines like git would.
 */
import { decodeValue, encodeObjectText, objectPath, parseYaml } from '../format/index.js';
import type { Diagnostic, FerryObject } from '../model/index.js';
import { DEFAULT_LABELS, writeConflictMarkers, type MarkerLabels } from './conflict-text.js';
import { mergeObjects, type ObjectConflict } from './merge-objects.js';
import { mergeText } from './merge-text.js';

export interface FileMergeInput {
  /** The common ancestor's text; empty when both sides added the file. */
  base: string;
  ours: string;
  theirs: string;
  /** The file's path in the repository (git's `%P`): names it in messages and sets the schema link. */
  path?: string;
  labels?: MarkerLabels;
}

export interface MergeConflictReport {
  /** Dotted path inside the object, e.g. `variants.en-US.fields.title` (`` for the whole object). */
  at: string;
  reason: ObjectConflict['reason'] | 'lines';
  ours: string;
  theirs: string;
}

export interface FileMerge {
  /** The merged text: canonical when clean, with conflict markers otherwise. */
  text: string;
  clean: boolean;
  /** `objects`: merged by guid and field; `lines`: a version was not a Ferry object (see `fallbackReason`). */
  method: 'objects' | 'lines';
  fallbackReason?: string;
  conflicts: MergeConflictReport[];
  /** A clean merge that does not match its file schema (e.g. both sides removed the last variant). */
  diagnostics: Diagnostic[];
}

const HEADER_PREFIX = '# yaml-language-server: $schema=';

/**
 * Merges the three versions of one content file.
 * @example
 * const r = mergeContentFile({ base, ours, theirs, path: 'content/items/article/coffee-origins.yaml' });
 * if (!r.clean) for (const c of r.conflicts) console.log(c.at, c.ours, c.theirs);
 */
export function mergeContentFile(input: FileMergeInput): FileMerge {
  const name = input.path ?? 'the file';
  const labels = input.labels ?? DEFAULT_LABELS;
  const base: Read = input.base.trim() === '' ? { ok: true, object: undefined } : readObject(input.base, name);
  const ours = readObject(input.ours, name);
  const theirs = readObject(input.theirs, name);
  if (!ours.ok) return mergeLines(input, labels, `our version is not a Ferry object: ${ours.reason}`);
  if (!theirs.ok) return mergeLines(input, labels, `their version is not a Ferry object: ${theirs.reason}`);
  if (!base.ok) return mergeLines(input, labels, `the base version is not a Ferry object: ${base.reason}`);
  if (!ours.object || !theirs.object) return mergeLines(input, labels, 'a version is empty');
  const merge = mergeObjects(base.object, ours.object, theirs.object);
  const encode = (o: FerryObject) => {
    // (Without the path, a folder's place is unknown: any will do, the header is replaced below.)
    const text = encodeObjectText(o, input.path ?? objectPath(o, '.', () => 'folder'));
    if (input.path !== undefined) return text;
    // Without the path, keep our version's schema link (its depth depends on the folder).
    const header = input.ours.slice(0, input.ours.indexOf('\n') + 1);
    return header.startsWith(HEADER_PREFIX) ? header + text.slice(text.indexOf('\n') + 1) : text;
  };
  const oursText = encode(merge.ours);
  const theirsText = merge.conflicts.length === 0 ? oursText : encode(merge.theirs);
  const conflicts = merge.conflicts.map((c) => ({ at: c.path.join('.'), reason: c.reason, ours: show(c.ours), theirs: show(c.theirs) }));
  if (oursText === theirsText) {
    // Conflicting values the canonical bytes cannot tell apart (e.g. `-0` and `0`) are no conflict.
    const check = decodeValue(merge.ours, { file: name });
    return { text: oursText, clean: check.ok, method: 'objects', conflicts: [], diagnostics: check.ok ? [] : check.diagnostics };
  }
  return { text: writeConflictMarkers(oursText, theirsText, { labels, whole: merge.whole }), clean: false, method: 'objects', conflicts, diagnostics: [] };
}

type Read = { ok: true; object: FerryObject | undefined } | { ok: false; reason: string };

function readObject(text: string, name: string): Read {
  const parsed = parseYaml(text, { filename: name, maxFileSize: Number.MAX_SAFE_INTEGER });
  if (!parsed.ok) return { ok: false, reason: parsed.diagnostics[0]?.message ?? 'it does not parse' };
  const decoded = decodeValue(parsed.value, { file: name, text });
  if (!decoded.ok) return { ok: false, reason: decoded.diagnostics[0]?.message ?? 'it does not match its schema' };
  return { ok: true, object: decoded.object };
}

/** git's own kind of merge, for files that are not Ferry objects: diff3 over the whole text. */
function mergeLines(input: FileMergeInput, labels: MarkerLabels, reason: string): FileMerge {
  const r = mergeText(input.base, input.ours, input.theirs);
  const conflicts = r.conflicts.map((c) => ({ at: '', reason: 'lines' as const, ours: c.ours.join('\n'), theirs: c.theirs.join('\n') }));
  const text = conflicts.length === 0 ? r.ours : writeConflictMarkers(r.ours, r.theirs, { labels });
  return { text, clean: conflicts.length === 0, method: 'lines', fallbackReason: reason, conflicts, diagnostics: [] };
}

const MAX_SHOWN = 120;

function show(v: unknown): string {
  const s = v === undefined ? '(deleted)' : typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > MAX_SHOWN ? `${s.slice(0, MAX_SHOWN - 1)}…` : s;
}
