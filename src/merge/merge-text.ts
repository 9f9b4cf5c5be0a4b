/**
 * Three-way merge of one text by lines (diff3), for rich and long text inside a field. Lines the
 * three versions share at both ends are set aside first, so an edit in a 100 KB body costs the
 * LCS of the changed middle only. The result is two resolutions that differ only where both
 * sides changed the same lines differently: `ours` keeps our lines there, `theirs` theirs.
 */
import { diff3Merge } from 'node-diff3';

export interface TextMerge {
  ours: string;
  theirs: string;
  /** Hunks where both sides changed the same lines differently. */
  conflicts: TextConflict[];
}

export interface TextConflict {
  /** The conflicting lines of each side (without line ends). */
  ours: string[];
  theirs: string[];
}

/** Splits a text into lines, each keeping its `\n`, so joining them gives the text back. */
export function splitLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', start)) {
    lines.push(text.slice(start, i + 1));
    start = i + 1;
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

/** Merges `ours` and `theirs`, both derived from `base`, line by line. */
export function mergeText(base: string, ours: string, theirs: string): TextMerge {
  if (ours === theirs || theirs === base) return { ours, theirs: ours, conflicts: [] };
  if (ours === base) return { ours: theirs, theirs, conflicts: [] };
  const o = splitLines(base);
  const a = splitLines(ours);
  const b = splitLines(theirs);
  let head = 0;
  while (head < o.length && head < a.length && head < b.length && o[head] === a[head] && o[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < o.length - head &&
    tail < a.length - head &&
    tail < b.length - head &&
    o[o.length - 1 - tail] === a[a.length - 1 - tail] &&
    o[o.length - 1 - tail] === b[b.length - 1 - tail]
  ) {
    tail++;
  }
  const oursOut = a.slice(0, head);
  const theirsOut = a.slice(0, head);
  const conflicts: TextConflict[] = [];
  const regions = diff3Merge(a.slice(head, a.length - tail), o.slice(head, o.length - tail), b.slice(head, b.length - tail), { excludeFalseConflicts: true });
  for (const region of regions) {
    if (region.ok) {
      oursOut.push(...region.ok);
      theirsOut.push(...region.ok);
    } else if (region.conflict) {
      oursOut.push(...region.conflict.a);
      theirsOut.push(...region.conflict.b);
      conflicts.push({ ours: region.conflict.a.map(chompLine), theirs: region.conflict.b.map(chompLine) });
    }
  }
  const suffix = a.slice(a.length - tail);
  const mergedOurs = oursOut.concat(suffix).join('');
  const mergedTheirs = conflicts.length === 0 ? mergedOurs : theirsOut.concat(suffix).join('');
  return { ours: mergedOurs, theirs: mergedTheirs, conflicts };
}

function chompLine(line: string): string {
  return line.endsWith('\n') ? line.slice(0, -1) : line;
}
