import { summarizeChangeset, totalOpCounts } from '../diff/index.js';
import type { Change, ChangeOp, Changeset, Diagnostic, FieldChange } from '../model/index.js';
import { OBJECT_KINDS, assertNever } from '../model/index.js';
import {
  compactJson,
  contentTypeOf,
  describeObject,
  isLongTextChange,
  isMove,
  lineDiff,
  objectOf,
  pathInLanguage,
  plural,
  shortRevision,
  referenceText, richTextReferenceChanges, summarizeStructured,
} from './changeset-common.js';

export interface ChangesetMarkdownOptions {
  /** Character budget of the whole report (GitHub comments hold 65,536). Default 65,000. */
  maxLength?: number;
  /** Heading of the report. Default `Content changes`. */
  title?: string;
  /** Appended to the "more objects not shown" note, e.g. a link to the job artifact. */
  reportHint?: string;
  /** Diff lines shown per long text before the rest is left out. Default 200. */
  maxDiffLines?: number;
  /** Unresolved merge conflicts (FERRY_E_CONFLICT diagnostics of the head): shown first. */
  conflicts?: readonly Diagnostic[];
}

export interface ChangesetMarkdown {
  markdown: string;
  /** Some object sections were left out to stay under `maxLength`. */
  truncated: boolean;
  omittedObjects: number;
}

const OPS: readonly ChangeOp[] = ['create', 'update', 'rename', 'delete'];
const HEADING: Readonly<Record<ChangeOp, string>> = { create: '➕ Created', update: '✏️ Updated', rename: '🔀 Renamed', delete: '🗑️ Deleted' };
const CELL = 80;
/** Diffs longer than this are folded in `<details>`. */
const FOLD_LINES = 15;

/**
 * The changeset as Markdown for a pull request comment or a job summary: a summary table
 * (kind × created / updated / renamed / deleted), then one section per object with a table of
 * changed fields and long text as unified diffs. It stays under `maxLength`: sections that do
 * not fit are left out whole (in order) and a closing note says how many.
 */
export function renderChangesetMarkdown(cs: Changeset, opts: ChangesetMarkdownOptions = {}): ChangesetMarkdown {
  const maxLength = opts.maxLength ?? 65_000;
  const maxDiffLines = opts.maxDiffLines ?? 200;
  const head = headerMarkdown(cs, opts.title ?? 'Content changes', opts.conflicts ?? []);
  let markdown = head;
  let shown = 0;
  for (const c of cs.changes) {
    const section = sectionMarkdown(c, maxDiffLines, cs.names);
    const remaining = cs.changes.length - shown - 1;
    // The last section's blank line is trimmed at the end; any other is followed by the note.
    const reserve = remaining > 0 ? omittedNote(remaining, opts.reportHint).length : -1;
    if (markdown.length + section.length + reserve > maxLength) break;
    markdown += section;
    shown++;
  }
  const omittedObjects = cs.changes.length - shown;
  if (omittedObjects > 0) markdown += omittedNote(omittedObjects, opts.reportHint);
  return { markdown: `${markdown.trimEnd()}\n`, truncated: omittedObjects > 0, omittedObjects };
}

function omittedNote(n: number, hint: string | undefined): string {
  const tail = hint ? ` ${hint}` : '';
  return `> **${plural(n, 'more object')} not shown** — the full report is in the job artifact / \`--out FILE\`.${tail}\n`;
}

function headerMarkdown(cs: Changeset, title: string, conflicts: readonly Diagnostic[]): string {
  const lines = [`### ${escapeText(title)}`, ''];
  if (cs.base !== undefined || cs.head !== undefined) {
    lines.push(`${code(shortRevision(cs.base ?? '(empty)'))} → ${code(shortRevision(cs.head ?? '(working tree)'))}`, '');
  }
  lines.push(...conflictsMarkdown(conflicts));
  if (cs.changes.length === 0) {
    lines.push('No content changes.');
    return block(lines);
  }
  const summary = summarizeChangeset(cs);
  const kinds = OBJECT_KINDS.filter((k) => OPS.some((op) => summary[k][op] > 0));
  lines.push('| Kind | Created | Updated | Renamed | Deleted |', '| --- | ---: | ---: | ---: | ---: |');
  for (const k of kinds) lines.push(`| ${k} | ${OPS.map((op) => summary[k][op]).join(' | ')} |`);
  if (kinds.length > 1) {
    const t = totalOpCounts(summary);
    lines.push(`| **Total** | ${OPS.map((op) => `**${t[op]}**`).join(' | ')} |`);
  }
  return block(lines);
}

function sectionMarkdown(c: Change, maxDiffLines: number, names: Changeset['names']): string {
  const lines: string[] = [`#### ${HEADING[c.op]} ${c.kind} ${code(c.codeName)}`, ''];
  const where: string[] = [];
  const type = contentTypeOf(c);
  if (type) where.push(`Content type ${code(type)}`);
  where.push(code(c.path));
  if (c.op === 'rename') where.push(isMove(c) ? `moved from ${code(c.fromPath)}` : `renamed from ${code(c.fromCodeName)} (${code(c.fromPath)})`);
  lines.push(where.join(' · '), '');
  switch (c.op) {
    case 'create':
      for (const f of describeObject(objectOf(c))) lines.push(`- **${f.label}:** ${escapeText(truncate(f.value, 300))}`);
      lines.push('');
      break;
    case 'update':
    case 'rename':
      lines.push(...fieldsMarkdown(c.fields, maxDiffLines, names));
      break;
    case 'delete':
      break;
    default:
      assertNever(c);
  }
  return block(lines);
}

