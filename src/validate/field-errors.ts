import type { ErrorObject } from 'ajv';
import { displayPath, pointerOf, pointerSegments } from '../config/pointer.js';
import { GUID_PATTERN, type ContentType, type FieldDataType, type FieldDefinition } from '../model/objects.js';
import { HTTP_URL_PATTERN } from './field-schema.js';

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
};

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
  const byName = new Map<string, FieldDefinition>();
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

    const def = byName.get(segments[0]);
    const nested = segments.length > 1;
    const got = ` (got ${preview(e.data)})`;
    const params = e.params as Record<string, unknown>;
    switch (e.keyword) {
      case 'type':
        push(segments, (nested ? (def?.type === 'taxonomy' ? 'must be a tag (a string)' : 'must be a guid (a string)') : def ? EXPECTED[def.type] : `must be ${String(params.type)}`) + got);
        break;
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

function entries(n: number): string {
  return n === 1 ? 'entry' : 'entries';
}
