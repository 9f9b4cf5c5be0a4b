/**
 * How a string is written in a canonical file: plain when both YAML readers Ferry cares about
 * (js-yaml `CORE_SCHEMA` and `yaml`'s core schema) read it back as the same string, double-quoted
 * otherwise, and as a block literal when it has a line break (so a one-word edit in rich text is a
 * one-line diff). The rules are deliberately stricter than YAML requires: a string that is merely
 * unusual gets quotes rather than a clever plain form.
 */
import * as jsYaml from 'js-yaml';
import { Document } from 'yaml';

export type StringStyle = 'PLAIN' | 'QUOTE_DOUBLE' | 'BLOCK_LITERAL';

/**
 * Characters that are written escaped, so only in double quotes: C0 controls except tab and LF
 * (CR included: a block literal would turn it into LF), DEL and C1 controls, line/paragraph
 * separators, BOM, U+FFFE/U+FFFF, lone surrogates.
 */
const NEEDS_ESCAPE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?:^|[^\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Characters the `yaml` writer leaves raw inside double quotes (it escapes only what JSON does).
 * js-yaml and `yaml` read them back, but YAML 1.1 readers take NEL/LS/PS for line breaks and
 * editors and diffs hide them all, so canonical files carry them as escapes (`\x85`, `\u2028`).
 */
export const RAW_UNSAFE_CHARS = /[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/g;

/** Plain-scalar syntax hazards: indicators first, `: ` / ` #` inside, white space at the ends, tabs. */
const PLAIN_SYNTAX_HAZARD = /^[-?:,[\]{}#&*!|>'"%@`\s]|^(?:---|\.\.\.)|[\s:]$|: |\s#|\t/;

interface Resolver {
  resolve(data: string): boolean;
}
// js-yaml's own resolvers (its typings omit `types`), so the check follows the installed version.
const jsYamlTypes = (jsYaml as unknown as { types: Record<'null' | 'bool' | 'int' | 'float', Resolver> }).types;
const JS_YAML_RESOLVERS: readonly Resolver[] = [jsYamlTypes.null, jsYamlTypes.bool, jsYamlTypes.int, jsYamlTypes.float];

interface YamlTag {
  default?: boolean | string;
  tag: string;
  test?: RegExp;
}
// `yaml`'s core-schema tags that claim plain scalars (null, bool, int, float).
const YAML_CORE_TESTS: readonly RegExp[] = (new Document(null, { schema: 'core' }).schema as unknown as { tags: YamlTag[] }).tags
  .filter((t) => t.default && t.tag !== 'tag:yaml.org,2002:str' && t.test instanceof RegExp)
  .map((t) => t.test as RegExp);

/** Whether a plain scalar with this text would be read as something other than a string. */
export function resolvesToNonString(s: string): boolean {
  if (s === '') return true;
  // Every non-string core scalar starts with one of these.
  if (!/^[-+.0-9~nNtTfF]/.test(s)) return false;
  for (const r of JS_YAML_RESOLVERS) if (r.resolve(s)) return true;
  for (const t of YAML_CORE_TESTS) if (t.test(s)) return true;
  return false;
}

/** Whether a string holds a character that is written as an escape (so it is double-quoted). */
export function needsEscape(s: string): boolean {
  return NEEDS_ESCAPE.test(s);
}

/** The canonical style of a string value (`isKey`: a map key, which cannot be a block scalar). */
export function stringStyle(s: string, isKey = false): StringStyle {
  if (NEEDS_ESCAPE.test(s)) return 'QUOTE_DOUBLE';
  if (s.includes('\n')) {
    // Only white space and line breaks: a block literal has no content line to set its
    // indentation, and readers drop the spaces. Quoted, it reads back exactly.
    return isKey || /^[ \t\n]*$/.test(s) ? 'QUOTE_DOUBLE' : 'BLOCK_LITERAL';
  }
  if (s === '' || PLAIN_SYNTAX_HAZARD.test(s) || resolvesToNonString(s)) return 'QUOTE_DOUBLE';
  return 'PLAIN';
}

/** `\x85` / `\u2028`: the YAML escape of a character the writer left raw inside double quotes. */
export function escapeRawChar(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}
