/**
 * Turns ajv's errors for one file into diagnostics a person can act on: the property named in
 * dotted form (`variants.en-US.status`), what was expected, what was found, and where (line and
 * column, looked up only because the file failed).
 */
import type { ErrorObject } from 'ajv';
import type { ObjectRef } from '../errors/index.js';
import type { Diagnostic } from '../model/index.js';
import {
  CODE_NAME_PATTERN,
  FIELD_NAME_PATTERN,
  GUID_PATTERN,
  LANGUAGE_CODE_PATTERN,
} from '../model/index.js';
import { DOMAIN_PATTERN, EXTERNAL_URL_PATTERN, MEDIA_TYPE_PATTERN, SHA256_PATTERN, SLUG_PATTERN } from './file-schemas.js';
import { ASSET_FILE_NAME_PATTERN } from './layout.js';
import { locatePointer, pointerTokens } from './positions.js';

/** At most this many schema diagnostics per file: one broken file must not flood a report. */
export const MAX_SCHEMA_DIAGNOSTICS = 50;

const PATTERN_WORDS: Readonly<Record<string, string>> = {
  [GUID_PATTERN]: 'a lower-case UUID (e.g. `3f0c8a52-5b1e-4c3e-9a57-0d6f7c1e2b10`)',
  [CODE_NAME_PATTERN]: 'a code name: lower-case letters, digits, `.`, `_` and `-`, starting with a letter or digit',
  [LANGUAGE_CODE_PATTERN]: 'a language code such as `en` or `en-US`',
  [FIELD_NAME_PATTERN]: 'a field name: a letter, then letters, digits or `_`',
  [SHA256_PATTERN]: '64 lower-case hex digits',
  [EXTERNAL_URL_PATTERN]: 'an `https://` URL without credentials (`http://` only to localhost, 127.0.0.1 or [::1])',
  [MEDIA_TYPE_PATTERN]: 'a lower-case media type such as `image/jpeg`',
  [DOMAIN_PATTERN]: 'a lower-case host name such as `www.example.com`',
  [SLUG_PATTERN]: 'one URL path segment (no `/`, `?`, `#` or spaces)',
  [ASSET_FILE_NAME_PATTERN]: 'a file name of letters, digits, `.`, `_` and `-` with an extension (not .yaml)',
};

const TYPE_WORDS: Readonly<Record<string, string>> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: '`true` or `false`',
  object: 'a map of keys to values',
  array: 'a list',
  null: 'empty',
};

interface Located {
  diagnostic: Diagnostic;
  /** Where to point: the pointer, and whether at its key. */
  pointer: string;
  key: boolean;
}

