/**
 * Writes a conflicted merge as one text with git-style markers. Its input is the merge's two
 * resolutions, each canonical; they differ only at the conflicts, so a line diff between them
 * puts markers around exactly the lines of each conflicting unit: choosing one side of every
 * hunk gives back that side's canonical file.
 */
import { diffComm } from 'node-diff3';
import { MARKER_OURS, MARKER_SEPARATOR, MARKER_THEIRS } from '../format/index.js';
import { splitLines } from './merge-text.js';

export interface MarkerLabels {
  ours: string;
  theirs: string;
}

export const DEFAULT_LABELS: MarkerLabels = { ours: 'ours', theirs: 'theirs' };

/**
 * The text with a marked hunk wherever `ours` and `theirs` differ. With `whole`, one hunk from the
 * first differing line to the last (two different objects are not mixed line by line).
 */
export function writeConflictMarkers(ours: string, theirs: string, opts: { labels?: MarkerLabels; whole?: boolean } = {}): string {
  const labels = opts.labels ?? DEFAULT_LABELS;
  const a = splitLines(ours).map(withNewline);
  const b = splitLines(theirs).map(withNewline);
  const hunk = (x: string[], y: string[]) => `${MARKER_OURS} ${labels.ours}\n${x.join('')}${MARKER_SEPARATOR}\n${y.join('')}${MARKER_THEIRS} ${labels.theirs}\n`;
  if (opts.whole) {
    let head = 0;
    while (head < a.length && head < b.length && a[head] === b[head]) head++;
    let tail = 0;
    while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
    if (head === a.length && head === b.length) return a.join('');
    return a.slice(0, head).join('') + hunk(a.slice(head, a.length - tail), b.slice(head, b.length - tail)) + a.slice(a.length - tail).join('');
  }
  let out = '';
  for (const part of diffComm(a, b)) {
    if (part.common) out += part.common.join('');
    else out += hunk(part.buffer1, part.buffer2);
  }
  return out;
}

function withNewline(line: string): string {
  return line.endsWith('\n') ? line : `${line}\n`;
}
