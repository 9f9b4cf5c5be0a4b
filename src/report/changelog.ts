// The content changelog of a release: counts per kind and operation, then the changed objects by
// code name, grouped by kind. Pure: the same changeset always gives the same bytes.
import { summarizeChangeset, totalOpCounts, type ChangesetSummary } from '../diff/index.js';
import type { Change, ChangeOp, Changeset, FieldChange, ObjectKind } from '../model/index.js';
import { OBJECT_KINDS, assertNever } from '../model/index.js';
import { OP_PAST, OP_SYMBOL, contentTypeOf, isMove, shortRevision } from './changeset-common.js';

export type ChangelogFormat = 'text' | 'markdown' | 'json';

export interface ChangelogOptions {
  /** Where the changelog starts (a tag or revision); absent: from the beginning (a first release). */
  from?: string;
  /** Where it ends (the new tag or a revision). */
  to?: string;
  format: ChangelogFormat;
  /** Heading (text: first line; markdown: `##` heading). Default `Content changes`. */
  title?: string;
  /** Changed fields listed per object before `+N more`. Default 8. */
  maxFields?: number;
}

export const CHANGELOG_FORMAT_VERSION = 1;

const OPS: readonly ChangeOp[] = ['create', 'update', 'rename', 'delete'];
const KIND_TITLE: Readonly<Record<ObjectKind, string>> = {
  language: 'Languages',
  workspace: 'Workspaces',
  channel: 'Channels',
  contentType: 'Content types',
  assetFolder: 'Asset folders',
  asset: 'Assets',
  contentFolder: 'Content folders',
  contentItem: 'Content items',
  page: 'Pages',
};
const MD_OP: Readonly<Record<ChangeOp, string>> = { create: '➕', update: '✏️', rename: '🔀', delete: '🗑️' };

export function renderChangelog(cs: Changeset, opts: ChangelogOptions): string {
  switch (opts.format) {
    case 'text':
      return renderText(cs, opts);
    case 'markdown':
      return renderMarkdown(cs, opts);
    case 'json':
      return JSON.stringify(changelogToJson(cs, opts), null, 2) + '\n';
    default:
      return assertNever(opts.format);
  }
}

/** `from → to` for people; the first release reads "since the beginning". */
function range(cs: Changeset, opts: ChangelogOptions): string {
  const from = opts.from ?? (cs.base ? shortRevision(cs.base) : undefined);
  const to = opts.to ?? (cs.head ? shortRevision(cs.head) : 'working tree');
  return from ? `${from} → ${to}` : `everything up to ${to}`;
}

function kindsWithChanges(summary: ChangesetSummary): ObjectKind[] {
  return OBJECT_KINDS.filter((k) => OPS.some((op) => summary[k][op] > 0));
}

function totalsLine(summary: ChangesetSummary): string {
  const t = totalOpCounts(summary);
  return OPS.map((op) => `${t[op]} ${OP_PAST[op]}`).join(', ');
}

/** `title (en-US)` for each changed field, in changeset order, each once. */
function fieldLabels(fields: readonly FieldChange[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const f of fields) {
    const whole = f.language !== undefined && (f.path === `variants.${f.language}` || f.path === `metadata.${f.language}`);
    const label = whole ? `${f.path.startsWith('variants.') ? 'variant' : 'metadata'} (${f.language})` : `${f.name}${f.language ? ` (${f.language})` : ''}`;
    if (!seen.has(label)) {
      seen.add(label);
      out.push(label);
    }
  }
  return out;
}

function fieldsOf(c: Change): readonly FieldChange[] {
  return c.op === 'update' || c.op === 'rename' ? c.fields : [];
}

function shortFields(c: Change, max: number): string {
  const labels = fieldLabels(fieldsOf(c));
  if (!labels.length) return '';
  const shown = labels.slice(0, max).join(', ');
  return labels.length > max ? `${shown}, +${labels.length - max} more` : shown;
}

function renameNote(c: Change): string {
  if (c.op !== 'rename') return '';
  return isMove(c) ? `moved from ${c.fromPath}` : `renamed from ${c.fromCodeName}`;
}

