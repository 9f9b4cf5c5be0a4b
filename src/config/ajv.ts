import { createRequire } from 'node:module';
import type { Ajv as AjvInstance, Options } from 'ajv';

// Loaded on first use: Ferry's own schemas are precompiled (generated/), so most runs never
// build an ajv instance, and importing ajv with ajv-formats costs ~45 ms of start-up.
const require = createRequire(import.meta.url);

/**
 * An ajv instance configured the same way everywhere in the core: all errors (so one run reports
 * every problem), `verbose` (errors carry the offending value and schema, for messages that name
 * them), finite numbers only, and the standard formats (date, date-time, uri, email).
 */
export function createAjv(options: Options = {}): AjvInstance {
  const { Ajv } = require('ajv') as typeof import('ajv');
  // ajv-formats is CommonJS with `exports.default`.
  const formats = require('ajv-formats') as { default?: (ajv: AjvInstance) => AjvInstance } & ((ajv: AjvInstance) => AjvInstance);
  const addFormats = formats.default ?? formats;
  const ajv = new Ajv({ allErrors: true, verbose: true, strictNumbers: true, allowUnionTypes: true, ...options });
  addFormats(ajv);
  return ajv;
}

/**
 * ajv's standalone code (the instance needs `code.source`): a module exporting one compiled
 * function, or one export per `name → schema $id` of `refs`.
 */
export function standaloneSource(ajv: AjvInstance, refs: import('ajv').ValidateFunction | Record<string, string>): string {
  // ajv's standalone entry is CommonJS with `exports.default`.
  const m = require('ajv/dist/standalone') as { default?: unknown };
  const toSource = (m.default ?? m) as (ajv: AjvInstance, refs: import('ajv').ValidateFunction | Record<string, string>) => string;
  return toSource(ajv, refs);
}
