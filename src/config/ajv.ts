import { Ajv, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS with `exports.default`; under NodeNext its default import is typed as the
// module object, so take the plugin from whichever shape we get.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (
  ajv: Ajv,
) => Ajv;

/**
 * An ajv instance configured the same way everywhere in the core: all errors (so one run reports
 * every problem), `verbose` (errors carry the offending value and schema, for messages that name
 * them), finite numbers only, and the standard formats (date, date-time, uri, email).
 */
export function createAjv(options: Options = {}): Ajv {
  const ajv = new Ajv({ allErrors: true, verbose: true, strictNumbers: true, allowUnionTypes: true, ...options });
  addFormats(ajv);
  return ajv;
}
