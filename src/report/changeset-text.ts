import { summarizeChangeset, totalOpCounts } from '../diff/index.js';
import type { Change, ChangeOp, Changeset, Diagnostic, FieldChange } from '../model/index.js';
import { OBJECT_KINDS } from '../model/index.js';
import {
  OP_PAST,
  OP_SYMBOL,
  compactJson,
  contentTypeOf,
  describeObject,
  isLongTextChange,
  isMove,
  lineDiff,
  objectOf,
  plural,
  shortRevision,
  referenceText, richTextReferenceChanges, summarizeStructured,
} from './changeset-common.js';

export interface ChangesetTextOptions {
  /** ANSI colours (a TTY). */
  color: boolean;
  /** Counts only, like `git diff --stat`. */
  stat?: boolean;
  /** Unresolved merge conflicts (FERRY_E_CONFLICT diagnostics of the head): listed first. */
  conflicts?: readonly Diagnostic[];
}

const OPS: readonly ChangeOp[] = ['create', 'update', 'rename', 'delete'];

interface Paint {
  op(op: ChangeOp, s: string): string;
  removed(s: string): string;
  added(s: string): string;
  hunk(s: string): string;
  dim(s: string): string;
}

const NO_PAINT: Paint = { op: (_o, s) => s, removed: (s) => s, added: (s) => s, hunk: (s) => s, dim: (s) => s };
const ANSI = (code: string) => (s: string) => `\x1b[${code}m${s}\x1b[0m`;
const OP_COLOR: Readonly<Record<ChangeOp, string>> = { create: '32', update: '33', rename: '36', delete: '31' };
const COLOR_PAINT: Paint = {
  op: (o, s) => ANSI(OP_COLOR[o])(s),
  removed: ANSI('31'),
  added: ANSI('32'),
  hunk: ANSI('36'),
  dim: ANSI('2'),
};

/**
 * The changeset for a terminal: a `git diff --stat`-like count per kind, then one line per
 * object (`~ contentItem coffee-origins (article) content/items/article/coffee-origins.yaml`) with
 * its changed fields indented below (`variants.en-US.fields.title: "Old" → "New"`), multi-line
 * text as a compact unified diff. With `stat`, the counts only.
 */
export function renderChangesetText(cs: Changeset, opts: ChangesetTextOptions): string {
  const paint = opts.color ? COLOR_PAINT : NO_PAINT;
  const lines: string[] = [];
  if (cs.base !== undefined || cs.head !== undefined) {
    lines.push(paint.dim(`${shortRevision(cs.base ?? '(empty)')}..${shortRevision(cs.head ?? '(working tree)')}`));
  }
  const conflicts = opts.conflicts ?? [];
  if (conflicts.length > 0) {
    lines.push(paint.removed(`${plural(conflicts.length, 'unresolved merge conflict')} (resolve before merging; never deployed):`));
    for (const d of conflicts) lines.push(`  ${d.file ?? ''}${d.line ? `:${d.line}` : ''}: ${d.message}`);
    lines.push('');
  }
  if (cs.changes.length === 0) {
    lines.push('No content changes.');
    return lines.join('\n') + '\n';
  }
  lines.push(...statLines(cs, paint));
  if (!opts.stat) {
    for (const c of cs.changes) {
      lines.push('');
      lines.push(...changeLines(c, paint, cs.names));
    }
  }
  return lines.join('\n') + '\n';
}

function statLines(cs: Changeset, paint: Paint): string[] {
  const summary = summarizeChangeset(cs);
  const kinds = OBJECT_KINDS.filter((k) => OPS.some((op) => summary[k][op] > 0));
  const width = Math.max(...kinds.map((k) => k.length));
  const out = kinds.map((k) => ` ${k.padEnd(width)} | ${countsText(summary[k], paint)}`);
  out.push(` ${plural(cs.changes.length, 'object')} changed: ${countsText(totalOpCounts(summary), paint)}`);
  return out;
}

function countsText(counts: Record<ChangeOp, number>, paint: Paint): string {
  return OPS.filter((op) => counts[op] > 0)
    .map((op) => paint.op(op, `${counts[op]} ${OP_PAST[op]}`))
    .join(', ');
}

function changeLines(c: Change, paint: Paint, names: Changeset['names']): string[] {
  const type = contentTypeOf(c);
  let head = `${paint.op(c.op, OP_SYMBOL[c.op])} ${c.kind} ${safe(c.codeName)}${type ? ` (${safe(type)})` : ''} ${safe(c.path)}`;
  if (c.op === 'rename') {
    head += paint.dim(isMove(c) ? ` (moved from ${safe(c.fromPath)})` : ` (renamed from ${safe(c.fromCodeName)}, ${safe(c.fromPath)})`);
  }
  const out = [head];
  switch (c.op) {
    case 'create':
      for (const f of describeObject(objectOf(c))) out.push(`    ${f.label}: ${safe(f.value)}`);
      break;
    case 'update':
    case 'rename':
      for (const f of c.fields) out.push(...fieldLines(f, paint, names));
      break;
    case 'delete':
      break;
  }
  return out;
}

function fieldLines(f: FieldChange, paint: Paint, names: Changeset['names']): string[] {
  if (isLongTextChange(f)) {
    const what = f.before === undefined ? ' added' : f.after === undefined ? ' removed' : '';
    const out = [`    ${safe(f.path)}:${what}`];
    for (const raw of lineDiff(f.before as string | undefined, f.after as string | undefined)) {
      const l = safe(raw);
      const painted = l.startsWith('@@') ? paint.hunk(l) : l.startsWith('-') ? paint.removed(l) : l.startsWith('+') ? paint.added(l) : l;
      out.push(`      ${painted}`);
    }
    return [...out, ...referenceLines(f, paint, names)];
  }
  const path = safe(f.path);
  if (f.before === undefined) return [`    ${path}: ${paint.added(`added ${valueText(f, f.after, names)}`)}`, ...referenceLines(f, paint, names)];
  if (f.after === undefined) return [`    ${path}: ${paint.removed(`removed ${valueText(f, f.before, names)}`)}`, ...referenceLines(f, paint, names)];
  return [`    ${path}: ${paint.removed(valueText(f, f.before, names))} → ${paint.added(valueText(f, f.after, names))}`, ...referenceLines(f, paint, names)];
}

/** Links and embeds a rich text change adds or removes, by name, under the change. */
function referenceLines(f: FieldChange, paint: Paint, names: Changeset['names']): string[] {
  return richTextReferenceChanges(f, names).map((l) => `      ${l.startsWith('+') ? paint.added(safe(l)) : paint.removed(safe(l))}`);
}

function valueText(f: FieldChange, v: unknown, names: Changeset['names']): string {
  return safe(summarizeStructured(f, v) ?? referenceText(v, names) ?? compactJson(v));
}

/** Content never drives the terminal: control characters (ESC included) print as `\xNN`. */
function safe(s: string): string {
  return s.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
