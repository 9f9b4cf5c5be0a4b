import type { ErrorCode } from './catalog.js';


/** The object a message concerns. */
export interface ObjectRef {
  kind: string;
  guid?: string;
  codeName?: string;
}

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
