export { validateSnapshot, RULES, type Rule } from './validate-snapshot.js';
export { ValidationContext, type ValidateOptions } from './context.js';
export { compileContentTypeSchemas, contentTypeDigest, fieldValidators, fieldValueSchema, VALIDATION_KEYS_BY_TYPE, type ValidatorCodeCache } from './field-schema.js';
export { describeFieldErrors, type FieldProblem } from './field-errors.js';
export {
  codeNameKey,
  findReferrers,
  forEachFieldReference,
  referencesOf,
  snapshotLookup,
  type FieldReference,
  type ObjectReference,
  type ReferenceLookup,
} from './references-of.js';
