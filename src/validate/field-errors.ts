import type { ErrorObject } from 'ajv';
import { displayPath, pointerOf, pointerSegments } from '../config/pointer.js';
import { GUID_PATTERN, type ContentType, type FieldDataType, type SubFieldDefinition } from '../model/objects.js';
import { ANCHOR_PATTERN, HTTP_URL_PATTERN, LINK_URL_PATTERN } from './field-schema.js';

export interface FieldProblem {
  /** JSON Pointer inside the object, e.g. `/variants/es-ES/fields/price`. */
  pointer: string;
  message: string;
}

/** Where the validated values sit in the object: `['fields']` or `['variants', 'es-ES', 'fields']`. */
export interface FieldLocation {
  segments: string[];
  /** The variant's language, when these are a variant's fields. */
  language?: string;
  /** The validated values, to tell which block type a block is of (nested messages name it). */
  values?: unknown;
}

const EXPECTED: Readonly<Record<FieldDataType, string>> = {
  text: 'must be a string',
  longText: 'must be a string',
  richText: 'must be a string (HTML or Markdown)',
  integer: 'must be an integer',
  decimal: 'must be a number',
  boolean: 'must be true or false',
  date: 'must be a date written YYYY-MM-DD',
  dateTime: 'must be a date-time with a zone, e.g. 2024-05-01T10:00:00Z',
  url: 'must be an absolute http(s) URL',
  email: 'must be an e-mail address',
  json: 'must be a JSON value',
  taxonomy: 'must be a list of tags',
  contentItems: 'must be a list of content item guids',
  pages: 'must be a list of page guids',
  assets: 'must be a list of asset guids',
  object: 'must be a map of sub-field values',
  blocks: 'must be a list of blocks, each `block: <block type>` with its `fields`',
  link: 'must be a link: a map with item, page, asset or url',
  media: 'must be a media value: a map with asset or url',
  references: 'must be a list of guids',
};

