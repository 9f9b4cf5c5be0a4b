import { ERROR_CATALOG, type ErrorCode, type ExitStatus } from './catalog.js';
import type { Diagnostic, ObjectRef } from './diagnostic.js';

export type { ObjectRef };

/** Where in the repository something is: a file, optionally a line and column (1-based). */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
}


export interface FerryErrorOptions {
  hint?: string;
  loc?: SourceLocation;
  object?: ObjectRef;
  data?: Record<string, unknown>;
  cause?: unknown;
  /** Diagnostics that caused this error, e.g. a failed validation. */
  diagnostics?: readonly Diagnostic[];
}

/**
 * An error a user can cause. It carries a permanent code (see the catalog), a message saying what
 * is wrong, a hint saying what to do, and where: file, line, column and object.
 */
export class FerryError extends Error {
  readonly code: ErrorCode;
  readonly hint: string;
  readonly loc?: SourceLocation;
  readonly object?: ObjectRef;
  readonly data: Record<string, unknown>;
  readonly diagnostics: readonly Diagnostic[];

  constructor(code: ErrorCode, message: string, options: FerryErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FerryError';
    this.code = code;
    this.hint = options.hint ?? ERROR_CATALOG[code].hint;
    this.loc = options.loc;
    this.object = options.object;
    this.data = options.data ?? {};
    this.diagnostics = options.diagnostics ?? [];
  }

  get exitCode(): ExitStatus {
    return ERROR_CATALOG[this.code].exit;
  }

  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      hint: this.hint,
      ...(this.loc ? { loc: this.loc } : {}),
      ...(this.object ? { object: this.object } : {}),
      ...(Object.keys(this.data).length ? { data: this.data } : {}),
      ...(this.diagnostics.length ? { diagnostics: this.diagnostics } : {}),
    };
  }
}

/** A bug in Ferry, not something the user did. Printed with a request to report it. */
export class InternalError extends FerryError {
  constructor(message: string, cause?: unknown) {
    super('FERRY_E_INTERNAL', message, { cause });
    this.name = 'InternalError';
  }
}

export function isFerryError(e: unknown): e is FerryError {
  return e instanceof FerryError;
}