function renderText(cs: Changeset, opts: ChangelogOptions): string {
  const summary = summarizeChangeset(cs);
  const lines = [`${opts.title ?? 'Content changes'} (${range(cs, opts)}): ${cs.changes.length ? totalsLine(summary) : 'no changes'}`];
  const kinds = kindsWithChanges(summary);
  if (kinds.length) {
    const head = ['Kind', ...OPS.map((op) => OP_PAST[op])];
    const rows = kinds.map((k) => [k, ...OPS.map((op) => String(summary[k][op]))]);
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    lines.push('');
    for (const r of [head, ...rows]) lines.push(r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ').trimEnd());
  }
  for (const k of kinds) {
    lines.push('', KIND_TITLE[k]);
    for (const c of cs.changes.filter((x) => x.kind === k)) {
      const type = contentTypeOf(c);
      const extra = [renameNote(c), shortFields(c, opts.maxFields ?? 8)].filter(Boolean).join('; ');
      lines.push(`  ${OP_SYMBOL[c.op]} ${c.codeName}${type ? ` (${type})` : ''}${extra ? `: ${extra}` : ''}`);
    }
  }
  return lines.join('\n') + '\n';
}

function renderMarkdown(cs: Changeset, opts: ChangelogOptions): string {
  const summary = summarizeChangeset(cs);
  const lines = [`## ${opts.title ?? 'Content changes'}`, '', `${escape(range(cs, opts))}`, ''];
  const kinds = kindsWithChanges(summary);
  if (!kinds.length) return lines.concat(['No content changes.', '']).join('\n');
  lines.push('| Kind | Created | Updated | Renamed | Deleted |', '| --- | ---: | ---: | ---: | ---: |');
  for (const k of kinds) lines.push(`| ${KIND_TITLE[k]} | ${OPS.map((op) => summary[k][op]).join(' | ')} |`);
  if (kinds.length > 1) {
    const t = totalOpCounts(summary);
    lines.push(`| **Total** | ${OPS.map((op) => `**${t[op]}**`).join(' | ')} |`);
  }
  for (const k of kinds) {
    lines.push('', `### ${KIND_TITLE[k]}`, '');
    for (const c of cs.changes.filter((x) => x.kind === k)) {
      const type = contentTypeOf(c);
      const what = c.op !== 'rename' ? OP_PAST[c.op] : isMove(c) ? `moved from ${code(c.fromPath)}` : `renamed from ${code(c.fromCodeName)}`;
      const parts = [`- ${MD_OP[c.op]} ${code(c.codeName)}${type ? ` (${code(type)})` : ''} ${what}`];
      const fields = shortFields(c, opts.maxFields ?? 8);
      if (fields) parts.push(`: ${escape(fields)}`);
      lines.push(parts.join(''));
    }
  }
  return lines.join('\n') + '\n';
}

/** The versioned JSON shape of a changelog (`formatVersion` 1). */
export function changelogToJson(cs: Changeset, opts: Omit<ChangelogOptions, 'format'> = {}): Record<string, unknown> {
  const summary = summarizeChangeset(cs);
  const kinds = kindsWithChanges(summary);
  return {
    formatVersion: CHANGELOG_FORMAT_VERSION,
    from: opts.from ?? null,
    to: opts.to ?? null,
    baseCommit: cs.base ?? null,
    headCommit: cs.head ?? null,
    totals: totalOpCounts(summary),
    counts: Object.fromEntries(kinds.map((k) => [k, summary[k]])),
    changes: cs.changes.map((c) => ({
      kind: c.kind,
      op: c.op,
      codeName: c.codeName,
      ...(contentTypeOf(c) ? { contentType: contentTypeOf(c) } : {}),
      path: c.path,
      ...(c.op === 'rename' ? { fromCodeName: c.fromCodeName, fromPath: c.fromPath } : {}),
      ...(fieldsOf(c).length ? { fields: fieldLabels(fieldsOf(c)) } : {}),
    })),
  };
}

function code(s: string): string {
  return `\`${s.replace(/`/g, "'")}\``;
}

function escape(s: string): string {
  return s.replace(/[\\`*_[\]|<>]/g, (m) => `\\${m}`);
}
