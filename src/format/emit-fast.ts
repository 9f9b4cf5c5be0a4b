/**
 * The fast writer: the canonical tree → the same text the `yaml` package writes (emit-yaml.ts),
 * built directly as a string (~10x faster, which matters when a store hashes the canonical
 * encoding of every object it restores). It only handles the shapes it can write exactly: plain
 * and simply-quoted strings, block literals without edge cases, numbers, booleans, null, maps and
 * lists. For anything else it returns `undefined` and the caller uses the reference writer. A
 * property test checks both writers give identical text.
 */
import { isPlainObject, Ordered, sortedEntries, type Entries } from './canonical-tree.js';
import { needsEscape, stringStyle } from './scalar-style.js';

/** Thrown inside the writer to hand the whole object to the reference writer. */
const UNSUPPORTED = Symbol('unsupported');

/** Keys longer than this make `yaml` switch to explicit `? key` syntax: leave those to it. */
const MAX_FAST_KEY_LENGTH = 1000;

class Writer {
  text = '';
}

/** The YAML text of a canonical tree, or `undefined` when the reference writer must do it. */
export function emitFast(root: Ordered): string | undefined {
  const w = new Writer();
  try {
    const entries = defined(root.entries);
    if (entries.length === 0) return undefined;
    writeMap(entries, '', '', w);
  } catch (e) {
    if (e === UNSUPPORTED) return undefined;
    throw e;
  }
  return w.text;
}

/** Writes map entries at indent `pad`; the first line starts with `first` instead (list items). */
function writeMap(entries: Entries, pad: string, first: string, w: Writer): void {
  for (let i = 0; i < entries.length; i++) {
    const [key, value] = entries[i];
    if (key.length > MAX_FAST_KEY_LENGTH) throw UNSUPPORTED;
    writeValue(`${i === 0 ? first : pad}${inlineString(key, true)}:`, value, pad, w);
  }
}

/** Writes list items with their `-` at indent `pad`; the first line starts with `first` instead. */
function writeSeq(items: readonly unknown[], pad: string, first: string, w: Writer): void {
  for (let i = 0; i < items.length; i++) {
    writeValue(`${i === 0 ? first : pad}-`, items[i], pad, w);
  }
}

/**
 * Writes one value after `prefix` (`key:` or `-`); `pad` is the indent of the line the prefix
 * starts, so nested content goes two spaces deeper.
 */
function writeValue(prefix: string, value: unknown, pad: string, w: Writer): void {
  const inner = `${pad}  `;
  if (value === undefined || value === null) {
    w.text += `${prefix} null\n`;
    return;
  }
  switch (typeof value) {
    case 'string':
      w.text += `${prefix} ${stringValue(value, inner)}\n`;
      return;
    case 'number':
      w.text += `${prefix} ${numberText(value)}\n`;
      return;
    case 'boolean':
      w.text += `${prefix} ${value ? 'true' : 'false'}\n`;
      return;
    case 'object':
      break;
    default:
      throw UNSUPPORTED;
  }
  const isItem = prefix.endsWith('-');
  if (Array.isArray(value)) {
    if (value.length === 0) w.text += `${prefix} []\n`;
    else if (isItem) writeSeq(value, inner, `${prefix} `, w);
    else {
      w.text += `${prefix}\n`;
      writeSeq(value, inner, inner, w);
    }
    return;
  }
  let entries: Entries;
  if (value instanceof Ordered) entries = defined(value.entries);
  else if (isPlainObject(value as object)) entries = defined(sortedEntries(value as Record<string, unknown>));
  else throw UNSUPPORTED;
  if (entries.length === 0) w.text += `${prefix} {}\n`;
  else if (isItem) writeMap(entries, inner, `${prefix} `, w);
  else {
    w.text += `${prefix}\n`;
    writeMap(entries, inner, inner, w);
  }
}

function defined(entries: Entries): Entries {
  for (const e of entries) if (e[1] === undefined) return entries.filter((x) => x[1] !== undefined);
  return entries;
}

/** A key or a one-line value: plain, or double-quoted when that needs no escape but `\"` / `\\`. */
function inlineString(s: string, isKey: boolean): string {
  const style = stringStyle(s, isKey);
  if (style === 'PLAIN') return s;
  // JSON's quoting equals the `yaml` writer's when the only escapes are `\"` and `\\`.
  if (style === 'QUOTE_DOUBLE' && !/[\n\t]/.test(s) && !needsEscape(s)) return JSON.stringify(s);
  throw UNSUPPORTED;
}

/** A string value; block literals get their header and lines indented by `indent`. */
function stringValue(s: string, indent: string): string {
  const style = stringStyle(s, false);
  if (style !== 'BLOCK_LITERAL') return inlineString(s, false);
  // Edge cases (indentation indicator, leading or trailing white space) go to the reference writer.
  if (s.charCodeAt(0) === 0x20 || s.charCodeAt(0) === 0x0a) throw UNSUPPORTED;
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 0x0a) end--;
  const last = s.charCodeAt(end - 1);
  if (last === 0x20 || last === 0x09) throw UNSUPPORTED;
  const newlines = s.length - end;
  const chomp = newlines === 0 ? '-' : newlines === 1 ? '' : '+';
  const body = s.slice(0, end).replace(/\n+/g, (m) => m + indent);
  return `|${chomp}\n${indent}${body}${'\n'.repeat(Math.max(newlines - 1, 0))}`;
}

function numberText(n: number): string {
  if (Number.isNaN(n)) return '.nan';
  if (n === Infinity) return '.inf';
  if (n === -Infinity) return '-.inf';
  return Object.is(n, -0) ? '0' : JSON.stringify(n);
}