/** Diagnostics (FERRY_E_SCHEMA) for ajv's errors on `value`, read from `text` at `file`. */
export function schemaDiagnostics(
  errors: readonly ErrorObject[],
  value: unknown,
  text: string | undefined,
  file: string,
  object: ObjectRef | undefined,
): Diagnostic[] {
  const located: Located[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const one = describeError(e, value);
    if (!one) continue;
    const id = `${one.pointer}\n${one.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    located.push({
      pointer: one.pointer,
      key: one.key,
      diagnostic: {
        code: 'FERRY_E_SCHEMA',
        severity: 'error',
        message: one.message,
        file,
        pointer: one.pointer,
        ...(object ? { object } : {}),
      },
    });
    if (located.length >= MAX_SCHEMA_DIAGNOSTICS) break;
  }
  if (text !== undefined) {
    for (const l of located) {
      const pos = locatePointer(text, l.pointer, { key: l.key });
      if (pos) {
        l.diagnostic.line = pos.line;
        l.diagnostic.column = pos.column;
      }
    }
  }
  return located.map((l) => l.diagnostic);
}

function describeError(e: ErrorObject, root: unknown): { message: string; pointer: string; key: boolean } | undefined {
  const path = e.instancePath;
  const name = dotted(path);
  const where = name === '' ? '' : ` in \`${name}\``;
  const found = (v: unknown) => ` (found ${show(v)})`;
  const params = e.params as Record<string, unknown>;
  // Errors inside `propertyNames` concern a key of the map at `path`.
  if (e.propertyName !== undefined) {
    const pattern = typeof params.pattern === 'string' ? params.pattern : undefined;
    const rule = pattern ? (PATTERN_WORDS[pattern] ?? `a key matching \`${pattern}\``) : 'a valid key';
    return {
      message: `key \`${e.propertyName}\`${where} must be ${rule}`,
      pointer: `${path}/${escapeToken(e.propertyName)}`,
      key: true,
    };
  }
  const value = valueAt(root, path);
  switch (e.keyword) {
    case 'propertyNames':
    case 'if':
      return undefined; // reported through the inner error (above, or of the `then`/`else` branch)
    case 'false schema':
      return { message: `\`${name}\` must be left out here${name === 'size' || name === 'sha256' ? ' (an external asset gives them in `source`)' : ''}`, pointer: path, key: true };
    case 'required':
      return { message: `missing required key \`${String(params.missingProperty)}\`${where}`, pointer: path, key: true };
    case 'additionalProperties':
      return {
        message: `unknown key \`${String(params.additionalProperty)}\`${where}`,
        pointer: `${path}/${escapeToken(String(params.additionalProperty))}`,
        key: true,
      };
    case 'type': {
      const types = String(params.type).split(',').map((t) => TYPE_WORDS[t] ?? t);
      const subject = name === '' ? 'the file' : `\`${name}\``;
      return { message: `${subject} must be ${types.join(' or ')}${found(value)}`, pointer: path, key: false };
    }
    case 'enum':
      return {
        message: `\`${name}\` must be one of ${(params.allowedValues as unknown[]).map(String).join(', ')}${found(value)}`,
        pointer: path,
        key: false,
      };
    case 'const':
      return { message: `\`${name}\` must be \`${String(params.allowedValue)}\`${found(value)}`, pointer: path, key: false };
    case 'pattern': {
      const pattern = String(params.pattern);
      return {
        message: `\`${name}\` must be ${PATTERN_WORDS[pattern] ?? `a string matching \`${pattern}\``}${found(value)}`,
        pointer: path,
        key: false,
      };
    }
    case 'minLength':
      return {
        message: params.limit === 1 ? `\`${name}\` must not be empty` : `\`${name}\` must have at least ${String(params.limit)} characters`,
        pointer: path,
        key: false,
      };
    case 'minProperties':
      return { message: `\`${name}\` must have at least ${plural(Number(params.limit), 'entry', 'entries')}`, pointer: path, key: true };
    case 'minItems':
      return { message: `\`${name}\` must list at least ${plural(Number(params.limit), 'entry', 'entries')}`, pointer: path, key: false };
    case 'uniqueItems': {
      const list = Array.isArray(value) ? value : [];
      const dup = list[Number(params.j)];
      return { message: `\`${name}\` lists ${show(dup)} more than once`, pointer: `${path}/${String(params.i)}`, key: false };
    }
    case 'minimum':
    case 'maximum':
      return {
        message: `\`${name}\` must be ${e.keyword === 'minimum' ? 'at least' : 'at most'} ${String(params.limit)}${found(value)}`,
        pointer: path,
        key: false,
      };
    default:
      return { message: `\`${name || 'file'}\` ${e.message ?? 'is invalid'}`, pointer: path, key: false };
  }
}

/** `/variants/en-US/fields/title` → `variants.en-US.fields.title`; list indexes as `[0]`. */
export function dotted(pointer: string): string {
  let out = '';
  for (const t of pointerTokens(pointer)) {
    if (/^(0|[1-9][0-9]*)$/.test(t)) out += `[${t}]`;
    else out += out === '' ? t : `.${t}`;
  }
  return out;
}

function escapeToken(t: string): string {
  return t.replace(/~/g, '~0').replace(/\//g, '~1');
}

function valueAt(root: unknown, pointer: string): unknown {
  let v = root;
  for (const t of pointerTokens(pointer)) {
    if (v === null || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, t)) return undefined;
    v = (v as Record<string, unknown>)[t];
  }
  return v;
}

function show(v: unknown): string {
  if (v === null) return 'an empty value';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  if (typeof v === 'string') {
    const s = v.length > 60 ? `${v.slice(0, 57)}...` : v;
    return `\`${s.replace(/\n/g, '\\n')}\``;
  }
  return `\`${String(v)}\``;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