/** A nested value's definition and what it is: a sub-field, a block, a block's fields map, a link. */
interface Resolved {
  /** The field or sub-field definition at the path, if the path ends at one. */
  def?: SubFieldDefinition;
  /** The definition whose value contains the path (a link or media map, a list). */
  container?: SubFieldDefinition;
  /** What sits at the path when it is not a field value: a block, or a block's `fields` map. */
  role?: 'block' | 'blockFields';
  blockType?: string;
  /** The allowed block type names, at a block or its `type`. */
  blockTypes?: string[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Follows `segments` (from the fields map) through object fields and blocks. */
function resolve(defs: readonly SubFieldDefinition[], segments: readonly string[], values: unknown): Resolved {
  let fields: readonly SubFieldDefinition[] = defs;
  let value: unknown = values;
  let i = 0;
  let out: Resolved = {};
  while (i < segments.length) {
    const def = fields.find((f) => f.name === segments[i]);
    if (!def) return { container: out.def ?? out.container };
    value = isRecord(value) ? value[segments[i]] : undefined;
    i++;
    out = { def };
    if (i === segments.length) return out;
    if (def.type === 'object') {
      fields = def.fields ?? [];
      continue;
    }
    if (def.type === 'blocks') {
      const names = (def.blockTypes ?? []).map((t) => t.name);
      const block = Array.isArray(value) ? value[Number(segments[i])] : undefined;
      const typeName = isRecord(block) && typeof block.block === 'string' ? block.block : undefined;
      i++;
      if (i === segments.length) return { container: def, role: 'block', blockType: typeName, blockTypes: names };
      if (segments[i] === 'block') return { container: def, role: 'block', blockType: typeName, blockTypes: names };
      if (segments[i] !== 'fields') return { container: def, role: 'block', blockType: typeName, blockTypes: names };
      i++;
      const type = (def.blockTypes ?? []).find((t) => t.name === typeName);
      if (i === segments.length) return { container: def, role: 'blockFields', blockType: typeName };
      if (!type) return { container: def, role: 'blockFields', blockType: typeName };
      fields = type.fields ?? [];
      value = isRecord(block) ? block.fields : undefined;
      continue;
    }
    return { container: def };
  }
  return out;
}

const FORMAT_EXPECTED: Readonly<Record<string, string>> = {
  date: 'must be a real date written YYYY-MM-DD',
  'date-time': 'must be an ISO 8601 date-time with a zone, e.g. 2024-05-01T10:00:00Z',
  uri: 'must be an absolute http(s) URL',
  email: 'must be an e-mail address',
};

/** A short rendering of a value for a message. */
export function preview(value: unknown): string {
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (value !== null && typeof value === 'object') return 'a map';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…"` : text;
}

/**
 * Turns ajv's errors for one `fields` map into messages that name the field path, what was
 * expected and what was found: `variants.es-ES.fields.price: must be a number (got "cheap")`.
 */
export function describeFieldErrors(errors: readonly ErrorObject[], ct: ContentType, at: FieldLocation): FieldProblem[] {
  const byName = new Map<string, ContentType['fields'][number]>();
  for (const f of ct.fields ?? []) if (!byName.has(f.name)) byName.set(f.name, f);
  const out: FieldProblem[] = [];
  const seen = new Set<string>();
  const push = (segments: string[], text: string): void => {
    const pointer = pointerOf([...at.segments, ...segments]);
    const message = `${displayPath(pointer)}: ${text}`;
    if (!seen.has(message)) {
      seen.add(message);
      out.push({ pointer, message });
    }
  };
  const inVariant = at.language !== undefined;

  for (const e of errors) {
    const segments = pointerSegments(e.instancePath);
    if (segments.length === 0) {
      if (e.keyword === 'required') {
        const name = (e.params as { missingProperty: string }).missingProperty;
        push([name], inVariant ? `required field is missing in the ${at.language} variant` : 'required field is missing');
      } else if (e.keyword === 'additionalProperties') {
        const name = (e.params as { additionalProperty: string }).additionalProperty;
        const def = byName.get(name);
        if (def && def.localized && !inVariant) {
          push([name], `${name} is localized: write it in each variant's fields (variants.<language>.fields.${name}), not in the shared fields`);
        } else if (def && !def.localized && inVariant) {
          push([name], `${name} is not localized: write it once in the shared fields (fields.${name}), not in a variant`);
        } else {
          push([name], `unknown field: content type ${ct.codeName} has no field "${name}"`);
        }
      } else if (e.keyword === 'type') {
        push([], `must be a map of field values (got ${preview(e.data)})`);
      } else {
        push([], e.message ?? 'is invalid');
      }
      continue;
    }

    const top = byName.get(segments[0]);
    const nested = segments.length > 1;
    const got = ` (got ${preview(e.data)})`;
    const params = e.params as Record<string, unknown>;
    if (e.keyword === 'if' || e.schemaPath.includes('/oneOf/')) continue; // the `then` and `oneOf` errors say it
    const r = top && STRUCTURED.has(top.type) ? resolve(ct.fields ?? [], segments, at.values) : undefined;
    if (r && structuredMessage(e, r, segments, push, got)) continue;
    const def = r ? r.def : top;
    switch (e.keyword) {
      case 'type':
        push(
          segments,
          (def && (!nested || r?.def) ? EXPECTED[def.type] : nested ? (r?.container ? `must be ${String(params.type)}` : top?.type === 'taxonomy' ? 'must be a tag (a string)' : 'must be a guid (a string)') : `must be ${String(params.type)}`) + got,
        );
        break;
      case 'required': {
        const name = (params as { missingProperty: string }).missingProperty;
        push([...segments, name], 'required field is missing');
        break;
      }
      case 'additionalProperties': {
        const name = (params as { additionalProperty: string }).additionalProperty;
        push([...segments, name], `unknown key "${name}"`);
        break;
      }
      case 'format':
        push(segments, (FORMAT_EXPECTED[String(params.format)] ?? `must be a valid ${String(params.format)}`) + got);
        break;
      case 'pattern': {
        const pattern = String(params.pattern);
        const text =
          pattern === HTTP_URL_PATTERN
            ? 'must be an absolute http(s) URL'
            : pattern === GUID_PATTERN
              ? 'must be a guid (a lower-case UUID)'
              : pattern === LINK_URL_PATTERN
                ? 'must be an http(s) URL, a mailto: or tel: address, or a path starting with /'
                : pattern === ANCHOR_PATTERN
                  ? 'must be an anchor name without # or white space'
                  : `must match the pattern ${pattern}`;
        push(segments, text + got);
        break;
      }
      case 'minLength':
        push(segments, `must be at least ${String(params.limit)} characters long (got ${[...String(e.data)].length})`);
        break;
      case 'maxLength':
        push(segments, `must be at most ${String(params.limit)} characters long (got ${[...String(e.data)].length})`);
        break;
      case 'minimum':
        push(segments, `must be at least ${String(params.limit)}${got}`);
        break;
      case 'maximum':
        push(segments, `must be at most ${String(params.limit)}${got}`);
        break;
      case 'minItems':
        push(segments, `must have at least ${String(params.limit)} ${entries(Number(params.limit))} (got ${(e.data as unknown[]).length})`);
        break;
      case 'maxItems':
        push(segments, `must have at most ${String(params.limit)} ${entries(Number(params.limit))} (got ${(e.data as unknown[]).length})`);
        break;
      case 'enum':
        push(segments, `${preview(e.data)} is not an allowed value (allowed: ${(params.allowedValues as unknown[]).join(', ')})`);
        break;
      default:
        push(segments, `${e.message ?? 'is invalid'}${got}`);
    }
  }
  return out;
}

const STRUCTURED: ReadonlySet<FieldDataType> = new Set(['object', 'blocks', 'link', 'media']);

/** Messages only structured values have: a link's or media's target, a block's type and fields. */
function structuredMessage(e: ErrorObject, r: Resolved, segments: string[], push: (segments: string[], text: string) => void, got: string): boolean {
  const params = e.params as Record<string, unknown>;
  const where = r.blockType !== undefined ? `block ${r.blockType}: ` : '';
  if (e.keyword === 'oneOf' && r.def?.type === 'link') {
    push(segments, `a link needs exactly one target: item, page or asset (a guid) or url${got}`);
    return true;
  }
  if (e.keyword === 'oneOf' && r.def?.type === 'media') {
    push(segments, `a media value needs exactly one of asset (a guid) or url (external media)${got}`);
    return true;
  }
  if (r.role === 'block') {
    if (e.keyword === 'enum') {
      push(segments, `unknown block type ${preview(e.data)}: this field allows ${(r.blockTypes ?? []).join(', ') || 'no block types'}`);
      return true;
    }
    if (e.keyword === 'required' && params.missingProperty === 'block') {
      push(segments, `a block needs its type (block: one of ${(r.blockTypes ?? []).join(', ')})`);
      return true;
    }
    if (e.keyword === 'required' && params.missingProperty === 'fields') {
      push([...segments, 'fields'], `${where}required fields are missing (a block of this type needs fields)`);
      return true;
    }
    if (e.keyword === 'additionalProperties') {
      push([...segments, String(params.additionalProperty)], `a block holds only block (its type) and fields; write ${String(params.additionalProperty)} under fields`);
      return true;
    }
    if (e.keyword === 'type') {
      push(segments, `must be a block: a map with block (its type) and fields${got}`);
      return true;
    }
  }
  if (r.role === 'blockFields') {
    if (e.keyword === 'required') {
      push([...segments, String(params.missingProperty)], `${where}required field is missing`);
      return true;
    }
    if (e.keyword === 'additionalProperties') {
      push([...segments, String(params.additionalProperty)], `${where}unknown field: block type ${r.blockType ?? '?'} has no field "${String(params.additionalProperty)}"`);
      return true;
    }
  }
  if (r.def?.type === 'object' && e.keyword === 'required') {
    push([...segments, String(params.missingProperty)], 'required field is missing');
    return true;
  }
  if (r.def?.type === 'object' && e.keyword === 'additionalProperties') {
    push([...segments, String(params.additionalProperty)], `unknown field: ${r.def.name} has no sub-field "${String(params.additionalProperty)}"`);
    return true;
  }
  if ((r.def?.type === 'link' || r.def?.type === 'media') && e.keyword === 'additionalProperties') {
    const allowed = r.def.type === 'link' ? 'item, page, asset, url, anchor, text, title, target' : 'asset, url, mediaType, provider, externalId, title, alt, focalPoint, crop, width, height';
    push([...segments, String(params.additionalProperty)], `unknown key "${String(params.additionalProperty)}" in a ${r.def.type} (it takes ${allowed})`);
    return true;
  }
  return false;
}

function entries(n: number): string {
  return n === 1 ? 'entry' : 'entries';
}