function fieldsMarkdown(fields: readonly FieldChange[], maxDiffLines: number, names: Changeset['names']): string[] {
  const short = fields.filter((f) => !isLongTextChange(f));
  const long = fields.filter(isLongTextChange);
  const lines: string[] = [];
  if (short.length) {
    lines.push('| Field | Language | Before | After |', '| --- | --- | --- | --- |');
    for (const f of short) lines.push(`| ${code(pathInLanguage(f))} | ${escapeText(f.language ?? '')} | ${cellValue(f, f.before, names)} | ${cellValue(f, f.after, names)} |`);
    lines.push('');
  }
  for (const f of long) lines.push(...longTextMarkdown(f, maxDiffLines));
  // Links and embeds added or removed in rich text, by the names of what they point to.
  for (const f of fields) {
    const refs = richTextReferenceChanges(f, names);
    if (refs.length) lines.push(`${code(pathInLanguage(f))}${f.language ? ` · ${escapeText(f.language)}` : ''} references:`, '', ...refs.map((r) => `- ${r.startsWith('+') ? 'added' : 'removed'}: ${escapeText(r.slice(2))}`), '');
  }
  return lines;
}

function longTextMarkdown(f: FieldChange, maxDiffLines: number): string[] {
  const diff = lineDiff(f.before as string | undefined, f.after as string | undefined);
  const shown = diff.slice(0, maxDiffLines);
  const fence = fenceFor(shown);
  const what = f.before === undefined ? 'added' : f.after === undefined ? 'removed' : 'changed';
  const lang = f.language ? ` · ${f.language}` : '';
  const block = [`${fence}diff`, ...shown, fence];
  if (diff.length > shown.length) block.push('', `_${plural(diff.length - shown.length, 'more diff line')} not shown._`);
  if (diff.length <= FOLD_LINES) return [`${code(pathInLanguage(f))}${lang} (${what}):`, '', ...block, ''];
  const summary = `<code>${escapeHtml(pathInLanguage(f))}</code>${escapeHtml(lang)} (${what}, ${plural(diff.length, 'diff line')})`;
  return [`<details><summary>${summary}</summary>`, '', ...block, '', '</details>', ''];
}

/** Unresolved merge conflicts, before anything else: they must be resolved before the rest matters. */
function conflictsMarkdown(conflicts: readonly Diagnostic[]): string[] {
  if (conflicts.length === 0) return [];
  const lines = [
    `> [!CAUTION]`,
    `> **${plural(conflicts.length, 'unresolved merge conflict')}**: resolve ${conflicts.length === 1 ? 'it' : 'them'} before merging; content with conflict markers is never deployed.`,
    '',
    '| File | Line | Object | Conflict |',
    '| --- | ---: | --- | --- |',
  ];
  for (const d of conflicts) {
    const object = d.object ? `${d.object.kind} ${code(d.object.codeName ?? d.object.guid ?? '')}` : '—';
    lines.push(`| ${code(d.file ?? '')} | ${d.line ?? ''} | ${object} | ${escapeText(truncate(d.message, 300))} |`);
  }
  lines.push('');
  return lines;
}

/** Lines as one Markdown block followed by a blank line, so blocks never run together. */
function block(lines: readonly string[]): string {
  let end = lines.length;
  while (end > 0 && lines[end - 1] === '') end--;
  return `${lines.slice(0, end).join('\n')}\n\n`;
}

/** A fence longer than any backtick run inside the block, so content never closes it. */
function fenceFor(lines: readonly string[]): string {
  let longest = 0;
  for (const l of lines) for (const m of l.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  return '`'.repeat(Math.max(3, longest + 1));
}

function cellValue(f: FieldChange, v: unknown, names: Changeset['names']): string {
  if (v === undefined) return '—';
  if (v === '') return '_(empty)_';
  const text = summarizeStructured(f, v) ?? referenceText(v, names) ?? (typeof v === 'string' ? v : compactJson(v));
  return code(truncate(text, CELL));
}

function truncate(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}…`;
}

/** Inline code safe inside a table cell: a delimiter longer than any backtick run, pipes escaped, one line. */
function code(s: string): string {
  let longest = 0;
  for (const m of s.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const tick = '`'.repeat(longest + 1);
  const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : '';
  return `${tick}${pad}${s.replace(/\|/g, '\\|').replace(/\r?\n/g, '↵')}${pad}${tick}`;
}

/** Plain text in Markdown: no HTML, no emphasis, no links, no table breaks. */
function escapeText(s: string): string {
  return escapeHtml(s)
    .replace(/[\\`*_[\]|~]/g, (m) => `\\${m}`)
    .replace(/\r?\n/g, ' ');
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
