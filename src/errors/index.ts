export * from './catalog.js';
export * from './ferry-error.js';
export type { Diagnostic, Severity } from './diagnostic.js';
