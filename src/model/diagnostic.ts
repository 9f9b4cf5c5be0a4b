import type { ErrorCode } from '../errors/catalog.js';
import type { ObjectRef } from '../errors/ferry-error.js';

export type Severity = 'error' | 'warning';

/**
 * One finding of validation. Validation collects diagnostics and never throws; callers decide
 * whether errors stop the work. `file` is relative to the repository root (POSIX separators).
 */
export interface Diagnostic {
  code: ErrorCode;
  severity: Severity;
  message: string;
  file?: string;
  line?: number;
  column?: number;
  object?: ObjectRef;
  /** JSON Pointer inside the object, e.g. `/variants/en-US/fields/title`. */
  pointer?: string;
  hint?: string;
  /**
   * Another object the message names, by kind and code name (an item's content type when its
   * folder disagrees with it), so a later rule that knows the whole snapshot can say more.
   */
  names?: ObjectRef;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Deterministic order: file, line, column, code, message. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    cmp(a.file ?? '', b.file ?? '') ||
    (a.line ?? 0) - (b.line ?? 0) ||
    (a.column ?? 0) - (b.column ?? 0) ||
    cmp(a.code, b.code) ||
    cmp(a.message, b.message)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
