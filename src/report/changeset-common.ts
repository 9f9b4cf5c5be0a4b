// Helpers the changeset renderers share: labels, value summaries and line diffs.
import { structuredPatch } from 'diff';
import type { Change, ChangeOp, FerryObject, FieldChange, ObjectName } from '../model/index.js';
import { assertNever, assetBytes, compareCodePoints, LINK_TARGET_KEYS, parseRichTextReferences } from '../model/index.js';

export const OP_SYMBOL: Readonly<Record<ChangeOp, string>> = { create: '+', update: '~', rename: '>', delete: '-' };
export const OP_PAST: Readonly<Record<ChangeOp, string>> = { create: 'created', update: 'updated', rename: 'renamed', delete: 'deleted' };

/** The object as it is after the change (as it was, for a delete). */
export function objectOf(c: Change): FerryObject {
  return c.op === 'delete' ? c.before.object : c.after.object;
}

/** Content type code name of an item or page; undefined for other kinds. */
export function contentTypeOf(c: Change): string | undefined {
  const o = objectOf(c);
  return o.kind === 'contentItem' || o.kind === 'page' ? o.contentType : undefined;
}

/** A rename that kept the code name only moved the file. */
export function isMove(c: Change): boolean {
  return c.op === 'rename' && c.fromCodeName === c.codeName;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const isGuid = (v: unknown): v is string => typeof v === 'string' && GUID.test(v);

/** `page sessions (1a2b3c4d)`: an object by kind and code name, its short guid beside it. */
export function objectNameText(guid: string, names: Readonly<Record<string, ObjectName>> | undefined): string {
  const n = names?.[guid];
  return n ? `${n.kind} ${n.codeName} (${guid.slice(0, 8)})` : guid;
}

/**
 * A reference value (a guid, or a list of them) by the names of what it points to; undefined
 * when the value is no reference or none of its guids has a name (it then shows as it is).
 */
export function referenceText(v: unknown, names: Readonly<Record<string, ObjectName>> | undefined): string | undefined {
  if (!names) return undefined;
  if (isGuid(v)) return names[v] ? objectNameText(v, names) : undefined;
  if (isRecord(v)) return linkOrMediaText(v, names);
  if (Array.isArray(v) && v.length > 0 && v.every(isGuid) && v.some((g) => names[g])) return v.map((g) => objectNameText(g, names)).join(', ');
  return undefined;
}

/**
 * A link or media value by what it points to: `link to page home (1a2b3c4d)#menu "See the menu"`,
 * `asset espresso (1a2b3c4d) alt "A cup" 800×600`; undefined when it is neither or its target has no name.
 */
function linkOrMediaText(v: Record<string, unknown>, names: Readonly<Record<string, ObjectName>>): string | undefined {
  for (const [key] of LINK_TARGET_KEYS) {
    const g = v[key];
    if (!isGuid(g) || !names[g]) continue;
    const parts = [objectNameText(g, names) + (typeof v.anchor === 'string' ? `#${v.anchor}` : '')];
    if (typeof v.text === 'string') parts.push(JSON.stringify(v.text));
    if (typeof v.alt === 'string') parts.push(`alt ${JSON.stringify(v.alt)}`);
    if (typeof v.width === 'number' || typeof v.height === 'number') parts.push(`${String(v.width ?? '?')}×${String(v.height ?? '?')}`);
    if (isRecord(v.focalPoint)) parts.push(`focal point ${String(v.focalPoint.x)},${String(v.focalPoint.y)}`);
    if (isRecord(v.crop)) parts.push('cropped');
    const rest = Object.keys(v).filter((k) => !['anchor', 'text', 'alt', 'width', 'height', 'focalPoint', 'crop', key].includes(k));
    for (const k of rest.sort(compareCodePoints)) parts.push(`${k} ${JSON.stringify(v[k])}`);
    return parts.join(' ');
  }
  return undefined;
}

/**
 * What a rich text change adds and removes among its links and embeds, by the names of what they
 * point to: `+ link to page home (1a2b3c4d)#menu`, `- embed of asset espresso (5e6f7a8b)`. Empty
 * when the change is not text or its references stay the same.
 */
export function richTextReferenceChanges(f: FieldChange, names: Readonly<Record<string, ObjectName>> | undefined): string[] {
  const refsOf = (v: unknown): Map<string, string> => {
    const out = new Map<string, string>();
    if (typeof v !== 'string' || !v.includes('ferry')) return out;
    for (const r of parseRichTextReferences(v).refs) {
      const text = `${r.form === 'link' ? 'link to' : 'embed of'} ${objectNameText(r.guid, names)}${r.anchor ? `#${r.anchor}` : ''}`;
      out.set(text, text);
    }
    return out;
  };
  const before = refsOf(f.before);
  const after = refsOf(f.after);
  const lines: string[] = [];
  for (const t of [...after.keys()].sort(compareCodePoints)) if (!before.has(t)) lines.push(`+ ${t}`);
  for (const t of [...before.keys()].sort(compareCodePoints)) if (!after.has(t)) lines.push(`- ${t}`);
  return lines;
}

/** Long text (multi-line, or longer than a table cell shows) is rendered as a line diff. */
export const LONG_TEXT = 80;

export function isLongTextChange(f: FieldChange): boolean {
  const b = f.before;
  const a = f.after;
  if ((b !== undefined && typeof b !== 'string') || (a !== undefined && typeof a !== 'string')) return false;
  return [b, a].some((v) => typeof v === 'string' && (v.includes('\n') || v.length > LONG_TEXT));
}

/**
 * Unified line diff of two strings: hunk headers and `+`/`-`/` ` lines only (no file headers).
 * Two lines of context keep it short.
 */
export function lineDiff(before: string | undefined, after: string | undefined, context = 2): string[] {
  // A field value is text, not a file: most have no final newline (a one-line long text never
  // has one), and `diff -u`'s "\ No newline at end of file" pair would be noise on every such
  // change. Compare them as lines, each side ended as if it had one.
  const asLines = (v: string | undefined) => (v === undefined || v === '' || v.endsWith('\n') ? (v ?? '') : `${v}\n`);
  const patch = structuredPatch('before', 'after', asLines(before), asLines(after), undefined, undefined, { context });
  const out: string[] = [];
  for (const h of patch.hunks) {
    // As in `diff -u` (and jsdiff's formatPatch): an empty side starts at the line before.
    const oldStart = h.oldLines === 0 ? h.oldStart - 1 : h.oldStart;
    const newStart = h.newLines === 0 ? h.newStart - 1 : h.newStart;
    out.push(`@@ -${oldStart},${h.oldLines} +${newStart},${h.newLines} @@`);
    for (const l of h.lines) out.push(l);
  }
  return out;
}

/**
 * Field path relative to its language, for a table that has a language column:
 * `variants.en-US.fields.title` → `fields.title`; `variants.fr-FR` → `variant`.
 */
export function pathInLanguage(f: FieldChange): string {
  if (f.language === undefined) return f.path;
  for (const root of ['variants', 'metadata']) {
    const prefix = `${root}.${f.language}`;
    if (f.path === prefix) return root === 'variants' ? 'variant' : 'metadata';
    if (f.path.startsWith(`${prefix}.`)) return f.path.slice(prefix.length + 1);
  }
  return f.path;
}

/**
 * A one-line summary of a structured value people recognise (a language variant, a content type
 * field definition, asset metadata); undefined for anything else, which renders as JSON.
 */
export function summarizeStructured(f: FieldChange, value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  if (f.language !== undefined && f.path === `variants.${f.language}`) {
    const fields = isRecord(value.fields) ? Object.keys(value.fields).length : 0;
    const parts = [String(value.status ?? '?'), JSON.stringify(value.displayName ?? '')];
    if (typeof value.slug === 'string') parts.push(`/${value.slug}`);
    parts.push(`${fields} field${fields === 1 ? '' : 's'}`);
    return parts.join(' · ');
  }
  if (/^fields\[[^\]]+\]$/.test(f.path) && typeof value.type === 'string') {
    const parts = [String(value.type)];
    if (value.required === true) parts.push('required');
    if (value.localized === true) parts.push('localized');
    return parts.join(' · ');
  }
  return undefined;
}

