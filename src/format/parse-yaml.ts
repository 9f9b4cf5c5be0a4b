/**
 * The fast YAML reader for object files: js-yaml 4 with `CORE_SCHEMA` (dates stay strings), plus
 * the safety limits a content pipeline needs. Canonical files never use anchors or aliases, so any
 * anchor is refused the moment its node closes: an alias bomb ("billion laughs") is stopped at its
 * first anchor, before anything is expanded. Files over `maxFileSize` are refused before parsing;
 * nesting deeper than `maxDepth` is refused by js-yaml itself (no stack overflow).
 */
import { CORE_SCHEMA, load, YAMLException, type LoadOptions, type State } from 'js-yaml';
import type { ErrorCode } from '../errors/index.js';
import type { Diagnostic } from '../model/index.js';

export interface ParseYamlOptions {
  /** Path of the file relative to the repository root, for messages and diagnostics. */
  filename: string;
  /** Largest file accepted, in bytes (UTF-8). */
  maxFileSize: number;
  /** Deepest nesting of maps and lists accepted (default 64). */
  maxDepth?: number;
}

export type ParseYamlResult =
  | { ok: true; value: unknown; text: string }
  | { ok: false; diagnostics: Diagnostic[] };

export const DEFAULT_MAX_DEPTH = 64;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Parses one YAML file (bytes or text) into a plain value, or says why it cannot. */
export function parseYaml(input: Uint8Array | string, opts: ParseYamlOptions): ParseYamlResult {
  const file = opts.filename;
  const size = typeof input === 'string' ? utf8Length(input, opts.maxFileSize) : input.byteLength;
  if (size > opts.maxFileSize) {
    const actual = typeof input === 'string' ? '' : `${size} bytes, `;
    return fail({
      code: 'FERRY_E_YAML_LIMIT',
      severity: 'error',
      file,
      message: `file is ${actual}over the limit of ${opts.maxFileSize} bytes (maxFileSize)`,
    });
  }
  let text: string;
  if (typeof input === 'string') text = input;
  else {
    try {
      text = utf8.decode(input);
    } catch {
      return fail({ code: 'FERRY_E_YAML', severity: 'error', file, message: 'file is not valid UTF-8 text' });
    }
  }

  const opens: number[] = [];
  const options: LoadOptions & { maxDepth: number } = {
    schema: CORE_SCHEMA,
    filename: file,
    maxDepth: opts.maxDepth ?? DEFAULT_MAX_DEPTH,
    listener(event: 'open' | 'close', state: State) {
      if (event === 'open') {
        opens.push(state.position);
        return;
      }
      const start = opens.pop() ?? 0;
      if ((state as State & { anchor: string | null }).anchor != null) throw new AnchorRefused(start, state.position);
    },
  };
  try {
    return { ok: true, value: load(text, options), text };
  } catch (e) {
    if (e instanceof AnchorRefused) {
      const at = text.indexOf('&', e.start);
      const { line, column } = lineColumn(text, at >= 0 && at < e.end ? at : e.start);
      return fail({
        code: 'FERRY_E_YAML_LIMIT',
        severity: 'error',
        file,
        line,
        column,
        message: 'YAML anchors and aliases (`&name`, `*name`) are not allowed in Ferry files',
      });
    }
    if (e instanceof YAMLException) return fail(yamlExceptionDiagnostic(e, file));
    // A parser bug or a pathological input the limits did not catch: still a refusal, not a crash.
    if (e instanceof RangeError) {
      return fail({ code: 'FERRY_E_YAML_LIMIT', severity: 'error', file, message: `YAML file too complex to read: ${e.message}` });
    }
    throw e;
  }
}

class AnchorRefused extends Error {
  constructor(
    readonly start: number,
    readonly end: number,
  ) {
    super('anchor');
  }
}

function yamlExceptionDiagnostic(e: YAMLException, file: string): Diagnostic {
  const reason = e.reason ?? e.message;
  let code: ErrorCode = 'FERRY_E_YAML';
  let message = `YAML syntax error: ${reason}`;
  if (reason.startsWith('nesting exceeded maxDepth')) {
    code = 'FERRY_E_YAML_LIMIT';
    message = `YAML nesting is too deep: ${reason}`;
  } else if (reason.startsWith('unidentified alias')) {
    code = 'FERRY_E_YAML_LIMIT';
    message = `YAML aliases (\`*name\`) are not allowed in Ferry files: ${reason}`;
  } else if (reason.startsWith('duplicated mapping key')) {
    message = 'duplicate key: a map must not repeat a key';
  }
  const mark = e.mark as { line?: number; column?: number } | undefined;
  return {
    code,
    severity: 'error',
    file,
    message,
    ...(mark && typeof mark.line === 'number' ? { line: mark.line + 1, column: (mark.column ?? 0) + 1 } : {}),
  };
}

function fail(d: Diagnostic): ParseYamlResult {
  return { ok: false, diagnostics: [d] };
}

/** 1-based line and column (in UTF-16 code units, as editors count) of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** UTF-8 length of a string, counting only as far as needed to tell it is over `limit`. */
function utf8Length(s: string, limit: number): number {
  if (s.length > limit) return s.length; // at least one byte per code unit: already over
  if (s.length * 3 <= limit) return s.length; // at most three bytes per code unit: surely under
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdbff ? (i++, 4) : 3;
    if (n > limit) return n;
  }
  return n;
}