/** Compact JSON with object keys sorted, so equal values always print the same. */
export function compactJson(v: unknown): string {
  return JSON.stringify(sortKeysDeep(v)) ?? 'undefined';
}

export function sortKeysDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeysDeep);
  if (isRecord(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort(compareCodePoints)) if (v[k] !== undefined) out[k] = sortKeysDeep(v[k]);
    return out;
  }
  return v;
}

export interface Fact {
  label: string;
  value: string;
}

/** What a reader wants to know about a created object: display name, type, languages and status. */
export function describeObject(o: FerryObject): Fact[] {
  const facts: Fact[] = [];
  switch (o.kind) {
    case 'language':
      facts.push({ label: 'Display name', value: o.displayName });
      if (o.isDefault) facts.push({ label: 'Default', value: 'yes' });
      if (o.fallback) facts.push({ label: 'Fallback', value: o.fallback });
      break;
    case 'workspace':
      facts.push({ label: 'Display name', value: o.displayName });
      if (o.workflow?.length) facts.push({ label: 'Workflow', value: o.workflow.map((s) => s.codeName).join(' → ') });
      break;
    case 'assetFolder':
      facts.push({ label: 'Display name', value: o.displayName });
      break;
    case 'contentFolder':
      facts.push({ label: 'Display name', value: o.displayName });
      facts.push({ label: 'Workspace', value: o.workspace });
      break;
    case 'channel':
      facts.push({ label: 'Display name', value: o.displayName });
      facts.push({ label: 'Type', value: o.type });
      facts.push({ label: 'Languages', value: (o.languages ?? []).join(', ') });
      break;
    case 'contentType':
      facts.push({ label: 'Display name', value: o.displayName });
      facts.push({ label: 'Usage', value: o.usage });
      facts.push({ label: 'Fields', value: (o.fields ?? []).map((f) => `${f.name} (${f.type}${f.required ? ', required' : ''})`).join(', ') || 'none' });
      break;
    case 'asset':
      facts.push({ label: 'File', value: `${o.fileName} (${o.mediaType}, ${formatBytes(assetBytes(o).size)})` });
      if (o.source) facts.push({ label: 'Source', value: o.source.url });
      facts.push({ label: 'Languages', value: Object.keys(o.metadata ?? {}).sort(compareCodePoints).join(', ') || 'none' });
      break;
    case 'contentItem':
    case 'page': {
      const variants = o.variants ?? {};
      const langs = Object.keys(variants).sort(compareCodePoints);
      facts.push({
        label: 'Languages',
        value: langs.map((l) => `${l} ${variants[l].status} ${JSON.stringify(variants[l].displayName ?? '')}`).join(', ') || 'none',
      });
      break;
    }
    default:
      assertNever(o);
  }
  return facts;
}

export function formatBytes(n: number): string {
  if (typeof n !== 'number' || !Number.isFinite(n)) return String(n);
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}

/** A full commit id is shortened for people; refs and short ids are kept as given. */
export function shortRevision(rev: string): string {
  return /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(rev) ? rev.slice(0, 12) : rev;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
